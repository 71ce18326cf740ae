"""The sticky crisis flag of one session, and which nets raised it for which transcript item.

Three nets can raise it: the local classifier (`local`), the moderation endpoint (`moderation`,
OpenAI mode only, arrives later and asynchronously) and the model's `flag_safety_concern` tool
(`model_tool`, not tied to one transcript item). Once raised it stays raised for the session:
nothing the person says afterwards ("you misunderstood", "I was joking") lowers it, and there is
deliberately no method that would. The flag is per session; `needs_check_in` carries it over to the
next one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from therapy_desktop.therapy.clock import require_aware as _aware
from therapy_desktop.therapy.clock import utc_now
from therapy_desktop.therapy.crisis_rules import CrisisKind

CHECK_IN_WINDOW = timedelta(hours=24)


class Net(StrEnum):
    LOCAL = "local"
    MODERATION = "moderation"
    MODEL_TOOL = "model_tool"


@dataclass(frozen=True)
class FlagRecord:
    """One net's verdict on one item (or on the session, for the model's tool: item_id None)."""

    net: Net
    item_id: str | None
    at: datetime
    kinds: frozenset[CrisisKind] = frozenset()
    reason: str = ""


@dataclass(frozen=True)
class FlagChange:
    """What `CrisisFlag.record` did: whether the panel must come up now, and the item's nets so far."""

    newly_raised: bool
    item_nets: frozenset[Net]


class CrisisFlag:
    """Per-session, sticky. `record` every net's positive verdict; read `raised` and `nets_for`."""

    def __init__(self, clock: Callable[[], datetime] = utc_now) -> None:
        self._clock = clock
        self._records: list[FlagRecord] = []

    @property
    def raised(self) -> bool:
        return bool(self._records)

    @property
    def raised_at(self) -> datetime | None:
        return self._records[0].at if self._records else None

    @property
    def records(self) -> tuple[FlagRecord, ...]:
        return tuple(self._records)

    def record(
        self,
        net: Net,
        item_id: str | None = None,
        *,
        kinds: Iterable[CrisisKind] = (),
        reason: str = "",
    ) -> FlagChange:
        """A net flagged `item_id` (None: the session as a whole). Idempotent per (net, item)."""
        net = Net(net)
        was_raised = self.raised
        if not any(r.net == net and r.item_id == item_id for r in self._records):
            at = _aware(self._clock(), "the clock's time")
            self._records.append(FlagRecord(net, item_id, at, frozenset(kinds), reason))
        return FlagChange(newly_raised=not was_raised, item_nets=self.nets_for(item_id))

    def nets_for(self, item_id: str | None) -> frozenset[Net]:
        """The nets that flagged this item; for `None`, the nets that flagged the session itself."""
        return frozenset(r.net for r in self._records if r.item_id == item_id)

    def is_flagged(self, item_id: str) -> bool:
        return bool(self.nets_for(item_id))

    @property
    def flagged_items(self) -> tuple[str, ...]:
        """Item ids flagged by any net, in the order they were first flagged."""
        seen: dict[str, None] = {}
        for record in self._records:
            if record.item_id is not None:
                seen.setdefault(record.item_id)
        return tuple(seen)

    @property
    def kinds(self) -> frozenset[CrisisKind]:
        return frozenset(k for r in self._records for k in r.kinds)


def needs_check_in(last_flagged_at: datetime | None, now: datetime) -> bool:
    """The next session within 24 hours of a flagged one opens with a check-in card."""
    if last_flagged_at is None:
        return False
    elapsed = _aware(now, "now") - _aware(last_flagged_at, "last_flagged_at")
    # A clock set back (elapsed < 0) still means "recently": better a gentle card than none.
    return elapsed < CHECK_IN_WINDOW
