"""The input audio buffer of a call without turn detection (push-to-talk): everything the caller
sent since the last commit or clear, as the service keeps it, until the client commits it.

The caller's uplink never stops (a muted or released push-to-talk microphone sends silence), so
the buffer fills with quiet between turns. Quiet windows are stored as one shared block of zeros
and the buffer keeps only the newest `max_seconds`, so an idle call holds next to nothing.
"""

from __future__ import annotations

import collections

import numpy as np

from therapy_desktop.engine.speech import VAD_RATE, SpeechDetector

MIN_COMMIT_MS = 100  # the service refuses to commit less ("buffer too small")
MAX_SECONDS = 300.0  # about the service's 15 MiB of 24 kHz PCM
EDGE_PADDING_MS = 300  # quiet kept around the speech when it goes to the recogniser


class InputAudioBuffer:
    def __init__(self, window: int, *, rate: int = VAD_RATE, max_seconds: float = MAX_SECONDS) -> None:
        self._window, self._rate = window, rate
        self._zeros = np.zeros(window, dtype=np.int16)
        self._windows: collections.deque[np.ndarray] = collections.deque(maxlen=max(1, int(max_seconds * rate / window)))

    def append(self, window: np.ndarray) -> None:
        self._windows.append(self._zeros if SpeechDetector.is_quiet(window) else window)

    @property
    def ms(self) -> float:
        return len(self._windows) * self._window * 1000 / self._rate

    def clear(self) -> None:
        self._windows.clear()

    def take(self) -> np.ndarray:
        """The buffered audio for recognition, empty afterwards: the quiet at either end trimmed
        to `EDGE_PADDING_MS` (Whisper's cost grows with the window it is given)."""
        windows, self._windows = list(self._windows), collections.deque(maxlen=self._windows.maxlen)
        loud = [i for i, w in enumerate(windows) if w is not self._zeros]
        if not loud:
            return np.zeros(0, dtype=np.int16)
        pad = int(np.ceil(EDGE_PADDING_MS * self._rate / 1000 / self._window))
        return np.concatenate(windows[max(0, loud[0] - pad): loud[-1] + 1 + pad])
