"""The crisis net and the AI-identity rules, on one live session.

Every finished user transcript is classified at once, offline (`therapy.classify`), on one worker thread
(`crisis-net`) so the loop never waits on the sentence model's load or inference; results are applied on
the loop in the order the turns came. A short turn is also read as the answer to the AI's message before
it in the conversation (`therapy.answer_is_crisis`: "Do you have a plan?" — "tonight"). A turn that
arrives while the model still loads is classified by rules and words at once, and again with the sentence
vector when the model is ready. In OpenAI
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
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from therapy_desktop.realtime import client_events
from therapy_desktop.session.events import SessionEvents
from therapy_desktop.session.hooks import Hook
from therapy_desktop.session.state import SessionState
from therapy_desktop.session.transcript import ASSISTANT, USER, Transcript, TranscriptItem
from therapy_desktop.therapy import (
    FIRST_RESPONSE_INSTRUCTIONS,
    REDISCLOSE_INSTRUCTIONS,
    CrisisAssessment,
    CrisisFlag,
    Cue,
    DisclosurePolicy,
    DisclosureReason,
    FlagChange,
    Net,
    SafetyConcern,
    ToolResult,
    answer_is_crisis,
    classify,
)
from therapy_desktop.therapy import crisis_embedding
from therapy_desktop.therapy.clock import utc_now

log = logging.getLogger(__name__)

Moderate = Callable[[str], Awaitable[bool | None]]  # self-harm flagged?  None: no answer
DISCLOSURE_CHECK_SECONDS = 60.0

# One worker for the process: turns are classified one after another, in the order they were handed in
# (a FIFO queue), and a session never starts a thread of its own. Created on first use.
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _crisis_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crisis-net")
        return _executor


def _assess(text: str) -> tuple[CrisisAssessment, bool]:
    """On the worker: the assessment, and whether it is final (the sentence model had its say or is off)."""
    if crisis_embedding.ready():
        return classify(text), True
    assessment = classify(text, sentence_vector=False)  # the model is loading: rules and words now
    return assessment, assessment.is_crisis  # a raised flag stays raised; a "no" is asked again


def _assess_with_model(text: str) -> tuple[CrisisAssessment, bool]:
    return classify(text), True  # queued once the model is ready (`_when_model_ready`)


def _assess_as_answer(assess: Callable[[str], tuple[CrisisAssessment, bool]], text: str,
                      question: str | None) -> tuple[CrisisAssessment, bool]:
    """On the worker: `assess`, then a short reply read against the AI's risk question ("Do you have a
    plan?" — "tonight"), which says what the words alone do not. A raised flag is final."""
    assessment, final = assess(text)
    if assessment.is_crisis or question is None:
        return assessment, final
    kind = answer_is_crisis(question, text)
    if kind is None:
        return assessment, final
    cue = Cue(kind, "answer_to_risk_question", "answer")
    return CrisisAssessment(True, frozenset({kind}), (cue,), assessment.excused, assessment.model_score), True


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
        self._assessing: set[asyncio.Future[object]] = set()
        self._greeted = False
        self._timer: asyncio.TimerHandle | None = None
        self._last_user_item: str | None = None
        self._transcript: Transcript | None = None

    # -- what the session tells it ---------------------------------------------------------------

    def watch(self, events: SessionEvents, transcript: Transcript) -> None:
        """Listen to the session's state, its tool calls and the person's words."""
        events.state_did_change.connect(self.state_changed)
        events.tool_did_run.connect(self.tool_ran)
        transcript.item_did_change.connect(self.item_changed)
        self._transcript = transcript

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
        self._classify(item.item_id, item.text, _assess, self._message_answered_by(item))
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

    def _message_answered_by(self, item: TranscriptItem) -> str | None:
        """The AI companion's message just before this turn in the conversation, if that is what came
        before it (not arrival order: the person's transcription often lands after the next reply began)."""
        if self._transcript is None:
            return None
        before = None
        for other in self._transcript.visible_items():
            if other.item_id == item.item_id:
                break
            before = other
        return before.text if before is not None and before.role == ASSISTANT and before.text else None

    async def settled(self) -> None:
        """Every turn classified and every moderation check answered (a headless run waits before writing
        its transcript)."""
        while self._assessing or self._moderation:
            await asyncio.gather(*list(self._assessing), *list(self._moderation), return_exceptions=True)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- inside --------------------------------------------------------------------------------

    def _classify(self, item_id: str, text: str, assess: Callable[[str], tuple[CrisisAssessment, bool]],
                  question: str | None = None) -> None:
        """Hand the turn to the worker now (the queue keeps the turns' order); apply its answer on the loop.
        `question`: the AI's message the turn answers."""
        future = asyncio.get_running_loop().run_in_executor(_crisis_executor(), _assess_as_answer, assess, text, question)
        self._assessing.add(future)

        def done(f: asyncio.Future[tuple[CrisisAssessment, bool]]) -> None:
            self._assessing.discard(f)
            if f.cancelled():
                return
            if f.exception() is not None:  # classify never raises; a worker that cannot run is logged
                log.error("crisis check %s failed: %r", item_id, f.exception())
                return
            assessment, final = f.result()
            self._assessed(item_id, assessment)
            if not final:
                later = asyncio.get_running_loop().create_task(self._when_model_ready(item_id, text))
                self._assessing.add(later)
                later.add_done_callback(self._assessing.discard)

        future.add_done_callback(done)

    async def _when_model_ready(self, item_id: str, text: str) -> None:
        # Waits on a thread of its own: turns that arrive meanwhile still pass through the worker at once.
        await asyncio.to_thread(crisis_embedding.available)
        self._classify(item_id, text, _assess_with_model)

    def _assessed(self, item_id: str, assessment: CrisisAssessment) -> None:
        log.info("crisis check %s: %s", item_id, assessment.log_line)
        if assessment.is_crisis:
            self._raise(Net.LOCAL, item_id, kinds=assessment.kinds)

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
