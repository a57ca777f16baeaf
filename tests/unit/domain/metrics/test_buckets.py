"""Report intervals in the tenant's zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.buckets import (
    IntervalSize,
    interval_of,
    interval_size,
    intervals_between,
    split_by_interval,
    zone,
)

NEW_YORK = zone("America/New_York")


def utc(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def test_the_repeated_hour_when_clocks_go_back_is_two_intervals():
    # 2026-11-01: 01:30 EDT is 05:30 UTC; 01:30 EST is 06:30 UTC.
    first = interval_of(utc(2026, 11, 1, 5, 30), IntervalSize.HOUR, NEW_YORK)
    second = interval_of(utc(2026, 11, 1, 6, 30), IntervalSize.HOUR, NEW_YORK)
    assert first.label == "2026-11-01T01:00-04:00"
    assert second.label == "2026-11-01T01:00-05:00"
    assert (first.start, first.end) == (utc(2026, 11, 1, 5), utc(2026, 11, 1, 6))
    assert (second.start, second.end) == (utc(2026, 11, 1, 6), utc(2026, 11, 1, 7))


def test_days_of_a_dst_change_have_23_and_25_hours():
    spring = interval_of(utc(2026, 3, 8, 12), IntervalSize.DAY, NEW_YORK)
    autumn = interval_of(utc(2026, 11, 1, 12), IntervalSize.DAY, NEW_YORK)
    assert (spring.label, (spring.end - spring.start) / 3600) == ("2026-03-08", 23)
    assert (autumn.label, (autumn.end - autumn.start) / 3600) == ("2026-11-01", 25)
    assert spring.start == utc(2026, 3, 8, 5)  # local midnight, EST


def test_the_skipped_hour_has_no_interval_and_the_next_starts_at_three():
    before = interval_of(utc(2026, 3, 8, 6, 59), IntervalSize.HOUR, NEW_YORK)
    after = interval_of(utc(2026, 3, 8, 7, 0), IntervalSize.HOUR, NEW_YORK)
    assert before.label == "2026-03-08T01:00-05:00"
    assert after.label == "2026-03-08T03:00-04:00"
    assert before.end == after.start


def test_a_day_whose_midnight_is_skipped_starts_at_one():
    # Chile moves 00:00 -> 01:00 on 2026-09-06: the day starts at 01:00 -03 (04:00 UTC).
    day = interval_of(utc(2026, 9, 6, 12), IntervalSize.DAY, zone("America/Santiago"))
    assert (day.label, day.start, (day.end - day.start) / 3600) == (
        "2026-09-06", utc(2026, 9, 6, 4), 23)


def test_quarters_follow_the_local_clock_in_a_quarter_hour_zone():
    quarter = interval_of(utc(2026, 3, 1, 0, 10), IntervalSize.QUARTER_HOUR,
                          zone("Asia/Kathmandu"))
    # 00:10 UTC is 05:55 +05:45: the quarter 05:45-06:00 local = 00:00-00:15 UTC.
    assert quarter.label == "2026-03-01T05:45+05:45"
    assert (quarter.start, quarter.end) == (utc(2026, 3, 1, 0, 0), utc(2026, 3, 1, 0, 15))


def test_months_are_local_calendar_months():
    month = interval_of(utc(2026, 11, 30, 12), IntervalSize.MONTH, NEW_YORK)
    assert month.label == "2026-11"
    assert month.start == utc(2026, 11, 1, 4)  # midnight EDT
    assert month.end == utc(2026, 12, 1, 5)    # midnight EST
    # 30 days and the extra hour of Nov 1.
    assert (month.end - month.start) / 3600 == 30 * 24 + 1


def test_split_cuts_a_span_at_boundaries():
    pieces = list(split_by_interval(utc(2026, 11, 1, 5, 50), utc(2026, 11, 1, 6, 20),
                                    IntervalSize.QUARTER_HOUR, NEW_YORK))
    assert [(i.label, s) for i, s in pieces] == [
        ("2026-11-01T01:45-04:00", 600.0), ("2026-11-01T01:00-05:00", 900.0),
        ("2026-11-01T01:15-05:00", 300.0)]


ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "America/Santiago",
         "Asia/Kathmandu", "Asia/Kolkata", "Pacific/Chatham", "UTC"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.sampled_from(list(IntervalSize)),
       st.floats(utc(2026, 1, 1), utc(2027, 12, 31), allow_nan=False))
def test_every_instant_lies_in_its_interval_and_intervals_tile_time(tz_name, size, ts):
    tz = zone(tz_name)
    interval = interval_of(ts, size, tz)
    assert interval.start <= ts < interval.end
    following = interval_of(interval.end, size, tz)
    assert following.start == interval.end and following.label != interval.label
    assert interval_of(interval.start, size, tz) == interval


def test_intervals_between_lists_each_interval_once():
    days = list(intervals_between(utc(2026, 10, 30, 4), utc(2026, 11, 3, 5),
                                  IntervalSize.DAY, NEW_YORK))
    assert [d.label for d in days] == ["2026-10-30", "2026-10-31", "2026-11-01",
                                       "2026-11-02"]


def test_bad_sizes_and_zones_name_the_field():
    with pytest.raises(InvalidInput) as bad_size:
        interval_size("week")
    with pytest.raises(InvalidInput) as bad_zone:
        zone("Mars/Olympus")
    assert (bad_size.value.path, bad_zone.value.path) == ("interval", "timezone")
