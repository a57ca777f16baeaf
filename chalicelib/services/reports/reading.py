"""Reading reports from the write-time aggregates: a few Queries per report.

A summary merges the aggregates that exactly tile its range (``cover``: months, days,
hours, quarters); interval and agent reports read one size. Each DynamoDB partition holds
what one Query reads (a local day of quarters or hours, a month of days, a year of months),
so a month's summary reads one partition, whatever the traffic. An agent's staffed time
that is still running (available now) is added from the routing store's agents, so
today's occupancy is right before the agent changes state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.aggregates import (
    ANY,
    AggregateKey,
    Filter,
    agent_contributions,
    cover,
    item_key,
)
from chalicelib.domain.metrics.buckets import Interval, IntervalSize, interval_of
from chalicelib.domain.metrics.records import AgentState, AgentStateInterval
from chalicelib.domain.metrics.summary import Summary, Totals

MAX_RANGE_DAYS = 400
MIN_YEAR, MAX_YEAR = 2000, 2100


class AggregateReader(Protocol):
    def query(self, pk: str, sk_prefix: str | None = None) -> Any: ...


def figures(totals: Totals) -> dict[str, Any]:
    """The contract's figures object (plus ivr_abandoned, callbacks, voicemails and the
    abandon rate)."""
    return Summary.of(totals).to_dict()


def parse_instant(value: str | None, name: str, tz: ZoneInfo, end: bool = False) -> float:
    """An ISO date-time (its own offset, or the tenant's clock without one), or a date:
    ``from=2026-11-01`` is that local midnight; ``to=2026-11-30`` includes that day."""
    if not value:
        raise InvalidInput(f"{name} is required (an ISO date or date-time)", path=name)
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            check_year(day.year, name)
            if end:
                day += timedelta(days=1)
            noon = datetime.combine(day, time(12), tz).timestamp()
            return interval_of(noon, IntervalSize.DAY, tz).start  # a day's first instant
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name} is not an ISO date or date-time", path=name) from None
    check_year(parsed.year, name)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.timestamp()


def check_year(year: int, name: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"{name} must be between {MIN_YEAR} and {MAX_YEAR}", path=name)


def parse_range(start: str | None, end: str | None, tz: ZoneInfo) -> tuple[float, float]:
    lo = parse_instant(start, "from", tz)
    hi = parse_instant(end, "to", tz, end=True)
    if hi <= lo:
        raise InvalidInput("to must be after from", path="to")
    if hi - lo > MAX_RANGE_DAYS * 86400:
        raise InvalidInput(f"a report covers at most {MAX_RANGE_DAYS} days", path="to")
    return lo, hi


def key_of(size: IntervalSize, start: float, sk: str) -> AggregateKey:
    label, queue, agent, channel = sk.rsplit("#", 3)
    return AggregateKey(size, label, start, queue, agent, channel)


@dataclass
class Rows:
    """Aggregate rows read for a report, by key."""

    items: dict[AggregateKey, Totals]

    def merged(self, keys: Callable[[AggregateKey], bool]) -> Totals:
        total = Totals()
        for key, totals in self.items.items():
            if keys(key):
                total = total.merge(totals)
        return total


class AggregateReading:
    def __init__(self, store: AggregateReader) -> None:
        self.store = store
        self.queries = 0  # read by bench/aggregates.py
        self.items_read = 0

    def read(self, tenant_id: str, intervals: Iterable[Interval], tz: ZoneInfo) -> Rows:
        """Every aggregate of the given intervals, one Query per partition."""
        by_partition: dict[tuple[str, str | None], list[Interval]] = {}
        for interval in intervals:
            pk, _ = item_key(tenant_id, AggregateKey(interval.size, interval.label,
                                                     interval.start), tz)
            prefix = f"{interval.label}#" if interval.size is IntervalSize.MONTH else None
            by_partition.setdefault((pk, prefix), []).append(interval)
        rows: dict[AggregateKey, Totals] = {}
        for (pk, prefix), wanted in by_partition.items():
            labels = {i.label: i for i in wanted}
            self.queries += 1
            for stored in self.store.query(pk, prefix):
                self.items_read += 1
                label = stored.sk.rsplit("#", 3)[0]
                if label in labels:
                    interval = labels[label]
                    key = key_of(interval.size, interval.start, stored.sk)
                    rows[key] = rows[key].merge(stored.totals) if key in rows else stored.totals
        return Rows(rows)


def live_agent_time(agents: Iterable[Any], start: float, end: float, now: float,
                    tz: ZoneInfo, sizes: tuple[IntervalSize, ...]
                    ) -> Iterator[tuple[AggregateKey, Totals]]:
    """Staffed time of agents available right now, from their last change to now: not in
    the aggregates until they change state."""
    sizes = tuple(s for s in sizes if s is not IntervalSize.QUARTER_HOUR)  # as stored
    for agent in agents:
        if getattr(agent.activity, "value", agent.activity) != "available":
            continue
        since = max(float(agent.activity_changed_at or 0), start)
        until = min(now, end)
        if since <= 0 or until <= since:
            continue
        interval = AgentStateInterval(agent.agent_id, AgentState.AVAILABLE, since, until)
        for key, totals in agent_contributions(interval, tz, sizes):
            yield key, Totals(staffed_ms=totals.staffed_ms)


def add_rows(rows: Rows, contributions: Iterable[tuple[AggregateKey, Totals]]) -> None:
    for key, totals in contributions:
        rows.items[key] = rows.items[key].merge(totals) if key in rows.items else totals


def matching(where: Filter, wanted: set[tuple[IntervalSize, float]]
             ) -> Callable[[AggregateKey], bool]:
    return lambda key: (key.size, key.start) in wanted and where.matches(key)


def summary_rows(reading: AggregateReading, tenant_id: str, start: float, end: float,
                 tz: ZoneInfo) -> tuple[Rows, list[Interval]]:
    tiles = cover(start, end, tz)
    return reading.read(tenant_id, tiles, tz), tiles


def agents_in(rows: Rows) -> set[str]:
    return {key.agent for key in rows.items if key.agent != ANY}
