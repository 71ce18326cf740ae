"""A FIFO of int16 sample chunks that hands out exact-size blocks: the shape of every hand-over
between a producer of odd-sized chunks and a consumer of fixed frames."""

from __future__ import annotations

import collections

import numpy as np


class SampleQueue:
    """Not thread-safe by itself: callers that share it across threads hold their own lock."""

    def __init__(self) -> None:
        self._chunks: collections.deque[np.ndarray] = collections.deque()
        self.size = 0

    def push(self, pcm: np.ndarray) -> None:
        if pcm.size:
            self._chunks.append(pcm)
            self.size += len(pcm)

    def push_front(self, pcm: np.ndarray) -> None:
        """Put `pcm` back ahead of everything queued (audio taken out that never played)."""
        if pcm.size:
            self._chunks.appendleft(pcm)
            self.size += len(pcm)

    def take_into(self, out: np.ndarray) -> int:
        """Fill `out` from the front; returns how many samples it had (the rest of `out` is untouched)."""
        filled = 0
        while filled < len(out) and self._chunks:
            chunk = self._chunks[0]
            take = min(len(out) - filled, len(chunk))
            out[filled : filled + take] = chunk[:take]
            filled += take
            self._advance(take)
        return filled

    def drop(self, samples: int) -> int:
        """Discard up to `samples` from the front; returns how many were discarded."""
        dropped = 0
        while dropped < samples and self._chunks:
            take = min(samples - dropped, len(self._chunks[0]))
            dropped += take
            self._advance(take)
        return dropped

    def clear(self) -> int:
        return self.drop(self.size)

    def _advance(self, samples: int) -> None:
        chunk = self._chunks[0]
        if samples == len(chunk):
            self._chunks.popleft()
        else:
            self._chunks[0] = chunk[samples:]
        self.size -= samples
