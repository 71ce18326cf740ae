"""The caller's audio becoming user turns, as the service makes them: ended by the server VAD
(`input_audio_buffer.speech_started` … `.speech_stopped`, then committed and usually answered
at once), or, with turn detection off (push-to-talk), buffered until the client's
`input_audio_buffer.commit` and answered on its `response.create`. Either way the turn is
transcribed (early, at pauses, with VAD) and its transcript reported once the reply has begun."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.engine import protocol as p
from therapy_desktop.engine.caller_audio import CallerResampler
from therapy_desktop.engine.early_transcripts import EarlyTranscripts
from therapy_desktop.engine.input_buffer import MIN_COMMIT_MS, InputAudioBuffer
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.responses import EngineResponse
from therapy_desktop.engine.speech import VAD_CHUNK, VAD_RATE, SpeechDetector
from therapy_desktop.engine.spoken_items import ClientError
from therapy_desktop.engine.therapist import CallTool, Say, ScriptedTherapist
from therapy_desktop.engine.turns import SpeechEnd, SpeechPause, SpeechStart, TurnDetector

log = logging.getLogger(__name__)

TRANSCRIPT_HOLD = 2.0  # hold the user's transcription until the reply's audio starts (as the service often does)


@dataclass
class UserTurn:
    """Timing of one spoken turn (time.monotonic()), for benchmarks: where the engine's time goes."""

    speech_stopped: float  # the VAD decided the person had finished (or the client committed)
    silence_ms: int  # how long it waited in silence to decide that
    transcribed: float | None = None
    response: EngineResponse | None = None


@dataclass
class TurnContext:
    """What the turns need from their call."""

    call_id: str
    session: Callable[[], dict[str, Any]]  # the call's session now (an update replaces it)
    models: EngineModels
    therapist: ScriptedTherapist
    send: Callable[[dict[str, Any]], None]
    last_item_id: Callable[[], str | None]
    note_item: Callable[[str], None]  # the conversation's new last item
    start_response: Callable[[Awaitable[Say | CallTool | None]], EngineResponse]
    cancel_response: Callable[[], None]
    spawn: Callable[[Any], asyncio.Task[Any]]


