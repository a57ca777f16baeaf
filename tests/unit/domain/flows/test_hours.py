from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.flows.hours import HoursInvalid, is_open

WEEKDAYS = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def at(text: str, tz: str = "America/New_York") -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz)).timestamp()


def test_open_inside_weekday_hours_in_the_tenants_time_zone():
    assert is_open(at("2025-06-10T10:00"), "America/New_York", WEEKDAYS)
    assert not is_open(at("2025-06-10T17:00"), "America/New_York", WEEKDAYS)
    assert not is_open(at("2025-06-14T10:00"), "America/New_York", WEEKDAYS)  # Saturday


def test_hours_are_read_in_the_tenants_zone_not_utc():
    ten_am_new_york = at("2025-06-10T10:00")
    assert not is_open(ten_am_new_york, "Asia/Tokyo", WEEKDAYS)  # 23:00 in Tokyo


def test_holidays_are_closed_all_day():
    assert not is_open(at("2025-12-25T10:00"), "America/New_York", WEEKDAYS, ["2025-12-25"])


def test_ranges_past_midnight_stay_open_into_the_next_day():
    night = {"fri": ["22:00-02:00"]}
    assert is_open(at("2025-06-13T23:00"), "America/New_York", night)
    assert is_open(at("2025-06-14T01:30"), "America/New_York", night)
    assert not is_open(at("2025-06-14T02:30"), "America/New_York", night)


def test_bad_hours_or_zone_are_reported():
    with pytest.raises(HoursInvalid):
        is_open(0, "Mars/Olympus", WEEKDAYS)
    with pytest.raises(HoursInvalid):
        is_open(at("2025-06-10T10:00"), "UTC", {"tue": ["nine to five"]})
