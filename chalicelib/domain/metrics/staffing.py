"""Staffing advice: agents per interval of the week from past arrivals, and where the
full-time agents on shift fall short (so part-timers are needed).

Arrivals of the last weeks are counted per slot of the week (weekday and local start time
of a 15-minute or hourly interval, in the tenant's zone) and averaged over the weeks. Each
slot's rate and the measured AHT give the Erlang C agents for the queue's target; with a
measured patience, Erlang A's too, and Erlang A is then the recommendation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.buckets import IntervalSize, interval_of
from chalicelib.domain.metrics.definitions import SettingsFor, is_short_abandon, summarize
from chalicelib.domain.metrics.erlang import Performance, Traffic, erlang_c_agents
from chalicelib.domain.metrics.erlang_a import erlang_a_agents
from chalicelib.domain.metrics.records import InteractionRecord, Outcome

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STAFFING_SIZES = (IntervalSize.QUARTER_HOUR, IntervalSize.HOUR)


@dataclass(frozen=True, order=True)
class Slot:
    """A recurring interval of the week: weekday (0 = Monday) and local start ``HH:MM``."""

    weekday: int
    time: str

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.time}"


def _check_size(size: IntervalSize) -> None:
    if size not in STAFFING_SIZES:
        raise InvalidInput("staffing intervals are 15m or hour", path="interval")


def _minutes(hhmm: str) -> int:
    hours, _, minutes = hhmm.partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        raise InvalidInput(f"{hhmm!r} is not HH:MM", path="shift")
    value = int(hours) * 60 + int(minutes)
    if value > 24 * 60 or int(minutes) > 59:
        raise InvalidInput(f"{hhmm!r} is not a time of day", path="shift")
    return value


def slot_of(ts: float, size: IntervalSize, tz: ZoneInfo) -> Slot:
    from datetime import datetime

    _check_size(size)
    start = datetime.fromtimestamp(interval_of(ts, size, tz).start, tz)
    return Slot(start.weekday(), start.strftime("%H:%M"))


def arrivals_per_slot(offered_at: Iterable[float], weeks: int, size: IntervalSize,
                      tz: ZoneInfo) -> dict[Slot, float]:
    """Mean arrivals per slot of the week over ``weeks`` weeks of history."""
    _check_size(size)
    if weeks < 1:
        raise InvalidInput("weeks must be at least 1", path="weeks")
    counts = Counter(slot_of(ts, size, tz) for ts in offered_at)
    return {slot: count / weeks for slot, count in sorted(counts.items())}


def measured_patience(records: Iterable[InteractionRecord],
                      settings_for: SettingsFor) -> float | None:
    """Mean patience under exponential patience, censoring included: the time everyone
    spent waiting in queue divided by the number who abandoned (the maximum-likelihood
    estimate, Mandelbaum & Zeltyn). None without abandons (infinitely patient: use
    Erlang C). Short abandons are left out, as in every metric."""
    waited = 0.0
    abandons = 0
    for record in records:
        if record.queue is None or record.outcome is Outcome.ABANDONED_IVR:
            continue
        if is_short_abandon(record, settings_for(record.queue)):
            continue
        waited += record.wait_seconds
        abandons += record.outcome is Outcome.ABANDONED_QUEUE
    return waited / abandons if abandons else None


def agents_on_shift(shifts: Iterable[tuple[int, str, str]],
                    size: IntervalSize) -> dict[Slot, int]:
    """Agents on shift per slot from (weekday, "HH:MM" start, "HH:MM" end) shifts, one per
    agent; a slot counts an agent whose shift covers all of it."""
    _check_size(size)
    step = 15 if size is IntervalSize.QUARTER_HOUR else 60
    out: Counter[Slot] = Counter()
    for weekday, start, end in shifts:
        if not 0 <= weekday <= 6:
            raise InvalidInput("weekday must be 0 (Monday) to 6", path="shift")
        lo, hi = _minutes(start), _minutes(end)
        if hi <= lo:
            raise InvalidInput(f"shift {start}-{end} ends before it starts", path="shift")
        first = -(-lo // step) * step
        for minute in range(first, hi - step + 1, step):
            out[Slot(weekday, f"{minute // 60:02d}:{minute % 60:02d}")] += 1
    return dict(out)


@dataclass(frozen=True)
class SlotAdvice:
    slot: Slot
    calls: float             # mean arrivals in the interval
    calls_per_hour: float
    erlang_c: Performance | None   # None when no calls are expected
    erlang_a: Performance | None   # with a patience only
    recommended: int
    on_shift: int
    shortfall: int           # agents to add (part-timers) to reach the recommendation

    def to_dict(self) -> dict[str, object]:
        return {"slot": str(self.slot), "weekday": WEEKDAYS[self.slot.weekday],
                "time": self.slot.time, "calls": self.calls,
                "calls_per_hour": self.calls_per_hour,
                "erlang_c": self.erlang_c.to_dict() if self.erlang_c else None,
                "erlang_a": self.erlang_a.to_dict() if self.erlang_a else None,
                "recommended": self.recommended, "on_shift": self.on_shift,
                "shortfall": self.shortfall}


def recommend(arrivals: Mapping[Slot, float], size: IntervalSize, aht_seconds: float,
              target_seconds: float, service_level: float,
              patience_seconds: float | None = None,
              on_shift: Mapping[Slot, int] | None = None) -> list[SlotAdvice]:
    """Agents per slot for the target, and the shortfall against those on shift. Slots
    with agents on shift but no expected calls are listed too (shortfall 0)."""
    _check_size(size)
    per_hour = 4 if size is IntervalSize.QUARTER_HOUR else 1
    on_shift = on_shift or {}
    rows = []
    for slot in sorted(set(arrivals) | set(on_shift)):
        calls = arrivals.get(slot, 0.0)
        staffed = on_shift.get(slot, 0)
        if calls <= 0:
            rows.append(SlotAdvice(slot, 0.0, 0.0, None, None, 0, staffed, 0))
            continue
        traffic = Traffic(calls * per_hour, aht_seconds, target_seconds)
        c = erlang_c_agents(traffic, service_level)
        a = (erlang_a_agents(traffic, service_level, patience_seconds)
             if patience_seconds is not None else None)
        needed = (a or c).agents
        rows.append(SlotAdvice(slot, calls, calls * per_hour, c, a, needed, staffed,
                               max(0, needed - staffed)))
    return rows


@dataclass(frozen=True)
class StaffingPlan:
    queue: str
    weeks: int
    aht_seconds: float | None      # measured; None without answered contacts
    patience_seconds: float | None  # measured; None without abandons (Erlang C only)
    rows: list[SlotAdvice]

    def to_dict(self) -> dict[str, object]:
        return {"queue": self.queue, "weeks": self.weeks, "aht_seconds": self.aht_seconds,
                "patience_seconds": self.patience_seconds,
                "intervals": [row.to_dict() for row in self.rows]}


def plan_from_history(records: Iterable[InteractionRecord], queue: str,
                      settings_for: SettingsFor, tz: ZoneInfo, weeks: int,
                      size: IntervalSize, on_shift: Mapping[Slot, int] | None = None,
                      ) -> StaffingPlan:
    """A queue's staffing advice from its last ``weeks`` weeks of interactions: arrivals
    (offered contacts: short and IVR abandons left out), measured AHT and patience, and the
    queue's own service-level threshold and target."""
    mine = [r for r in records if r.queue == queue]
    settings = settings_for(queue)
    offered = [r.offered_at for r in mine if r.outcome is not Outcome.ABANDONED_IVR
               and not is_short_abandon(r, settings)]
    aht = summarize(mine, settings_for).aht_seconds
    patience = measured_patience(mine, settings_for)
    arrivals = arrivals_per_slot(offered, weeks, size, tz)
    if aht is None:
        arrivals = {}
    rows = recommend(arrivals, size, aht or 1.0, settings.sl_threshold_seconds,
                     min(settings.sl_target, 0.999), patience, on_shift)
    return StaffingPlan(queue, weeks, aht, patience, rows)
