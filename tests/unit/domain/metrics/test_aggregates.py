"""Aggregate-then-merge equals direct computation, whatever the interactions, the zone and
the report window (hypothesis), and the aggregate item keys."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics import aggregates
from chalicelib.domain.metrics.buckets import IntervalSize, interval_of, zone
from chalicelib.domain.metrics.definitions import repeat_contacts
from chalicelib.domain.metrics.records import (
    CONNECT,
    FLEX,
    AgentStateInterval,
    InteractionRecord,
    Outcome,
    QueueSettings,
    SettingsByQueue,
)
from chalicelib.domain.metrics.summary import Summary, Totals

# A month with a DST change in each zone (Kolkata and Kathmandu have none; Kathmandu's
# +05:45 offset puts local quarters and hours off UTC's).
ZONES = {
    "America/New_York": (2026, 11), "Europe/London": (2026, 10),
    "Australia/Sydney": (2026, 10), "America/Santiago": (2026, 9),
    "Asia/Kathmandu": (2026, 3), "Asia/Kolkata": (2026, 2), "UTC": (2026, 2),
}
SETTINGS = SettingsByQueue({
    "q1": QueueSettings(sl_threshold_seconds=20, short_abandon_seconds=5, formula=FLEX),
    "q2": QueueSettings(sl_threshold_seconds=30, short_abandon_seconds=3, formula=CONNECT),
})
FCR_WINDOW = 2 * 24 * 3600.0


def month_bounds(tz_name: str) -> tuple[float, float]:
    tz = zone(tz_name)
    year, month = ZONES[tz_name]
    month_interval = interval_of(datetime(year, month, 15, 12, tzinfo=tz).timestamp(),
                                 IntervalSize.MONTH, tz)
    return month_interval.start, month_interval.end


@st.composite
def scenario(draw: st.DrawFn) -> tuple[str, list[InteractionRecord], list[AgentStateInterval]]:
    tz_name = draw(st.sampled_from(sorted(ZONES)))
    start, end = month_bounds(tz_name)
    records = []
    for n in range(draw(st.integers(0, 40))):
        outcome = draw(st.sampled_from(list(Outcome)))
        offered = draw(st.floats(start, end - 1, allow_nan=False))
        answered = outcome in (Outcome.ANSWERED, Outcome.TRANSFERRED)
        wait = draw(st.floats(0, 120, allow_nan=False))
        records.append(InteractionRecord(
            interaction_id=f"i{n:03d}",
            channel=draw(st.sampled_from(["voice", "sms", "chat"])),
            queue=None if outcome is Outcome.ABANDONED_IVR else draw(st.sampled_from(["q1", "q2"])),
            agent=draw(st.sampled_from(["a1", "a2"])) if answered else None,
            contact_key=draw(st.sampled_from(["c1", "c2", "c3", "c4", ""])),
            offered_at=offered, outcome=outcome,
            answered_at=offered + wait if answered else None,
            wait_seconds=wait,
            talk_seconds=draw(st.floats(0, 900, allow_nan=False)) if answered else 0.0,
            hold_seconds=draw(st.floats(0, 120, allow_nan=False)) if answered else 0.0,
            wrapup_seconds=draw(st.floats(0, 120, allow_nan=False)) if answered else 0.0))
    intervals = []
    for _ in range(draw(st.integers(0, 8))):
        begin = draw(st.floats(start, end - 1, allow_nan=False))
        length = draw(st.floats(0, 6 * 3600, allow_nan=False))
        intervals.append(AgentStateInterval(
            draw(st.sampled_from(["a1", "a2"])),
            draw(st.sampled_from(["available", "busy", "wrapup", "unavailable"])),
            begin, min(end, begin + length)))
    return tz_name, records, intervals


def expected_summary(records: list[InteractionRecord], intervals: list[AgentStateInterval],
                     start: float, end: float, repeated: set[str]) -> Summary:
    """The figures computed the plain way, one metric at a time, from the raw records."""
    def ms(x: float) -> int:
        return round(x * 1000)

    in_window = [r for r in records if start <= r.offered_at < end]
    queued = [r for r in in_window if r.outcome is not Outcome.ABANDONED_IVR]
    short = [r for r in queued if r.outcome is Outcome.ABANDONED_QUEUE
             and r.wait_seconds < SETTINGS(r.queue).short_abandon_seconds]
    offered = [r for r in queued if r not in short]
    answered = [r for r in offered if r.outcome in (Outcome.ANSWERED, Outcome.TRANSFERRED)]
    met = counted = 0
    for r in offered:
        cfg = SETTINGS(r.queue)
        within = r.wait_seconds <= cfg.sl_threshold_seconds
        counted += 1
        if r in answered or cfg.formula.exits_within_threshold_meet:
            met += within
    eligible = [r for r in answered if r.contact_key]
    staffed = handling = 0
    for i in intervals:
        piece = max(0, ms(min(end, i.end)) - ms(max(start, i.start)))
        if i.state in ("available", "busy", "wrapup"):
            staffed += piece
        if i.state in ("busy", "wrapup"):
            handling += piece
    handle = sum(ms(r.talk_seconds) + ms(r.hold_seconds) + ms(r.wrapup_seconds)
                 for r in answered)
    waits = sum(ms(r.wait_seconds) for r in answered)
    return Summary(
        offered=len(offered), answered=len(answered),
        abandoned=sum(r.outcome is Outcome.ABANDONED_QUEUE for r in offered),
        short_abandoned=len(short), ivr_abandoned=len(in_window) - len(queued),
        callbacks=sum(r.outcome is Outcome.CALLBACK for r in offered),
        voicemails=sum(r.outcome is Outcome.VOICEMAIL for r in offered),
        transfers=sum(r.outcome is Outcome.TRANSFERRED for r in offered),
        service_level=met / counted if counted else None,
        abandon_rate=(sum(r.outcome is Outcome.ABANDONED_QUEUE for r in offered) / len(offered)
                      if offered else None),
        asa_seconds=waits / len(answered) / 1000 if answered else None,
        aht_seconds=handle / len(answered) / 1000 if answered else None,
        longest_wait_seconds=(max(ms(r.wait_seconds) for r in offered) / 1000
                              if offered else None),
        occupancy=handling / staffed if staffed else None,
        fcr=((len(eligible) - sum(r.interaction_id in repeated for r in eligible))
             / len(eligible) if eligible else None))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario(), st.data())
def test_merged_aggregates_equal_direct_computation(case, data):
    tz_name, records, intervals = case
    tz = zone(tz_name)
    month_start, month_end = month_bounds(tz_name)
    repeated = repeat_contacts(records, FCR_WINDOW)
    built = aggregates.build(records, SETTINGS, tz, repeated, intervals)

    # The whole month: one aggregate per key.
    month = aggregates.cover(month_start, month_end, tz)
    assert [i.size for i in month] == [IntervalSize.MONTH]
    assert Summary.of(aggregates.report(built, month)) == expected_summary(
        records, intervals, month_start, month_end, repeated)

    # Any window on quarter-hour boundaries: a mix of days, hours and quarters.
    quarters = int((month_end - month_start) // 900)
    a = data.draw(st.integers(0, quarters - 1))
    b = data.draw(st.integers(a + 1, quarters))
    start = interval_of(month_start + a * 900, IntervalSize.QUARTER_HOUR, tz).start
    end = interval_of(month_start + b * 900, IntervalSize.QUARTER_HOUR, tz).start
    if end <= start:
        return
    tiles = aggregates.cover(start, end, tz)
    assert tiles[0].start == start and tiles[-1].end == end
    assert all(x.end == y.start for x, y in itertools.pairwise(tiles))
    assert Summary.of(aggregates.report(built, tiles)) == expected_summary(
        records, intervals, start, end, repeated)


def test_totals_merge_adds_and_keeps_the_longest_wait():
    left = Totals(offered=2, answered=1, wait_max_ms=9000, talk_ms=100)
    right = Totals(offered=3, answered=3, wait_max_ms=4000, talk_ms=50)
    assert left.merge(right) == Totals(offered=5, answered=4, wait_max_ms=9000, talk_ms=150)
    assert Totals.from_dict(left.merge(right).to_dict()) == left.merge(right)


def test_summary_of_nothing_has_no_ratios():
    summary = Summary.of(Totals())
    assert summary.offered == 0
    assert summary.service_level is None and summary.asa_seconds is None
    assert summary.longest_wait_seconds is None and summary.occupancy is None


def test_a_month_report_reads_one_partition_of_tens_of_items():
    tz = zone("America/New_York")
    start, _ = month_bounds("America/New_York")
    records = [InteractionRecord(f"i{n}", ch, q, ag, f"c{n}", start + n * 600.0, "answered",
                                 answered_at=start + n * 600.0 + 5, wait_seconds=5,
                                 talk_seconds=60)
               for n, (ch, q, ag) in enumerate(
                   (ch, q, ag) for ch in ("voice", "sms") for q in ("q1", "q2")
                   for ag in ("a1", "a2", "a3") for _ in range(100))]
    built = aggregates.build(records, SETTINGS, tz)
    month_keys = {aggregates.item_key("tn_1", k, tz) for k in built
                  if k.size is IntervalSize.MONTH}
    # 1,200 interactions, 2 channels x 2 queues x 3 agents: 12 items in one partition.
    assert len(month_keys) == 12
    assert {pk for pk, _ in month_keys} == {"tn_1#agg#month#2026"}


def test_item_keys_group_a_report_in_one_partition():
    tz = zone("America/New_York")
    ts = datetime(2026, 11, 1, 1, 30, tzinfo=tz).timestamp()  # first 01:30 (EDT)
    for size, pk, sk in (
        (IntervalSize.QUARTER_HOUR, "tn_1#agg#15m#2026-11-01",
         "2026-11-01T01:30-04:00#q1#a1#voice"),
        (IntervalSize.HOUR, "tn_1#agg#hour#2026-11-01", "2026-11-01T01:00-04:00#q1#a1#voice"),
        (IntervalSize.DAY, "tn_1#agg#day#2026-11", "2026-11-01#q1#a1#voice"),
        (IntervalSize.MONTH, "tn_1#agg#month#2026", "2026-11#q1#a1#voice"),
    ):
        interval = interval_of(ts, size, tz)
        key = aggregates.AggregateKey(size, interval.label, interval.start, "q1", "a1", "voice")
        assert aggregates.item_key("tn_1", key, tz) == (pk, sk)


def test_cover_uses_the_coarsest_intervals_and_rejects_unaligned_edges():
    tz = zone("Europe/London")
    start = datetime(2026, 9, 30, 22, 45, tzinfo=tz).timestamp()
    end = datetime(2026, 12, 1, 1, 15, tzinfo=tz).timestamp()
    tiles = aggregates.cover(start, end, tz)
    # 22:45 quarter, 23:00 hour, Oct and Nov months, 00:00 hour, 01:00 quarter.
    assert [(t.size.value, t.label) for t in tiles] == [
        ("15m", "2026-09-30T22:45+01:00"), ("hour", "2026-09-30T23:00+01:00"),
        ("month", "2026-10"), ("month", "2026-11"),
        ("hour", "2026-12-01T00:00+00:00"), ("15m", "2026-12-01T01:00+00:00")]
    with pytest.raises(InvalidInput) as raised:
        aggregates.cover(start + 60, end, tz)
    assert raised.value.path == "from"


def test_a_repeat_contact_adds_one_fcr_repeat_to_each_size():
    tz = zone("UTC")
    answered = InteractionRecord("i1", "voice", "q1", "a1", "c1", 1_790_000_000.0,
                                 "answered", answered_at=1_790_000_005.0, wait_seconds=5)
    built = aggregates.build([answered], SETTINGS, tz)
    aggregates.accumulate(built, aggregates.repeat_contributions(answered, tz))
    assert {k.size: t.fcr_repeat for k, t in built.items()} == {
        size: 1 for size in IntervalSize}
    assert {Summary.of(t).fcr for t in built.values()} == {0.0}
