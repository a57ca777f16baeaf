"""Report intervals (15 minutes, hour, day, month) in the tenant's IANA time zone.

An interval is a span of the tenant's wall clock. Days and months start at local midnight,
so a day of a daylight-saving change has 23 or 25 hours. On the night clocks go back, the
repeated local hour is two intervals: their labels carry the UTC offset
(``2026-11-01T01:00-04:00`` and ``2026-11-01T01:00-05:00``), so no two intervals share a
label. Zones whose offset changes by less than the interval (Australia/Lord_Howe's 30-minute
shift, for hourly intervals) are not supported for that interval size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.errors import InvalidInput


class IntervalSize(StrEnum):
    QUARTER_HOUR = "15m"
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"


INTERVAL_SIZES = tuple(IntervalSize)


@dataclass(frozen=True, order=True)
class Interval:
    """``[start, end)`` in epoch seconds, and its local label."""

    start: float
    end: float
    size: IntervalSize
    label: str


def interval_size(value: str) -> IntervalSize:
    try:
        return IntervalSize(value)
    except ValueError:
        names = ", ".join(s.value for s in IntervalSize)
        raise InvalidInput(f"interval must be one of {names}", path="interval") from None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r}", path="timezone") from None


def _floor_local(local: datetime, size: IntervalSize) -> datetime:
    if size is IntervalSize.QUARTER_HOUR:
        return local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    if size is IntervalSize.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    if size is IntervalSize.DAY:
        return local.replace(hour=0, minute=0, second=0, microsecond=0, fold=0)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0, fold=0)


def _instant(local: datetime) -> float:
    """The epoch time of a local wall time; for a time the clock skipped (inside a DST
    gap), the first instant after the gap, where the interval really begins."""
    probe = local
    for _ in range(24 * 60 + 1):
        ts = probe.timestamp()
        back = datetime.fromtimestamp(ts, probe.tzinfo)
        if back.replace(tzinfo=None) == probe.replace(tzinfo=None):
            return ts
        probe = probe + timedelta(minutes=1)  # wall-clock arithmetic (same tzinfo)
    raise InvalidInput(f"no instant for local time {local.isoformat()}")


def _next_local_start(start_local: datetime, size: IntervalSize, tz: ZoneInfo) -> datetime:
    if size is IntervalSize.DAY:
        day = start_local.date() + timedelta(days=1)
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    if size is IntervalSize.MONTH:
        year, month = start_local.year + start_local.month // 12, start_local.month % 12 + 1
        return datetime(year, month, 1, tzinfo=tz)
    step = timedelta(minutes=15 if size is IntervalSize.QUARTER_HOUR else 60)
    # Elapsed (UTC) time: a quarter or an hour of real time after the start, whatever the
    # wall clock did; whole-hour and half-hour DST shifts keep the boundaries aligned.
    return (start_local.astimezone(UTC) + step).astimezone(tz)


def _label(start_local: datetime, size: IntervalSize) -> str:
    if size is IntervalSize.MONTH:
        return start_local.strftime("%Y-%m")
    if size is IntervalSize.DAY:
        return start_local.strftime("%Y-%m-%d")
    offset = start_local.strftime("%z")
    return start_local.strftime("%Y-%m-%dT%H:%M") + offset[:3] + ":" + offset[3:]


def interval_of(ts: float, size: IntervalSize, tz: ZoneInfo) -> Interval:
    """The interval of the tenant's clock that contains the instant ``ts``."""
    # Boundaries are whole seconds: flooring first keeps fromtimestamp's rounding to the
    # microsecond from pushing 11:59:59.9999998 into the next interval.
    local = datetime.fromtimestamp(math.floor(ts), tz)
    start_local = _floor_local(local, size)
    start = _instant(start_local)
    end = _instant(_next_local_start(start_local, size, tz))
    return Interval(start=start, end=end, size=size, label=_label(start_local, size))


def intervals_between(start: float, end: float, size: IntervalSize,
                      tz: ZoneInfo) -> Iterator[Interval]:
    """Every interval overlapping ``[start, end)``, in order (for a report's empty rows)."""
    ts = start
    while ts < end:
        interval = interval_of(ts, size, tz)
        yield interval
        ts = interval.end


def split_by_interval(start: float, end: float, size: IntervalSize,
                      tz: ZoneInfo) -> Iterator[tuple[Interval, float]]:
    """``[start, end)`` cut at interval boundaries: each interval with the seconds in it."""
    for interval in intervals_between(start, end, size, tz):
        seconds = min(end, interval.end) - max(start, interval.start)
        if seconds > 0:
            yield interval, seconds
