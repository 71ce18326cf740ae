"""The crisis net and the AI-identity rules, on one live session.

Every finished user transcript is classified at once, offline (`therapy.classify`); in OpenAI
mode the moderation endpoint checks it too, off the turn; the model may call
`flag_safety_concern`. Any net raises the session's sticky flag, and the first raise brings up
the window's crisis panel (`crisis_did_raise`). The session never hangs up on someone in
distress: the instructions carry the protocol.

The AI speaks first and says what it is: the first response of the session is asked for with
instructions to greet and disclose; the disclosure is repeated after three hours of use and
whenever the person asks whether they are talking to a human (`disclosure_did_show`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from therapy_desktop.realtime import client_events
from therapy_desktop.session.events import SessionEvents
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.transcript import USER, Transcript, TranscriptItem
from therapy_desktop.therapy import (
    FIRST_RESPONSE_INSTRUCTIONS,
    REDISCLOSE_INSTRUCTIONS,
    CrisisFlag,
    DisclosurePolicy,
    DisclosureReason,
    FlagChange,
    Net,
    SafetyConcern,
    ToolResult,
    classify,
)
from therapy_desktop.therapy import crisis_embedding
from therapy_desktop.therapy.clock import utc_now

log = logging.getLogger(__name__)

Moderate = Callable[[str], Awaitable[bool | None]]  # self-harm flagged?  None: no answer
DISCLOSURE_CHECK_SECONDS = 60.0


class SafetyWatch:
    def __init__(
        self,
        *,
        send: Callable[[dict], None],
        is_quiet: Callable[[], bool],
        last_use: datetime | None = None,
        moderate: Moderate | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._send = send
        self._is_quiet = is_quiet
        crisis_embedding.preload()  # the sentence model loads off the loop, before the first turn needs it
        self._moderate = moderate
        self.flag = CrisisFlag(clock=clock)
        self.disclosure = DisclosurePolicy(last_use, clock=clock)
        self.crisis_did_raise: Hook[FlagChange] = Hook("crisis_did_raise")
        self.disclosure_did_show: Hook[DisclosureReason] = Hook("disclosure_did_show")
        self._checked: set[str] = set()
        self._moderation: set[asyncio.Task[None]] = set()
        self._greeted = False
        self._timer: asyncio.TimerHandle | None = None
        self._last_user_item: str | None = None

    # -- what the session tells it ---------------------------------------------------------------

    def watch(self, events: SessionEvents, transcript: Transcript) -> None:
        """Listen to the session's state, its tool calls and the person's words."""
        events.state_did_change.connect(self.state_changed)
        events.tool_did_run.connect(self.tool_ran)
        transcript.item_did_change.connect(self.item_changed)

    def state_changed(self, state: SessionState) -> None:
        if state is SessionState.LISTENING and not self._greeted:
            self._greeted = True  # once a session: a renewed call must not greet again
            self._send(client_events.response_create(FIRST_RESPONSE_INSTRUCTIONS))
            for reason in self.disclosure.at_session_start():
                self.disclosure_did_show.emit(reason)
            self.disclosure.disclosed()
            self._schedule()
        elif not state.is_live:
            self.stop()

    def item_changed(self, item: TranscriptItem) -> None:
        if item.role != USER or not item.final or not item.text or item.item_id in self._checked:
            return
        self._checked.add(item.item_id)
        self._last_user_item = item.item_id
        assessment = classify(item.text)
        log.info("crisis check %s: %s", item.item_id, assessment.log_line)
        if assessment.is_crisis:
            self._raise(Net.LOCAL, item.item_id, kinds=assessment.kinds)
        if self._moderate is not None:
            task = asyncio.get_running_loop().create_task(self._moderation_check(item.item_id, item.text))
            self._moderation.add(task)
            task.add_done_callback(self._moderation.discard)
        reason = self.disclosure.on_user_text(item.text)
        if reason is not None:
            self.disclosure.disclosed()  # the instructions make the AI answer it; the window shows the line
            self.disclosure_did_show.emit(reason)

    def tool_ran(self, result: ToolResult) -> None:
        if isinstance(result.effect, SafetyConcern) and result.effect.is_crisis:
            self._raise(Net.MODEL_TOOL, self._last_user_item, reason=result.effect.reason)

    async def settled(self) -> None:
        """Every moderation check answered (a headless run waits before writing its transcript)."""
        if self._moderation:
            await asyncio.gather(*list(self._moderation), return_exceptions=True)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- inside --------------------------------------------------------------------------------

    def _raise(self, net: Net, item_id: str | None, **details: object) -> None:
        change = self.flag.record(net, item_id, **details)  # type: ignore[arg-type]
        log.warning("crisis flag: %s on %s", net, item_id)
        if change.newly_raised:
            self.crisis_did_raise.emit(change)

    async def _moderation_check(self, item_id: str, text: str) -> None:
        assert self._moderate is not None
        try:
            flagged = await self._moderate(text)
        except Exception:  # the local net alone decides when this one cannot
            log.exception("the moderation check failed")
            return
        if flagged:
            self._raise(Net.MODERATION, item_id)

    def _schedule(self) -> None:
        self._timer = asyncio.get_running_loop().call_later(DISCLOSURE_CHECK_SECONDS, self._check_disclosure)

    def _check_disclosure(self) -> None:
        reason = self.disclosure.due()
        if reason is not None and self._is_quiet():
            self._send(client_events.response_create(REDISCLOSE_INSTRUCTIONS))
            self.disclosure.disclosed()
            self.disclosure_did_show.emit(reason)
        self._schedule()
