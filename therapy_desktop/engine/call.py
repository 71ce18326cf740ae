"""One call to the engine: the answering peer, the `oai-events` channel, server VAD on the
incoming audio, and the conversation the scripted therapist takes part in."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from therapy_desktop.audio.pcm import MonoResampler
from therapy_desktop.engine import protocol as p
from therapy_desktop.engine import safe_json
from therapy_desktop.engine.early_transcripts import EarlyTranscripts
from therapy_desktop.engine.input_buffer import MIN_COMMIT_MS, InputAudioBuffer
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.responses import EngineResponse, ResponseContext
from therapy_desktop.engine.session_config import SessionConfigError, merge_session
from therapy_desktop.engine.speech import VAD_CHUNK, VAD_RATE, SpeechDetector
from therapy_desktop.engine.spoken_items import ClientError, SpokenAudio, truncation
from therapy_desktop.engine.therapist import CallTool, Say, ScriptedTherapist, therapy_type_from_instructions
from therapy_desktop.engine.turns import SpeechEnd, SpeechPause, SpeechStart, TurnDetector
from therapy_desktop.engine.voice_track import VoiceTrack
from therapy_desktop.realtime.ice import loopback_candidates
from therapy_desktop.realtime.receive_buffer import shorten_audio_receive_buffers

log = logging.getLogger(__name__)

MAX_CLIENT_EVENT = 256 * 1024  # characters (or bytes) of one data-channel message: the size the client advertises
TRANSCRIPT_HOLD = 2.0  # hold the user's transcription until the reply's audio starts (as the service often does)


@dataclass
class UserTurn:
    """Timing of one spoken turn (time.monotonic()), for benchmarks: where the engine's time goes."""

    speech_stopped: float  # the VAD decided the person had finished
    silence_ms: int  # how long it waited in silence to decide that
    transcribed: float | None = None
    response: EngineResponse | None = None


