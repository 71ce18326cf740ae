"""One call to the engine: the answering peer, the `oai-events` channel and the client events
on it, and the conversation the scripted therapist takes part in (the caller's audio becomes
turns in `user_turns`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription

from therapy_desktop.engine import protocol as p
from therapy_desktop.engine import safe_json
from therapy_desktop.engine.models import EngineModels
from therapy_desktop.engine.responses import EngineResponse, ResponseContext
from therapy_desktop.engine.session_config import SessionConfigError, merge_session
from therapy_desktop.engine.spoken_items import ClientError, SpokenAudio, truncation
from therapy_desktop.engine.therapist import CallTool, Say, ScriptedTherapist, therapy_type_from_instructions
from therapy_desktop.engine.user_turns import TurnContext, UserTurn, UserTurns
from therapy_desktop.engine.voice_track import VoiceTrack
from therapy_desktop.realtime.ice import loopback_candidates
from therapy_desktop.realtime.inline_decoder import InlineDecoderQueue, decode_audio_on_the_loop
from therapy_desktop.realtime.receive_buffer import shorten_audio_receive_buffers

log = logging.getLogger(__name__)

MAX_CLIENT_EVENT = 256 * 1024  # characters (or bytes) of one data-channel message: the size the client advertises


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
        self._channel: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._last_item_id: str | None = None
        self._response: EngineResponse | None = None
        self._response_task: asyncio.Task[None] | None = None
        self._tool_calls: dict[str, tuple[str, dict[str, Any]]] = {}  # call_id -> (name, arguments), awaiting output
        self._tool_outputs: list[tuple[str, dict[str, Any]]] = []  # outputs arrived, awaiting response.create
        self._known_items: set[str] = set()  # every item of the conversation
        self._spoken: dict[str, SpokenAudio] = {}  # assistant messages with audio, for truncation
        self._pending_text = ""  # a typed user message waiting for response.create
        self.user_turns = UserTurns(TurnContext(
            call_id=call_id, session=lambda: self.session, models=models, therapist=self.therapist, send=self._send,
            last_item_id=lambda: self._last_item_id, note_item=self._note_item, start_response=self._start_response,
            cancel_response=self._cancel_response, spawn=self._spawn,
        ))
        self.decoding: list[InlineDecoderQueue] = []  # the caller's audio, decoded on the loop
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
                self._spawn(self.user_turns.listen(track))

        @pc.on("connectionstatechange")
        async def _state() -> None:
            log.info("engine call %s: %s", self.id, pc.connectionState)
            if pc.connectionState in ("failed", "closed"):
                await self.close()

        await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
        pc.addTrack(self.track)
        shorten_audio_receive_buffers(pc)
        self.decoding = decode_audio_on_the_loop(pc)  # no thread hop per received frame
        with loopback_candidates():
            await pc.setLocalDescription(await pc.createAnswer())
        return pc.localDescription.sdp

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.user_turns.close()
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
        self.user_turns.configure()
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
        elif self.user_turns.answer_committed():  # a turn the client committed (push-to-talk): its answer started
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
        self.user_turns.clear()
        self._send(p.event("input_audio_buffer.cleared"))

    def _input_commit(self, event: dict[str, Any]) -> None:
        self.user_turns.commit()

    def _item_truncate(self, event: dict[str, Any]) -> None:
        spoken = truncation(event, self._spoken, self._known_items)
        spoken.truncate(event["audio_end_ms"])
        self._send(p.event("conversation.item.truncated", item_id=spoken.item_id, content_index=0,
                           audio_end_ms=event["audio_end_ms"]))

    def _note_item(self, item_id: str) -> None:
        self._last_item_id = item_id
        self._known_items.add(item_id)

    @property
    def turns(self) -> list[UserTurn]:
        return self.user_turns.turns

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


async def _ready(turn: Say | CallTool) -> Say | CallTool:
    return turn


def _as_request(session: dict[str, Any]) -> dict[str, Any]:
    """The session as session.created/updated carry it (the request shape: no id/object/expiry)."""
    return {k: v for k, v in session.items() if k not in ("id", "object", "expires_at")}
