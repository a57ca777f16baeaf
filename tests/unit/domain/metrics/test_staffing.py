"""Staffing advice from past arrivals, measured AHT and patience, against shifts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.buckets import IntervalSize, zone
from chalicelib.domain.metrics.erlang import Traffic, erlang_c_performance
from chalicelib.domain.metrics.erlang_a import erlang_a_performance
from chalicelib.domain.metrics.records import InteractionRecord, SettingsByQueue
from chalicelib.domain.metrics.staffing import (
    Slot,
    agents_on_shift,
    arrivals_per_slot,
    measured_patience,
    plan_from_history,
    recommend,
    slot_of,
)

LONDON = zone("Europe/London")
HOUR = IntervalSize.HOUR


def monday(week: int, hour: int, minute: int = 0) -> float:
    # Mondays 2026-10-19 and 2026-10-26: the second is after the clocks go back (Oct 25),
    # so the same local hour is a different UTC hour in each week.
    return (datetime(2026, 10, 19, hour, minute, tzinfo=LONDON)
            + timedelta(weeks=week)).timestamp()


def history() -> list[float]:
    """Two weeks: 60 calls in the Monday 09:00 hour, 180 in the 12:00 hour, each week."""
    calls = []
    for week in (0, 1):
        calls += [monday(week, 9) + n * 60 for n in range(60)]
        calls += [monday(week, 12) + n * 20 for n in range(180)]
    return calls


def test_arrivals_are_averaged_per_local_slot_of_the_week():
    per_slot = arrivals_per_slot(history(), weeks=2, size=HOUR, tz=LONDON)
    assert per_slot == {Slot(0, "09:00"): 60.0, Slot(0, "12:00"): 180.0}
    quarters = arrivals_per_slot(history(), weeks=2, size=IntervalSize.QUARTER_HOUR,
                                 tz=LONDON)
    assert quarters[Slot(0, "09:15")] == 15.0
    assert quarters[Slot(0, "12:45")] == 45.0


def test_full_timers_fall_short_at_the_noon_peak():
    on_shift = agents_on_shift([(0, "09:00", "17:00")] * 8, HOUR)
    rows = recommend(arrivals_per_slot(history(), 2, HOUR, LONDON), HOUR, aht_seconds=240,
                     target_seconds=20, service_level=0.8, on_shift=on_shift)
    by_slot = {row.slot: row for row in rows}
    nine, noon = by_slot[Slot(0, "09:00")], by_slot[Slot(0, "12:00")]
    # 60 calls/hour x 240 s = 4 Erlangs: 7 agents reach 89.5 % (6 only 75.9 %).
    assert (nine.calls_per_hour, nine.recommended, nine.on_shift, nine.shortfall) == (
        60.0, 7, 8, 0)
    assert erlang_c_performance(Traffic(60, 240, 20), 6).service_level < 0.8
    # 180 calls/hour = 12 Erlangs: 16 agents (85.3 %; 15 give 75.1 %): 8 part-timers.
    assert (noon.recommended, noon.on_shift, noon.shortfall) == (16, 8, 8)
    assert erlang_c_performance(Traffic(180, 240, 20), 15).service_level < 0.8
    # Hours with full-timers and no calls are listed, with nothing short.
    quiet = by_slot[Slot(0, "15:00")]
    assert (quiet.calls, quiet.recommended, quiet.on_shift, quiet.shortfall) == (0.0, 0, 8, 0)
    assert len(rows) == 8  # 09:00 to 16:00


def test_with_patience_erlang_a_recommends_and_erlang_c_is_shown_beside_it():
    rows = recommend({Slot(0, "12:00"): 180.0}, HOUR, 240, 20, 0.8, patience_seconds=90)
    row = rows[0]
    assert row.erlang_c is not None and row.erlang_a is not None
    # Callers who give up after 90 s on average shorten the queue: 14 agents, not 16.
    assert (row.erlang_c.agents, row.erlang_a.agents, row.recommended) == (16, 14, 14)
    assert erlang_a_performance(Traffic(180, 240, 20), 13, 90).service_level < 0.8
    assert row.to_dict()["erlang_a"]["p_abandon"] > 0  # type: ignore[index]


def test_quarter_hour_rates_are_per_hour_for_erlang():
    rows = recommend({Slot(2, "10:15"): 15.0}, IntervalSize.QUARTER_HOUR, 240, 20, 0.8)
    assert rows[0].calls_per_hour == 60.0
    assert rows[0].recommended == 7


def test_patience_is_total_waiting_over_abandons():
    def queued(iid, outcome, wait):
        answered = outcome == "answered"
        return InteractionRecord(iid, "voice", "q1", "a1" if answered else None, iid,
                                 1_790_000_000.0, outcome,
                                 answered_at=1_790_000_000.0 + wait if answered else None,
                                 wait_seconds=wait)

    records = [queued("i1", "answered", 30), queued("i2", "answered", 50),
               queued("i3", "abandoned-queue", 40), queued("i4", "abandoned-queue", 80),
               queued("i5", "abandoned-queue", 2),  # short abandon: left out
               queued("i6", "callback", 100)]
    # (30 + 50 + 40 + 80 + 100) / 2 abandons = 150 s.
    assert measured_patience(records, SettingsByQueue()) == pytest.approx(150.0)
    assert measured_patience(records[:2], SettingsByQueue()) is None


def test_shifts_count_agents_in_slots_they_cover_fully():
    coverage = agents_on_shift([(4, "08:30", "10:00"), (4, "09:00", "09:45")],
                               IntervalSize.QUARTER_HOUR)
    assert coverage == {Slot(4, "08:30"): 1, Slot(4, "08:45"): 1, Slot(4, "09:00"): 2,
                        Slot(4, "09:15"): 2, Slot(4, "09:30"): 2, Slot(4, "09:45"): 1}
    assert agents_on_shift([(4, "08:30", "10:00")], HOUR) == {Slot(4, "09:00"): 1}


def test_slots_follow_the_local_clock_across_a_dst_change():
    assert slot_of(monday(0, 9), HOUR, LONDON) == slot_of(monday(1, 9), HOUR, LONDON)
    assert monday(1, 9) - monday(0, 9) == 7 * 24 * 3600 + 3600


@pytest.mark.parametrize(("call", "path"), [
    (lambda: arrivals_per_slot([], 0, HOUR, LONDON), "weeks"),
    (lambda: arrivals_per_slot([], 1, IntervalSize.DAY, LONDON), "interval"),
    (lambda: agents_on_shift([(7, "09:00", "10:00")], HOUR), "shift"),
    (lambda: agents_on_shift([(0, "10:00", "09:00")], HOUR), "shift"),
    (lambda: agents_on_shift([(0, "9am", "10:00")], HOUR), "shift"),
])
def test_bad_input_names_the_field(call, path):
    with pytest.raises(InvalidInput) as raised:
        call()
    assert raised.value.path == path


def test_a_plan_measures_aht_and_patience_from_the_queue_history():
    records = []
    for week in (0, 1):
        for n in range(60):  # Monday 09:00 hour: 60 contacts a week on "sales"
            offered = monday(week, 9) + n * 60
            if n % 10 == 0:  # 6 a week abandon after 60 s
                records.append(InteractionRecord(
                    f"w{week}n{n}", "voice", "sales", None, f"c{n}", offered,
                    "abandoned-queue", wait_seconds=60))  # type: ignore[arg-type]
            else:  # 54 answered after 20 s, handled in 200 + 40 s
                records.append(InteractionRecord(
                    f"w{week}n{n}", "voice", "sales", "a1", f"c{n}", offered, "answered",  # type: ignore[arg-type]
                    answered_at=offered + 20, wait_seconds=20, talk_seconds=200,
                    wrapup_seconds=40))
        records.append(InteractionRecord(f"w{week}ivr", "voice", None, None, "x",
                                         monday(week, 9), "abandoned-ivr"))  # type: ignore[arg-type]
        records.append(InteractionRecord(f"w{week}other", "voice", "support", "a2", "y",
                                         monday(week, 9), "answered",  # type: ignore[arg-type]
                                         answered_at=monday(week, 9), talk_seconds=999))
    plan = plan_from_history(records, "sales", SettingsByQueue(), LONDON, 2, HOUR,
                             on_shift={Slot(0, "09:00"): 3})
    # AHT: 240 s. Patience: waits (108 x 20 + 12 x 60) / 12 abandons = 2880 / 12 = 240 s.
    assert plan.aht_seconds == pytest.approx(240.0)
    assert plan.patience_seconds == pytest.approx(240.0)
    [row] = plan.rows
    assert (row.slot, row.calls_per_hour, row.on_shift) == (Slot(0, "09:00"), 60.0, 3)
    assert row.erlang_a is not None and row.recommended == row.erlang_a.agents
    assert row.shortfall == row.recommended - 3 > 0
    assert plan.to_dict()["intervals"][0]["slot"] == "mon 09:00"  # type: ignore[index]
