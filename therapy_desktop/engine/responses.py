"""One model response as the engine plays it: spoken audio with transcript deltas in step with
the audio actually sent, or a function call; and the right events if it is cancelled midway."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from therapy_desktop.audio.pcm import SAMPLE_RATE
from therapy_desktop.engine import protocol as p
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.spoken_items import SpokenAudio
from therapy_desktop.engine.therapist import CallTool, Say
from therapy_desktop.engine.voice_track import VoiceTrack

log = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], None]


@dataclass
class ResponseContext:
    """What a response needs from its call."""

    send: Send
    track: VoiceTrack
    models: EngineModels
    voice: str
    previous_item_id: Callable[[], str | None]
    item_added: Callable[[str], None]  # the call records the conversation's new last item
    tool_called: Callable[[str, str, dict[str, Any]], None]  # call_id, name, arguments
    item_spoken: Callable[[SpokenAudio], None] = lambda _spoken: None  # an assistant message's audio, for truncation


@dataclass
class ResponseTiming:
    """When each step of a response happened (time.monotonic()), for benchmarks and diagnostics."""

    started: float = field(default_factory=time.monotonic)
    decided: float | None = None  # what to say is known (after the transcript)
    first_synthesized: float | None = None  # the first sentence's audio is ready
    first_sent: float | None = None  # its first frame went out on the track
    leading_silence_ms: float = 0.0  # quiet at the start of the synthesized audio


@dataclass
class EngineResponse:
    context: ResponseContext
    id: str = field(default_factory=lambda: p.new_id("resp"))
    output: list[dict[str, Any]] = field(default_factory=list)
    audio_started: bool = False
    first_audio: asyncio.Event = field(default_factory=asyncio.Event)
    done: bool = False
    cancel_reason: str = "turn_detected"  # or client_cancelled
    _item: dict[str, Any] | None = None
    _previous: str | None = None
    _transcript: str = ""
    timing: ResponseTiming = field(default_factory=ResponseTiming)
    _first_sent_task: asyncio.Future[None] | None = None
    _ready: list[asyncio.Future[np.ndarray]] = field(default_factory=list)  # each part's audio, in order
    _synthesis: asyncio.Future[None] | None = None
    spoken: SpokenAudio | None = None
    audio_cut: bool = False  # the client cleared the output audio: the rest is generated as text only

    async def run(self, decide: Awaitable[Say | CallTool | None]) -> None:
        """Play what `decide` gives; None means the audio was not a turn (a click, a cough): the
        response completes with no output, as the service's does when the model stays silent."""
        ctx = self.context
        ctx.send(p.event("response.created", response=p.response(self.id, "in_progress", ctx.voice)))
        try:
            turn = await decide
            self.timing.decided = time.monotonic()
            if turn is None:
                self.first_audio.set()  # nothing will play: the transcript need not wait for it
                self._finish("completed")
            elif isinstance(turn, CallTool):
                await self._call_tool(turn)
            else:
                await self._speak(turn)
        except asyncio.CancelledError:
            self._finish_cancelled()
            raise
        except Exception as exc:  # a model failure: the service reports a failed response
            log.exception("response %s failed", self.id)
            self._finish(
                "failed",
                {"type": "failed", "error": {"type": "server_error", "code": "engine_error", "message": str(exc)}},
            )

    # -- speech --------------------------------------------------------------------------------

    async def _speak(self, say: Say) -> None:
        ctx = self.context
        item_id = p.new_id("item")
        self._item = p.assistant_item(item_id, "in_progress")
        self.spoken = SpokenAudio(item_id)
        ctx.item_spoken(self.spoken)
        self._add_item(self._item)
        where = {"response_id": self.id, "item_id": item_id, "output_index": 0, "content_index": 0}
        ctx.send(p.event("response.content_part.added", **where, part={"type": "audio", "transcript": ""}))
        parts = say.parts
        # Every part is synthesized in order as fast as the voice allows, not only while the part
        # before plays: a cached opener plays at once, and a long part after it would leave a gap.
        loop = asyncio.get_running_loop()
        self._ready = [loop.create_future() for _ in parts]
        ahead = self._synthesis = asyncio.ensure_future(self._synthesize_all([sentence for sentence, _ in parts]))
        try:
            for index, (sentence, seconds) in enumerate(parts):
                if self.audio_cut:
                    self._say_words(sentence.split(), where)
                    continue
                pcm = await self._ready[index]
                voice = len(pcm)
                if voice < seconds * SAMPLE_RATE:  # a paced phase: silence makes up its length
                    pcm = np.concatenate([pcm, np.zeros(int(seconds * SAMPLE_RATE) - voice, dtype=np.int16)])
                await self._play_sentence(sentence, pcm, voice, where)
        finally:
            if not ahead.done():
                ahead.cancel()
        ctx.send(p.event("response.output_audio_transcript.done", **where, transcript=self._transcript))
        ctx.send(p.event("response.content_part.done", **where, part={"type": "audio", "transcript": self._transcript}))
        self._item = p.assistant_item(item_id, "completed", self._transcript)
        self._finish_item()
        self._finish("completed")
        if self.audio_cut:
            return  # the client cleared it: `output_audio_buffer.cleared` said so, never `stopped`
        if await ctx.track.wait_sent(ctx.track.enqueued):
            ctx.send(p.event("output_audio_buffer.stopped", response_id=self.id))
        else:  # cleared after the last word began, before its audio ended
            self.spoken.cut(ctx.track.cleared_at)

    def drop_audio(self) -> None:
        """`output_audio_buffer.clear` (without `response.cancel`): nothing more of this response
        is voiced, and the rest of its words follow as text at once, as the service (which
        generates faster than real time) would have generated them. The caller clears the track."""
        self.audio_cut = True
        if self.spoken is not None:
            self.spoken.cut(self.context.track.sent)

    async def _synthesize_all(self, sentences: list[str]) -> None:
        for index, sentence in enumerate(sentences):
            try:
                self._ready[index].set_result(await self.context.models.synthesize(sentence))
            except asyncio.CancelledError:
                for future in self._ready[index:]:
                    future.cancel()
                raise
            except Exception as exc:
                for future in self._ready[index:]:
                    if not future.done():
                        future.set_exception(exc)
                return

    async def _play_sentence(self, sentence: str, pcm: np.ndarray, voice: int, where: dict[str, Any]) -> None:
        """Queue the audio and send each word's delta as that word goes out; once the audio is
        cleared, the rest of the words at once."""
        ctx = self.context
        start = ctx.track.enqueue(pcm)
        words = _word_offsets(sentence, voice)
        assert self.spoken is not None
        self.spoken.add(start, start + len(pcm), [(start + offset, word) for offset, word in words])
        if not self.audio_started:
            self.timing.first_synthesized = time.monotonic()
            self.timing.leading_silence_ms = _leading_silence_ms(pcm)
            self._first_sent_task = asyncio.ensure_future(self._note_first_sent(start))
            self.audio_started = True
            ctx.send(p.event("output_audio_buffer.started", response_id=self.id))
            self.first_audio.set()
        for index, (offset, word) in enumerate(words):
            if not await ctx.track.wait_sent(start + offset):
                self.audio_cut = True
                self.spoken.cut(ctx.track.cleared_at)
                self._say_words([w for _, w in words[index:]], where)
                return
            self._say_words([word], where)

    def _say_words(self, words: list[str], where: dict[str, Any]) -> None:
        for word in words:
            delta = word if not self._transcript else f" {word}"
            self._transcript += delta
            self.context.send(p.event("response.output_audio_transcript.delta", **where, delta=delta))

    async def _note_first_sent(self, position: int) -> None:
        if await self.context.track.wait_sent(position + 1):
            self.timing.first_sent = time.monotonic()

    # -- tools ---------------------------------------------------------------------------------

    async def _call_tool(self, turn: CallTool) -> None:
        ctx = self.context
        item_id, call_id = p.new_id("item"), p.new_id("call")
        arguments = json.dumps(turn.arguments)
        self._item = p.function_call_item(item_id, "in_progress", call_id, turn.name, "")
        self._add_item(self._item)
        where = {"response_id": self.id, "item_id": item_id, "output_index": 0, "call_id": call_id}
        half = len(arguments) // 2
        for piece in (arguments[:half], arguments[half:]):
            ctx.send(p.event("response.function_call_arguments.delta", **where, delta=piece))
        ctx.send(p.event("response.function_call_arguments.done", **where, name=turn.name, arguments=arguments))
        self._item = p.function_call_item(item_id, "completed", call_id, turn.name, arguments)
        ctx.tool_called(call_id, turn.name, turn.arguments)
        self.first_audio.set()  # a function call plays nothing: the person's transcript need not wait
        self._finish_item()
        self._finish("completed")

    # -- bookkeeping ---------------------------------------------------------------------------

    def _add_item(self, item: dict[str, Any]) -> None:
        ctx = self.context
        ctx.send(p.event("response.output_item.added", response_id=self.id, output_index=0, item=item))
        ctx.send(p.event("conversation.item.added", previous_item_id=ctx.previous_item_id(), item=item))
        self._previous = ctx.previous_item_id()
        ctx.item_added(item["id"])

    def _finish_item(self) -> None:
        assert self._item is not None
        ctx = self.context
        ctx.send(p.event("response.output_item.done", response_id=self.id, output_index=0, item=self._item))
        ctx.send(p.event("conversation.item.done", previous_item_id=self._previous, item=self._item))
        self.output = [self._item]

    def _finish(self, status: str, details: dict[str, Any] | None = None) -> None:
        if self.done:
            return
        self.done = True
        tokens = max(1, len(self._transcript) // 4)
        body = p.response(self.id, status, self.context.voice, self.output, details, p.usage(120, tokens))
        self.context.send(p.event("response.done", response=body))

    def _finish_cancelled(self) -> None:
        """Barge-in or response.cancel: clear the audio, close the item as incomplete."""
        ctx = self.context
        if self.audio_started and ctx.track.pending_samples:
            if self.spoken is not None:
                self.spoken.cut(ctx.track.sent)
            ctx.track.clear()
            ctx.send(p.event("output_audio_buffer.cleared", response_id=self.id))
        if self._item is not None and not self.done:
            self._item = {**self._item, "status": "incomplete"}
            if self._item["type"] == "message":
                self._item["content"] = [{"type": "output_audio", "transcript": self._transcript}]
            self._finish_item()
        self._finish("cancelled", {"type": "cancelled", "reason": self.cancel_reason})


def _leading_silence_ms(pcm: np.ndarray, threshold: float = 300.0) -> float:
    """How long the synthesized audio is quiet before the voice starts (5 ms windows)."""
    window = SAMPLE_RATE // 200
    for start in range(0, len(pcm) - window, window):
        if np.sqrt(np.mean(np.square(pcm[start : start + window].astype(np.float32)))) > threshold:
            return start * 1000 / SAMPLE_RATE
    return len(pcm) * 1000 / SAMPLE_RATE


def _word_offsets(sentence: str, samples: int) -> list[tuple[int, str]]:
    """Where each word starts in the sentence's audio, by its share of the characters."""
    words = sentence.split()
    total = sum(len(w) + 1 for w in words) or 1
    offsets, seen = [], 0
    for word in words:
        offsets.append((int(samples * seen / total), word))
        seen += len(word) + 1
    return offsets

