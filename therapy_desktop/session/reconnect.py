"""How a session gets its call back: when to try again, and what the new call is told so the
AI companion carries on instead of starting over."""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from therapy_desktop.realtime import client_events
from therapy_desktop.realtime.errors import RealtimeError
from therapy_desktop.session.transcript import ASSISTANT, USER, TranscriptItem

log = logging.getLogger(__name__)
T = TypeVar("T")

SERVICE_CALL_CAP = 60 * 60.0  # the service ends a call after 60 minutes (`session_expired`)


@dataclass(frozen=True)
class ReconnectPolicy:
    first_delay: float = 0.25
    factor: float = 2.0
    max_delay: float = 8.0
    jitter: float = 0.3  # ± this share of each delay, so many clients do not retry in step
    give_up_after: float = 60.0  # then say so, keep the transcript, offer "Try again"
    silence_limit: float = 30.0  # no events and no audio this long = the call is gone
    call_cap: float = SERVICE_CALL_CAP
    renew_margin: float = 120.0  # renew at the first pause this long before the cap

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        """Seconds to wait before each attempt: the first at once, then growing with jitter."""
        rng = rng or random.Random()
        yield 0.0
        delay = self.first_delay
        while True:
            yield delay * (1 + rng.uniform(-self.jitter, self.jitter))
            delay = min(delay * self.factor, self.max_delay)

    @property
    def renew_after(self) -> float:
        return max(self.call_cap - self.renew_margin, 1.0)


RECENT_TURNS = 10  # sent as they were said
MAX_TURN_CHARS = 2_000  # each item stays far below the 64 KiB a data-channel message may hold
EARLIER_TURN_CHARS = 200
EARLIER_TOTAL_CHARS = 6_000

_CONTEXT_NOTE = (
    "The connection was renewed in the middle of this conversation; nothing was lost on the person's side. "
    "Do not greet again or start over: carry on from where the conversation was."
)


def restoration_events(items: list[TranscriptItem]) -> tuple[list[dict[str, Any]], set[str]]:
    """`conversation.item.create` events that give a new call the conversation so far: a short
    account of the earlier turns, then the recent turns as they were said. Returns the events
    and the item ids they use (the session hides those items when the server echoes them)."""
    turns = [item for item in items if item.role in (USER, ASSISTANT) and item.text.strip()]
    earlier, recent = turns[:-RECENT_TURNS], turns[-RECENT_TURNS:]
    prefix = f"ctx{secrets.token_hex(4)}"
    messages: list[tuple[str, str]] = [("system", _context_note(earlier))]
    messages += [(item.role or USER, _clip(item.text, MAX_TURN_CHARS)) for item in recent]
    events, ids = [], set()
    for index, (role, text) in enumerate(messages):
        item_id = f"{prefix}_{index}"
        ids.add(item_id)
        content_type = "output_text" if role == ASSISTANT else "input_text"
        events.append(client_events.conversation_item_create(
            {"id": item_id, "type": "message", "role": role, "content": [{"type": content_type, "text": text}]}
        ))
    return events, ids


def _context_note(earlier: list[TranscriptItem]) -> str:
    if not earlier:
        return _CONTEXT_NOTE
    lines, used = [], 0
    for item in earlier:
        speaker = "The person" if item.role == USER else "You"
        line = f"{speaker}: {_clip(item.text, EARLIER_TURN_CHARS)}"
        if used + len(line) > EARLIER_TOTAL_CHARS:
            lines.append("(more was said before the recent turns below)")
            break
        lines.append(line)
        used += len(line)
    return f"{_CONTEXT_NOTE}\nEarlier in this session:\n" + "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def call_with_backoff(
    attempt: Callable[[], Awaitable[T]],
    policy: ReconnectPolicy,
    *,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """`attempt()` until it succeeds, waiting `policy.delays()` between tries, for at most
    `policy.give_up_after` seconds; then (or at once, for an error that trying again cannot
    fix: a rejected key) the last error is raised."""
    deadline = monotonic() + policy.give_up_after
    for delay in policy.delays():
        if delay:
            await sleep(min(delay, max(deadline - monotonic(), 0.0)))
        try:
            return await attempt()
        except RealtimeError as exc:
            log.info("reconnect attempt failed: %s", exc)
            if not exc.retryable or monotonic() >= deadline:
                raise
    raise AssertionError("delays() never ends")
