"""Business hours: is a tenant open at a given instant, in its own time zone?

Weekly hours map a day (``mon`` .. ``sun``) to opening ranges, each ``["09:00", "17:00"]``
or ``"09:00-17:00"``; a range whose end is before its start runs past midnight. A day
that is missing, or empty, is closed. Holidays are ISO dates (``2025-12-25``), closed
all day in the tenant's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

WeeklyHours = Mapping[str, Sequence[Sequence[str] | str]]


class HoursInvalid(ValueError):
    """The hours, holidays or time zone cannot be read."""


def _clock(text: str) -> time:
    text = text.strip()
    if text in ("24:00", "24:00:00"):
        return time.max
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise HoursInvalid(f"{text!r} is not a time of day (HH:MM)")


def ranges(day_hours: Sequence[Sequence[str] | str] | str) -> list[tuple[time, time]]:
    """Read one day's opening ranges."""
    if isinstance(day_hours, str):
        day_hours = [day_hours]
    out = []
    for entry in day_hours:
        if isinstance(entry, str):
            if "-" not in entry:
                raise HoursInvalid(f"{entry!r} is not a range like 09:00-17:00")
            start, end = entry.split("-", 1)
        elif len(entry) == 2:
            start, end = entry[0], entry[1]
        else:
            raise HoursInvalid(f"{entry!r} is not a range like [\"09:00\", \"17:00\"]")
        out.append((_clock(str(start)), _clock(str(end))))
    return out


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise HoursInvalid(f"{name!r} is not a known time zone") from exc


def _day(hours: WeeklyHours, index: int) -> list[tuple[time, time]]:
    key = DAYS[index % 7]
    value = hours.get(key)
    if value is None:
        value = hours.get(key.capitalize()) or hours.get(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
             "sunday")[index % 7])
    return ranges(value) if value else []


def is_open(at_epoch: float, timezone: str, hours: WeeklyHours,
            holidays: Iterable[str] = ()) -> bool:
    """Whether the business is open at ``at_epoch`` (seconds since the epoch)."""
    local = datetime.fromtimestamp(at_epoch, zone(timezone))
    closed_days = {str(h).strip()[:10] for h in holidays}
    now = local.time().replace(tzinfo=None)
    today = local.date()
    if today.isoformat() not in closed_days:
        for start, end in _day(hours, local.weekday()):
            if start <= end and start <= now < end:
                return True
            if start > end and now >= start:  # opens today, closes after midnight
                return True
    yesterday = today - timedelta(days=1)
    if yesterday.isoformat() not in closed_days:
        for start, end in _day(hours, yesterday.weekday()):
            if start > end and now < end:
                return True
    return False
