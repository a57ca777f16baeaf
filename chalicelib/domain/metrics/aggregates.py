"""Mergeable aggregates: what write-time aggregation stores, and how a report merges it.

An aggregate is a ``Totals`` for one (interval, queue, agent, channel). Every interaction
adds ``classify(...)`` to the aggregate of its interval at each size (15m, hour, day,
month); agent state intervals add their staffed and handling time to the agent's
aggregates, cut at interval boundaries. A report is the merge of the aggregates that tile
its time range, and its figures equal those computed from the raw interactions
(tests/unit/domain/metrics/test_aggregates.py proves it with hypothesis).

The DynamoDB item shape is in docs/metrics.md; ``item_key`` gives its keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.buckets import (
    INTERVAL_SIZES,
    Interval,
    IntervalSize,
    interval_of,
    intervals_between,
)
from chalicelib.domain.metrics.definitions import SettingsFor, classify
from chalicelib.domain.metrics.records import (
    HANDLING_STATES,
    STAFFED_STATES,
    AgentStateInterval,
    InteractionRecord,
)
from chalicelib.domain.metrics.summary import Totals

ANY = ""  # the queue/agent/channel of an aggregate that has none (IVR abandons, agent time)


@dataclass(frozen=True, order=True)
class AggregateKey:
    size: IntervalSize
    label: str
    start: float
    queue: str = ANY
    agent: str = ANY
    channel: str = ANY


Aggregates = dict[AggregateKey, Totals]


def _key(interval: Interval, queue: str | None, agent: str | None,
         channel: str | None) -> AggregateKey:
    return AggregateKey(interval.size, interval.label, interval.start, queue or ANY,
                        agent or ANY, channel or ANY)


def interaction_contributions(record: InteractionRecord, settings_for: SettingsFor,
                              tz: ZoneInfo, repeated: bool = False,
                              sizes: Iterable[IntervalSize] = INTERVAL_SIZES,
                              ) -> Iterator[tuple[AggregateKey, Totals]]:
    """What one interaction adds: one update per interval size (4 writes at write time)."""
    totals = classify(record, settings_for(record.queue), repeated)
    agent = record.agent if record.answered else None
    for size in sizes:
        yield _key(interval_of(record.offered_at, size, tz), record.queue, agent,
                   record.channel), totals


def repeat_contributions(record: InteractionRecord, tz: ZoneInfo,
                         sizes: Iterable[IntervalSize] = INTERVAL_SIZES,
                         ) -> Iterator[tuple[AggregateKey, Totals]]:
    """What to add to an answered interaction's aggregates when the customer comes back
    within the FCR window (once per interaction, guarded by a flag on it)."""
    if not (record.answered and record.contact_key):
        return
    for size in sizes:
        yield _key(interval_of(record.offered_at, size, tz), record.queue, record.agent,
                   record.channel), Totals(fcr_repeat=1)


def agent_contributions(interval: AgentStateInterval, tz: ZoneInfo,
                        sizes: Iterable[IntervalSize] = INTERVAL_SIZES,
                        ) -> Iterator[tuple[AggregateKey, Totals]]:
    """An agent's time in a state, cut at each size's interval boundaries. Times are
    whole milliseconds, so the pieces add up exactly to the whole."""
    staffed = interval.state in STAFFED_STATES
    handling = interval.state in HANDLING_STATES
    if not staffed:
        return
    lo, hi = round(interval.start * 1000), round(interval.end * 1000)
    for size in sizes:
        for bucket in intervals_between(interval.start, interval.end, size, tz):
            piece = min(hi, round(bucket.end * 1000)) - max(lo, round(bucket.start * 1000))
            if piece > 0:
                yield _key(bucket, None, interval.agent, None), Totals(
                    staffed_ms=piece, handling_ms=piece if handling else 0)


def accumulate(into: Aggregates, contributions: Iterable[tuple[AggregateKey, Totals]]) -> None:
    for key, totals in contributions:
        current = into.get(key)
        into[key] = totals if current is None else current.merge(totals)


def build(records: Iterable[InteractionRecord], settings_for: SettingsFor, tz: ZoneInfo,
          repeated: set[str] | frozenset[str] = frozenset(),
          agent_intervals: Iterable[AgentStateInterval] = (),
          sizes: Iterable[IntervalSize] = INTERVAL_SIZES) -> Aggregates:
    """All aggregates of a batch (what write-time aggregation would have stored)."""
    sizes = tuple(sizes)
    out: Aggregates = {}
    for record in records:
        accumulate(out, interaction_contributions(
            record, settings_for, tz, record.interaction_id in repeated, sizes))
    for interval in agent_intervals:
        accumulate(out, agent_contributions(interval, tz, sizes))
    return out


def cover(start: float, end: float, tz: ZoneInfo) -> list[Interval]:
    """The fewest intervals (months, then days, hours, quarters) that exactly tile
    ``[start, end)``: what a summary report reads. Both ends must fall on quarter-hour
    boundaries of the tenant's clock."""
    for edge, name in ((start, "from"), (end, "to")):
        if interval_of(edge, IntervalSize.QUARTER_HOUR, tz).start != edge:
            raise InvalidInput(f"{name} must be on a 15-minute boundary", path=name)
    out: list[Interval] = []
    ts = start
    while ts < end:
        for size in reversed(INTERVAL_SIZES):
            interval = interval_of(ts, size, tz)
            if interval.start == ts and interval.end <= end:
                out.append(interval)
                ts = interval.end
                break
    return out


@dataclass(frozen=True)
class Filter:
    queue: str | None = None
    agent: str | None = None
    channel: str | None = None

    def matches(self, key: AggregateKey) -> bool:
        """Agent time (no queue, no channel) counts under any queue or channel filter:
        occupancy is a property of agents, not of queues."""
        agent_time = key.queue == ANY and key.channel == ANY and key.agent != ANY
        if self.queue is not None and key.queue != self.queue and not agent_time:
            return False
        if self.channel is not None and key.channel != self.channel and not agent_time:
            return False
        return self.agent is None or key.agent == self.agent


def report(aggregates: Aggregates, intervals: Iterable[Interval],
           where: Filter = Filter()) -> Totals:
    """Merge the aggregates of the given intervals that match the filter."""
    wanted = {(i.size, i.start) for i in intervals}
    merged = Totals()
    for key, totals in aggregates.items():
        if (key.size, key.start) in wanted and where.matches(key):
            merged = merged.merge(totals)
    return merged


def item_key(tenant_id: str, key: AggregateKey, tz: ZoneInfo) -> tuple[str, str]:
    """(partition key, sort key) of the aggregate item. One partition holds what one
    report query reads: a local day of 15m/hour rows, a month of days, a year of months."""
    parent = {IntervalSize.QUARTER_HOUR: IntervalSize.DAY, IntervalSize.HOUR: IntervalSize.DAY,
              IntervalSize.DAY: IntervalSize.MONTH, IntervalSize.MONTH: None}[key.size]
    partition = (interval_of(key.start, parent, tz).label if parent is not None
                 else key.label[:4])
    pk = f"{tenant_id}#agg#{key.size.value}#{partition}"
    sk = f"{key.label}#{key.queue}#{key.agent}#{key.channel}"
    return pk, sk


@dataclass(frozen=True)
class AggregateWrite:
    """What to ADD to one aggregate item (its keys from ``item_key``)."""

    pk: str
    sk: str
    start: float
    totals: Totals
