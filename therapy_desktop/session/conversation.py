"""What the server's events mean for the conversation: the transcript, whose turn it is, tool
calls to answer. No I/O: it asks its owner to send events and to act on audio through callbacks.
It outlives calls: after a reconnect the same conversation goes on with the new call's events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from therapy_desktop.realtime import client_events
from therapy_desktop.realtime import server_events as ev
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.tool_calls import ToolCallQueue
from therapy_desktop.session.texts import MALFORMED_MESSAGE_SKIPPED, RESPONSE_FAILED, SERVICE_REPORTED
from therapy_desktop.session.transcript import ASSISTANT, USER, Transcript
from therapy_desktop.therapy import SessionSummary, ToolResult

log = logging.getLogger(__name__)

REPLY_WAIT = 8.0  # after the person stops speaking, how long a reply counts as on its way


@dataclass
class ConversationActions:
    """What the conversation needs its owner to do."""

    send: Callable[[dict[str, Any]], None]
    flush_playback: Callable[[], None]  # drop therapist audio queued locally (barge-in, cleared buffer)
    remote_speaking_changed: Callable[[bool], None]
    changed: Callable[[], None]  # something that decides the session's state changed
    # The service heard the person start (barge-in decides); None: flush playback at once.
    speech_started: Callable[[], None] | None = None


class Conversation:
    def __init__(self, actions: ConversationActions) -> None:
        self._actions = actions
        self.transcript = Transcript()
        self.summary: SessionSummary | None = None
        self.end_requested = False  # the model called end_session_summary
        self.tool_did_run: Hook[ToolResult] = Hook("tool_did_run")
        self.error_did_occur: Hook[str] = Hook("error_did_occur")
        self.usage_did_arrive: Hook[dict[str, Any]] = Hook("usage_did_arrive")
        self.session_updated = asyncio.Event()
        self.user_speaking = False
        self.remote_speaking = False
        self.active_responses: set[str | None] = set()
        self._tool_calls = ToolCallQueue()
        self._reply_timer: asyncio.TimerHandle | None = None
        self.rate_limits: list[ev.RateLimit] = []
        self._hidden: set[str] = set()  # items we created to restore context on a new call
        self._told_skipped = False
        self._reply_owed = False  # asked for while a response was under way: asked for when it is done

    @property
    def awaiting_reply(self) -> bool:
        """The person finished (or we asked for a reply) and no response has started yet."""
        return self._reply_timer is not None

    @property
    def answering(self) -> bool:
        """The AI companion has the turn: a reply is on its way, being generated, or a tool waits."""
        return bool(self.active_responses or self._tool_calls.waiting or self.awaiting_reply)

    @property
    def busy(self) -> bool:
        """Someone speaks, something is being generated, or a tool call waits for its answer."""
        return bool(
            self.user_speaking or self.remote_speaking or self.active_responses or self._tool_calls.waiting
            or self.awaiting_reply
        )

    def close(self) -> None:
        self._stop_waiting_for_reply()

    def ask_for_reply(self, *, waiting: bool = True) -> None:
        """`response.create` now, or once the response under way is done: the service refuses a
        second one while one is active (`conversation_already_has_active_response`), and the
        person would read that refusal as an error."""
        if self.active_responses:
            self._reply_owed = True
            return
        self._actions.send(client_events.response_create())
        if waiting:  # the person waits for this reply (shown as thinking); a note to the model does not
            self._wait_for_reply()

    def call_changed(self, restored_item_ids: set[str]) -> None:
        """The call was replaced: whatever was under way on the old one will not finish. A reply
        cut off says so; the new call's echo of the restored context stays out of the transcript."""
        self._stop_waiting_for_reply()
        self._hidden |= restored_item_ids
        self.user_speaking = False
        self._set_remote_speaking(False)
        self.active_responses.clear()
        self._reply_owed = False  # the old call's response will never be done; the new call starts afresh
        self._tool_calls = ToolCallQueue()
        for item in self.transcript.visible_items():
            if item.role == ASSISTANT and not item.final:
                self.transcript.mark(item.item_id, "interrupted")

    # -- events --------------------------------------------------------------------------------

    def apply(self, event: ev.ServerEvent) -> None:  # noqa: C901 - a flat dispatch table reads best
        t = self.transcript
        if _item_id_of(event) in self._hidden:
            return
        match event:
            case ev.SessionUpdated():
                self.session_updated.set()
            case ev.SpeechStarted():
                self.user_speaking = True
                if self._actions.speech_started is not None:
                    self._actions.speech_started()
                else:
                    self._actions.flush_playback()  # barge-in: stop what is still queued locally
            case ev.SpeechStopped():
                self.user_speaking = False
                self._wait_for_reply()
            case ev.InputCommitted(item_id=item_id):
                t.note_item(item_id, role=USER, previous_item_id=event.previous_item_id, position_known=event.position_known)
            case ev.ItemAdded(item=item) | ev.ItemDone(item=item):
                t.note_item(item.id, role=item.role, kind=item.type, previous_item_id=event.previous_item_id,
                            position_known=event.position_known)
                existing = t.get(item.id)
                if isinstance(event, ev.ItemDone) and item.text and existing is not None and not existing.final:
                    t.set_text(item.id, item.text)
            case ev.InputTranscriptDelta():
                t.append_text(event.item_id, event.delta)
            case ev.InputTranscriptCompleted():
                t.set_text(event.item_id, event.transcript.strip())
            case ev.InputTranscriptFailed():
                t.mark(event.item_id, "transcription_failed")
            case ev.ResponseCreated():
                self.active_responses.add(event.response_id)
                self._stop_waiting_for_reply()
            case ev.OutputItemAdded(item=item):
                t.note_item(item.id, role=item.role, kind=item.type)
            case ev.AssistantTranscriptDelta():
                t.append_text(event.item_id, event.delta)
            case ev.AssistantTranscriptDone():
                t.set_text(event.item_id, event.transcript)
            case ev.AssistantTextDone():
                t.set_text(event.item_id, event.text)
            case ev.ItemTruncated():
                t.mark(event.item_id, "interrupted")
            case ev.FunctionCallArgumentsDone():
                self._tool_calls.add(event.response_id, event.call_id, event.name, event.arguments)
            case ev.ResponseDone():
                self._response_done(event)
            case ev.OutputAudioStarted():
                self._set_remote_speaking(True)
            case ev.OutputAudioStopped():
                self._set_remote_speaking(False)
            case ev.OutputAudioCleared():
                self._actions.flush_playback()
                self._set_remote_speaking(False)
            case ev.ServerError():
                log.warning("server error event: %s (%s)", event.message, event.code)
                self.error_did_occur.emit(SERVICE_REPORTED.format(message=event.message))
            case ev.SkippedMessage():
                if not self._told_skipped:  # once a session: a flood must not flood the window
                    self._told_skipped = True
                    self.error_did_occur.emit(MALFORMED_MESSAGE_SKIPPED)
            case ev.RateLimitsUpdated():
                self.rate_limits = event.limits()  # kept for the usage view
            case ev.InputTimeoutTriggered():
                log.info("the service noticed a long silence")
            case ev.UnknownEvent():
                log.info("ignored unknown server event %s", event.type)
            case _:
                log.debug("unhandled server event %s", type(event).__name__)

    def _set_remote_speaking(self, speaking: bool) -> None:
        self.remote_speaking = speaking
        self._actions.remote_speaking_changed(speaking)

    def _response_done(self, event: ev.ResponseDone) -> None:
        self.active_responses.discard(event.response_id)
        usage = event.response.get("usage")
        if isinstance(usage, dict):
            self.usage_did_arrive.emit(usage)
        if event.status in ("cancelled", "incomplete"):
            outputs = event.response.get("output")
            for output in outputs if isinstance(outputs, list) else []:
                if isinstance(output, dict) and output.get("id") and output.get("type") == "message":
                    self.transcript.mark(output["id"], "interrupted")
        elif event.status == "failed":
            details = event.response.get("status_details") or {}
            error = (details.get("error") or {}) if isinstance(details, dict) else {}
            message = error.get("message") if isinstance(error, dict) else None
            self.error_did_occur.emit(RESPONSE_FAILED.format(message=message or "the response failed"))
        if event.status != "completed":
            self._tool_calls.discard(event.response_id)
        results = self._tool_calls.take(event.response_id)
        for result in results:
            log.info("tool %s -> %s", result.name, "error" if result.error else "ok")
            if isinstance(result.effect, SessionSummary):
                self.summary = result.effect
            if result.ends_session:
                self.end_requested = True
            self.tool_did_run.emit(result)
            self._actions.send(client_events.function_call_output(result.call_id, result.output_json))
        if self._reply_owed and self.user_speaking:
            self._reply_owed = False  # cut off by the person: the service answers when they finish, what was typed included
        if results or (self._reply_owed and not self.active_responses):
            self._reply_owed = False  # one reply answers both the tool output and what was typed
            self._actions.send(client_events.response_create())
            self._wait_for_reply()

    # -- waiting for a reply --------------------------------------------------------------------

    def _wait_for_reply(self) -> None:
        """A reply should start soon; if none does within REPLY_WAIT, stop saying so."""
        self._stop_waiting_for_reply()
        self._reply_timer = asyncio.get_running_loop().call_later(REPLY_WAIT, self._reply_never_came)

    def _stop_waiting_for_reply(self) -> None:
        if self._reply_timer is not None:
            self._reply_timer.cancel()
            self._reply_timer = None

    def _reply_never_came(self) -> None:
        self._reply_timer = None
        log.info("no response within %.0f s of the turn", REPLY_WAIT)
        self._actions.changed()


def _item_id_of(event: ev.ServerEvent) -> str | None:
    item = getattr(event, "item", None)
    return item.id if isinstance(item, ev.ConversationItem) else getattr(event, "item_id", None)