class EngineCall:
    def __init__(self, call_id: str, session: dict[str, Any], models: EngineModels,
                 on_closed: Callable[[EngineCall], None], *, record_events: bool = False) -> None:
        self.id = call_id
        self.session = session
        self.models = models
        self._on_closed = on_closed
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.track = VoiceTrack()
        self.therapist = ScriptedTherapist(therapy_type_from_instructions(session.get("instructions") or ""))
        # With record_events, every event both ways is kept (tests validate them against the schema).
        self.record_events = record_events
        self.sent_events: list[dict[str, Any]] = []
        self.received_events: list[Any] = []
        self.turns: list[UserTurn] = []
        self._channel: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._last_item_id: str | None = None
        self._response: EngineResponse | None = None
        self._response_task: asyncio.Task[None] | None = None
        self._tool_calls: dict[str, tuple[str, dict[str, Any]]] = {}  # call_id -> (name, arguments), awaiting output
        self._tool_outputs: list[tuple[str, dict[str, Any]]] = []  # outputs arrived, awaiting response.create
        self._user_item: str | None = None
        self._known_items: set[str] = set()  # every item of the conversation
        self._spoken: dict[str, SpokenAudio] = {}  # assistant messages with audio, for truncation
        self._input = InputAudioBuffer(VAD_CHUNK)  # without turn detection: the audio awaiting a commit
        self._committed: tuple[asyncio.Future[str], UserTurn] | None = None  # a committed turn awaiting response.create
        self._pending_text = ""  # a typed user message waiting for response.create
        self._detector = self._new_detector()
        self._early = EarlyTranscripts(self.models.transcribe)  # transcribes at pauses, before the turn ends
        self._closed = False

    # -- setup ---------------------------------------------------------------------------------

    async def answer(self, offer_sdp: str) -> str:
        pc = self.pc

        @pc.on("datachannel")
        def _channel(channel: Any) -> None:
            if channel.label != "oai-events":
                return
            self._channel = channel
            channel.on("message", self._on_message)
            self._send(p.event("session.created", session=_as_request(self.session)))

        @pc.on("track")
        def _track(track: MediaStreamTrack) -> None:
            if track.kind == "audio":
                self._spawn(self._listen(track))

        @pc.on("connectionstatechange")
        async def _state() -> None:
            log.info("engine call %s: %s", self.id, pc.connectionState)
            if pc.connectionState in ("failed", "closed"):
                await self.close()

        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        pc.addTrack(self.track)
        shorten_audio_receive_buffers(pc)
        with loopback_candidates():
            await pc.setLocalDescription(await pc.createAnswer())
        return pc.localDescription.sdp

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._early.close()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.TimeoutError, Exception):
            await asyncio.wait_for(self.pc.close(), 5.0)
        self._on_closed(self)

    async def expire(self) -> None:
        """End the call as the service does at its 60-minute cap: `session_expired`, then hang up
        (fault injection for the client's reconnect; the engine itself sets no cap)."""
        self._send(p.error_event("Your session hit the maximum duration of 60 minutes.", code="session_expired"))
        await asyncio.sleep(0.05)  # let the event leave before the transport closes
        await self.close()

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _send(self, event: dict[str, Any]) -> None:
        if self.record_events:
            self.sent_events.append(event)
        if self._channel is not None and self._channel.readyState == "open":
            self._channel.send(json.dumps(event))

    # -- client events -------------------------------------------------------------------------

    def _on_message(self, message: str | bytes) -> None:
        # Runs inside aiortc's receive loop: anything raised here would close the call.
        if len(message) > MAX_CLIENT_EVENT:
            self._send(p.error_event(f"The message is larger than {MAX_CLIENT_EVENT // 1024} KB.", code="message_too_large"))
            return
        try:
            event = safe_json.load(message)
        except safe_json.MalformedJSON as exc:
            self._send(p.error_event(str(exc), code="invalid_json"))
            return
        if self.record_events:
            self.received_events.append(event)
        if not isinstance(event, dict):
            self._send(p.error_event("The message is not a JSON object.", code="invalid_json"))
            return
        kind, event_id = event.get("type"), event.get("event_id")
        event_id = event_id if isinstance(event_id, str) else None
        handler = self._handlers().get(kind) if isinstance(kind, str) else None
        if handler is None:
            shown = kind[:80] if isinstance(kind, str) else json.dumps(kind)[:80]  # parsed, so finite and shallow
            self._send(p.error_event(f"Invalid value: '{shown}'. Supported values are: {sorted(self._handlers())}.",
                                     code="invalid_value", param="type", event_id=event_id))
            return
        try:
            handler(event)
        except ClientError as exc:
            self._send(p.error_event(str(exc), code=exc.code, param=exc.param, event_id=event_id))
        except Exception:  # a last resort: report it, keep the call
            log.exception("engine call %s: handling %s failed", self.id, kind)
            self._send(p.error_event("The engine could not handle this event.", type_="server_error",
                                     code="engine_error", event_id=event_id))

    def _handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {
            "session.update": self._session_update,
            "conversation.item.create": self._item_create,
            "response.create": self._response_create,
            "response.cancel": self._response_cancel,
            "output_audio_buffer.clear": self._output_clear,
            "input_audio_buffer.clear": self._input_clear,
            "input_audio_buffer.commit": self._input_commit,
            "conversation.item.truncate": self._item_truncate,
        }

    def _session_update(self, event: dict[str, Any]) -> None:
        try:
            self.session = merge_session(self.session, event.get("session"))
        except SessionConfigError as exc:
            raise ClientError(str(exc), exc.code, exc.param) from None
        self.therapist.therapy_type = therapy_type_from_instructions(self.session.get("instructions") or "")
        self._detector = self._new_detector()
        if self._detector is not None:
            self._input.clear()  # the service's VAD takes the turns again
        self._send(p.event("session.updated", session=_as_request(self.session)))

    def _item_create(self, event: dict[str, Any]) -> None:
        item = event.get("item")
        if not isinstance(item, dict) or item.get("type") not in ("function_call_output", "message"):
            raise ClientError("The demo engine accepts function_call_output and message items.", "invalid_value", "item.type")
        item_id = item.get("id") or p.new_id("item")
        if not isinstance(item_id, str) or len(item_id) > 64:
            raise ClientError("Invalid 'item.id': expected a string of at most 64 characters.", "invalid_type", "item.id")
        if item["type"] == "function_call_output":
            call = self._tool_calls.pop(str(item.get("call_id")), None)
            if call is None:
                raise ClientError(f"No function call with call_id '{item.get('call_id')}'.", "invalid_value", "item.call_id")
            self._tool_outputs.append(call)
            stored = {"id": item_id, "object": "realtime.item", "type": "function_call_output",
                      "status": "completed", "call_id": item["call_id"], "output": str(item.get("output", ""))}
        else:
            role, content = item.get("role", "user"), item.get("content") or []
            if role not in ("user", "assistant", "system"):
                raise ClientError("Invalid 'item.role': expected 'user', 'assistant' or 'system'.", "invalid_value", "item.role")
            if not isinstance(content, list) or not all(
                isinstance(c, dict) and isinstance(c.get("text", ""), str) for c in content
            ):
                raise ClientError("Invalid 'item.content': expected an array of content parts with text.",
                                   "invalid_type", "item.content")
            stored = {"id": item_id, "object": "realtime.item", "type": "message", "status": "completed",
                      "role": role, "content": content}
        previous = self._last_item_id
        self._note_item(item_id)
        self._send(p.event("conversation.item.added", previous_item_id=previous, item=stored))
        self._send(p.event("conversation.item.done", previous_item_id=previous, item=stored))
        if stored["type"] == "message" and stored["role"] == "user":  # restored context is not a question
            texts = [c.get("text", "") for c in stored["content"] if isinstance(c, dict)]
            self._pending_text = " ".join(t for t in texts if t)

    def _response_create(self, event: dict[str, Any]) -> None:
        if self._response is not None and not self._response.done:
            raise ClientError("Conversation already has an active response in progress.",
                               "conversation_already_has_active_response", None)
        if self._tool_outputs:
            turn: Say | CallTool = self.therapist.after_tool(*self._tool_outputs.pop())
            self._tool_outputs.clear()
        elif self._committed is not None:  # a turn the client committed (push-to-talk): answer what it said
            (transcript, timing), self._committed = self._committed, None
            timing.response = self._start_response(self._decide_after(transcript))
            return
        elif self._pending_text:
            turn, self._pending_text = self.therapist.reply(self._pending_text), ""
        else:
            turn = self.therapist.prompt()
        self._start_response(_ready(turn))

    def _response_cancel(self, event: dict[str, Any]) -> None:
        if self._response is not None and not self._response.done:
            self._response.cancel_reason = "client_cancelled"
            self._cancel_response()

    def _output_clear(self, event: dict[str, Any]) -> None:
        response_id = self._response.id if self._response else p.new_id("resp")
        if self._response is not None:
            self._response.drop_audio()
        self.track.clear()
        self._send(p.event("output_audio_buffer.cleared", response_id=response_id))

    def _input_clear(self, event: dict[str, Any]) -> None:
        self._detector = self._new_detector()
        self._input.clear()
        self._send(p.event("input_audio_buffer.cleared"))

    def _input_commit(self, event: dict[str, Any]) -> None:
        """The client ends the turn (push-to-talk): the buffer becomes a user message as if the
        VAD had ended it; the reply waits for the client's response.create, as the service's does."""
        detector = self._detector
        ms = len(detector.buffered()) * 1000 / VAD_RATE if detector is not None else self._input.ms
        if ms < MIN_COMMIT_MS:
            raise ClientError(f"Error committing input audio buffer: buffer too small. Expected at least "
                              f"{MIN_COMMIT_MS}ms of audio, but buffer only has {ms:.2f}ms of audio.",
                              "input_audio_buffer_commit_empty", None)
        if detector is not None:
            audio = detector.buffered()
            self._detector = self._new_detector()  # the turn in progress is this one now
        else:
            audio = self._input.take()
        transcript = self._early.end(SpeechEnd(audio_end_ms=int(ms), audio=audio))
        self._commit_turn(p.new_id("item"), transcript, len(audio) / VAD_RATE, silence_ms=0, respond=False)

    def _item_truncate(self, event: dict[str, Any]) -> None:
        spoken = truncation(event, self._spoken, self._known_items)
        spoken.truncate(event["audio_end_ms"])
        self._send(p.event("conversation.item.truncated", item_id=spoken.item_id, content_index=0,
                           audio_end_ms=event["audio_end_ms"]))

    def _note_item(self, item_id: str) -> None:
        self._last_item_id = item_id
        self._known_items.add(item_id)

    def spoken_transcript(self, item_id: str) -> str | None:
        """The transcript of an assistant message as the engine's conversation holds it now (cut
        by truncation); None for an item without audio."""
        spoken = self._spoken.get(item_id)
        return spoken.transcript if spoken is not None else None

    # -- responses -----------------------------------------------------------------------------

    def _start_response(self, decide: Any) -> EngineResponse:
        context = ResponseContext(
            send=self._send,
            track=self.track,
            models=self.models,
            voice=str(self.session["audio"]["output"].get("voice") or "marin"),
            previous_item_id=lambda: self._last_item_id,
            item_added=self._note_item,
            tool_called=lambda call_id, name, arguments: self._tool_calls.__setitem__(call_id, (name, arguments)),
            item_spoken=lambda spoken: self._spoken.__setitem__(spoken.item_id, spoken),
        )
        response = self._response = EngineResponse(context)
        self._response_task = self._spawn(response.run(decide))
        return response

    def _cancel_response(self) -> None:
        if self._response_task is not None and not self._response_task.done():
            self._response_task.cancel()
        elif self.track.pending_samples and self._response is not None:
            # The response is done but its audio still plays: clear that.
            self.track.clear()
            self._send(p.event("output_audio_buffer.cleared", response_id=self._response.id))

    # -- incoming audio and turns --------------------------------------------------------------

    def _new_detector(self) -> TurnDetector | None:
        turn = self.session["audio"]["input"].get("turn_detection")
        if not turn:
            return None
        return TurnDetector(
            rate=VAD_RATE,
            window=VAD_CHUNK,
            threshold=float(turn.get("threshold") or 0.5),
            prefix_padding_ms=int(turn.get("prefix_padding_ms") or 300),
            silence_duration_ms=int(turn.get("silence_duration_ms") or 500),
        )

    async def _listen(self, track: MediaStreamTrack) -> None:
        resampler = MonoResampler(VAD_RATE)
        speech = SpeechDetector()
        pending = np.zeros(0, dtype=np.int16)
        try:
            while True:
                pending = np.concatenate([pending, resampler.convert(await track.recv())])
                while len(pending) >= VAD_CHUNK:
                    window, pending = pending[:VAD_CHUNK], pending[VAD_CHUNK:]
                    detector = self._detector
                    if detector is None:  # no turn detection: the client commits the buffer
                        self._input.append(window)
                        continue
                    # Near-silence needs no model and no thread hop (an idle call costs nothing here).
                    probability = 0.0 if speech.is_quiet(window) else await self.models.speech_probability(speech, window)
                    turn = detector.feed(window, probability)
                    if isinstance(turn, SpeechStart):
                        self._speech_started(turn)
                    elif isinstance(turn, SpeechPause):
                        self._early.pause(turn)
                    elif isinstance(turn, SpeechEnd):
                        self._speech_stopped(turn)
        except MediaStreamError:
            log.info("engine call %s: the caller's audio ended", self.id)

    def _speech_started(self, turn: SpeechStart) -> None:
        self._user_item = p.new_id("item")
        self._send(p.event("input_audio_buffer.speech_started", audio_start_ms=turn.audio_start_ms, item_id=self._user_item))
        if self.session["audio"]["input"]["turn_detection"].get("interrupt_response", True):
            self._cancel_response()

    def _speech_stopped(self, turn: SpeechEnd) -> None:
        item_id = self._user_item or p.new_id("item")
        self._send(p.event("input_audio_buffer.speech_stopped", audio_end_ms=turn.audio_end_ms, item_id=item_id))
        detection = self.session["audio"]["input"]["turn_detection"]
        self._commit_turn(item_id, self._early.end(turn), len(turn.audio) / VAD_RATE,
                          silence_ms=int(detection.get("silence_duration_ms") or 500),
                          respond=bool(detection.get("create_response", True)))

    def _commit_turn(self, item_id: str, transcript: asyncio.Future[str], seconds: float, *, silence_ms: int,
                     respond: bool) -> None:
        """The buffered audio becomes a user message: by the VAD (which may answer it at once) or by
        the client's commit (answered on its response.create)."""
        previous = self._last_item_id
        self._note_item(item_id)
        self._send(p.event("input_audio_buffer.committed", previous_item_id=previous, item_id=item_id))
        item = p.user_audio_item(item_id)
        self._send(p.event("conversation.item.added", previous_item_id=previous, item=item))
        self._send(p.event("conversation.item.done", previous_item_id=previous, item=item))
        timing = UserTurn(time.monotonic(), silence_ms)
        self.turns.append(timing)
        transcript.add_done_callback(lambda _: setattr(timing, "transcribed", time.monotonic()))
        response = None
        if respond:
            response = timing.response = self._start_response(self._decide_after(transcript))
        else:
            self._committed = (transcript, timing)
        if self.session["audio"]["input"].get("transcription"):
            self._spawn(self._report_transcript(item_id, transcript, seconds, response))

    async def _decide_after(self, transcript: asyncio.Future[str]) -> Say | CallTool | None:
        try:
            text = await asyncio.shield(transcript)
        except Exception:  # recognition failed: answer anyway
            return self.therapist.prompt()
        return self.therapist.reply(text) if text else None  # "": not speech, not a turn: no reply

    async def _report_transcript(self, item_id: str, transcript: asyncio.Future[str], seconds: float,
                                 response: EngineResponse | None) -> None:
        try:
            text = await transcript
        except Exception as exc:
            log.warning("transcription failed: %s", exc)
            self._send(p.event("conversation.item.input_audio_transcription.failed", item_id=item_id, content_index=0,
                               error={"type": "transcription_error", "code": "engine_error", "message": str(exc), "param": None}))
            return
        if response is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(response.first_audio.wait(), TRANSCRIPT_HOLD)
        if text:
            self._send(p.event("conversation.item.input_audio_transcription.delta", item_id=item_id, content_index=0, delta=text))
        self._send(p.event("conversation.item.input_audio_transcription.completed", item_id=item_id, content_index=0,
                           transcript=text, usage={"type": "duration", "seconds": round(seconds, 2)}))


async def _ready(turn: Say | CallTool) -> Say | CallTool:
    return turn


def _as_request(session: dict[str, Any]) -> dict[str, Any]:
    """The session as session.created/updated carry it (the request shape: no id/object/expiry)."""
    return {k: v for k, v in session.items() if k not in ("id", "object", "expires_at")}