class UserTurns:
    def __init__(self, context: TurnContext) -> None:
        self._call = context
        self.turns: list[UserTurn] = []
        self._early = EarlyTranscripts(context.models.transcribe)  # transcribes at pauses, before the turn ends
        self._input = InputAudioBuffer(VAD_CHUNK)  # without turn detection: the audio awaiting a commit
        self._committed: tuple[asyncio.Future[str], UserTurn] | None = None  # awaiting response.create
        self._user_item: str | None = None
        self.detector = self._new_detector()
        self.resampler: CallerResampler | None = None  # the caller's audio, once it flows

    @property
    def _detection(self) -> dict[str, Any] | None:
        return self._call.session()["audio"]["input"].get("turn_detection")

    def configure(self) -> None:
        """The session changed: turn detection starts afresh (or stops)."""
        self.detector = self._new_detector()
        if self.detector is not None:
            self._input.clear()  # the service's VAD takes the turns again

    def _new_detector(self) -> TurnDetector | None:
        turn = self._detection
        if not turn:
            return None
        return TurnDetector(
            rate=VAD_RATE,
            window=VAD_CHUNK,
            threshold=float(turn.get("threshold") or 0.5),
            prefix_padding_ms=int(turn.get("prefix_padding_ms") or 300),
            silence_duration_ms=int(turn.get("silence_duration_ms") or 500),
        )

    # -- the client's buffer events ------------------------------------------------------------

    def clear(self) -> None:
        self.detector = self._new_detector()
        self._input.clear()

    def commit(self) -> None:
        """The client ends the turn (push-to-talk): the buffer becomes a user message as if the
        VAD had ended it; the reply waits for the client's response.create, as the service's does."""
        detector = self.detector
        ms = len(detector.buffered()) * 1000 / VAD_RATE if detector is not None else self._input.ms
        if ms < MIN_COMMIT_MS:
            raise ClientError(f"Error committing input audio buffer: buffer too small. Expected at least "
                              f"{MIN_COMMIT_MS}ms of audio, but buffer only has {ms:.2f}ms of audio.",
                              "input_audio_buffer_commit_empty", None)
        if detector is not None:
            audio = detector.buffered()
            self.detector = self._new_detector()  # the turn in progress is this one now
        else:
            audio = self._input.take()
        transcript = self._early.end(SpeechEnd(audio_end_ms=int(ms), audio=audio))
        self._commit(p.new_id("item"), transcript, len(audio) / VAD_RATE, silence_ms=0, respond=False)

    def answer_committed(self) -> bool:
        """response.create: answer the turn the client committed, if one waits (True)."""
        if self._committed is None:
            return False
        (transcript, timing), self._committed = self._committed, None
        timing.response = self._call.start_response(self._decide_after(transcript))
        return True

    # -- the caller's audio --------------------------------------------------------------------

    async def listen(self, track: MediaStreamTrack) -> None:
        resampler = self.resampler = CallerResampler(VAD_RATE)  # digital silence skips the resampler
        speech = SpeechDetector()
        pending = np.zeros(0, dtype=np.int16)
        try:
            while True:
                pending = np.concatenate([pending, resampler.convert(await track.recv())])
                while len(pending) >= VAD_CHUNK:
                    window, pending = pending[:VAD_CHUNK], pending[VAD_CHUNK:]
                    detector = self.detector
                    if detector is None:  # no turn detection: the client commits the buffer
                        self._input.append(window)
                        continue
                    # Near-silence needs no model and no thread hop (an idle call costs nothing here).
                    probability = 0.0 if speech.is_quiet(window) else await self._call.models.speech_probability(speech, window)
                    turn = detector.feed(window, probability)
                    if isinstance(turn, SpeechStart):
                        self._speech_started(turn)
                    elif isinstance(turn, SpeechPause):
                        self._early.pause(turn)
                    elif isinstance(turn, SpeechEnd):
                        self._speech_stopped(turn)
        except MediaStreamError:
            log.info("engine call %s: the caller's audio ended", self._call.call_id)

    def _speech_started(self, turn: SpeechStart) -> None:
        self._user_item = p.new_id("item")
        self._call.send(p.event("input_audio_buffer.speech_started", audio_start_ms=turn.audio_start_ms,
                                item_id=self._user_item))
        if (self._detection or {}).get("interrupt_response", True):
            self._call.cancel_response()

    def _speech_stopped(self, turn: SpeechEnd) -> None:
        item_id = self._user_item or p.new_id("item")
        self._call.send(p.event("input_audio_buffer.speech_stopped", audio_end_ms=turn.audio_end_ms, item_id=item_id))
        detection = self._detection or {}
        self._commit(item_id, self._early.end(turn), len(turn.audio) / VAD_RATE,
                     silence_ms=int(detection.get("silence_duration_ms") or 500),
                     respond=bool(detection.get("create_response", True)))

    def _commit(self, item_id: str, transcript: asyncio.Future[str], seconds: float, *, silence_ms: int,
                respond: bool) -> None:
        """The buffered audio becomes a user message: by the VAD (which may answer it at once) or by
        the client's commit (answered on its response.create)."""
        call = self._call
        previous = call.last_item_id()
        call.note_item(item_id)
        call.send(p.event("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id))
        item = p.user_audio_item(item_id)
        call.send(p.event("conversation.item.added", previous_item_id=previous, item=item))
        call.send(p.event("conversation.item.done", previous_item_id=previous, item=item))
        timing = UserTurn(time.monotonic(), silence_ms)
        self.turns.append(timing)
        transcript.add_done_callback(lambda _: setattr(timing, "transcribed", time.monotonic()))
        response = None
        if respond:
            response = timing.response = call.start_response(self._decide_after(transcript))
        else:
            self._committed = (transcript, timing)
        if call.session()["audio"]["input"].get("transcription"):
            call.spawn(self._report_transcript(item_id, transcript, seconds, response))

    async def _decide_after(self, transcript: asyncio.Future[str]) -> Say | CallTool | None:
        try:
            text = await asyncio.shield(transcript)
        except Exception:  # recognition failed: answer anyway
            return self._call.therapist.prompt()
        return self._call.therapist.reply(text) if text else None  # "": not speech, not a turn: no reply

    async def _report_transcript(self, item_id: str, transcript: asyncio.Future[str], seconds: float,
                                 response: EngineResponse | None) -> None:
        send: Callable[[dict[str, Any]], None] = self._call.send
        try:
            text = await transcript
        except Exception as exc:
            log.warning("transcription failed: %s", exc)
            send(p.event("conversation.item.input_audio_transcription.failed", item_id=item_id, content_index=0,
                         error={"type": "transcription_error", "code": "engine_error", "message": str(exc), "param": None}))
            return
        if response is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(response.first_audio.wait(), TRANSCRIPT_HOLD)
        if text:
            send(p.event("conversation.item.input_audio_transcription.delta", item_id=item_id, content_index=0, delta=text))
        send(p.event("conversation.item.input_audio_transcription.completed", item_id=item_id, content_index=0,
                     transcript=text, usage={"type": "duration", "seconds": round(seconds, 2)}))

    def close(self) -> None:
        self._early.close()
