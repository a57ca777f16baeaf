"""The weekly hours an owner may save: each day's spans run forwards and never overlap.

The flow engine (``domain/flows/hours.py``) reads a span whose end is before its start as
running past midnight. An owner typing hours on the admin page means no such thing:
``17:00-09:00`` is a slip, and two spans that overlap are a mistake, so both are refused
with the day named. Past midnight is written as two spans: ``22:00-24:00`` on one day and
``00:00-02:00`` on the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from itertools import pairwise

from chalicelib.domain.flows.hours import DAYS, HoursInvalid, ranges

DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                            "Saturday", "Sunday"), strict=True))


def hhmm(moment: time) -> str:
    return "24:00" if moment == time.max else moment.strftime("%H:%M")


def _span(start: time, end: time) -> str:
    return f"{hhmm(start)}-{hhmm(end)}"


def day_spans(day: str, spans: Sequence[Sequence[str] | str] | str) -> list[tuple[time, time]]:
    """One day's spans, sorted; ``HoursInvalid`` names the day when a span cannot be read,
    runs backwards (or is empty), or overlaps another."""
    label = DAY_NAMES.get(day, day)
    try:
        read = ranges(spans)
    except (HoursInvalid, TypeError) as exc:
        raise HoursInvalid(f"{label}: {exc}") from exc
    for start, end in read:
        if start == time.max:
            raise HoursInvalid(f"{label}: a span cannot start at 24:00")
        if end == start:
            raise HoursInvalid(f"{label}: {_span(start, end)} opens and closes at the same time")
        if end < start:
            raise HoursInvalid(f"{label}: {_span(start, end)} ends before it starts (to stay "
                               "open past midnight, end at 24:00 and go on the next day from "
                               "00:00)")
    ordered = sorted(read)
    for (a_start, a_end), (b_start, b_end) in pairwise(ordered):
        if b_start < a_end:
            raise HoursInvalid(f"{label}: {_span(a_start, a_end)} and {_span(b_start, b_end)} "
                               "overlap")
    return ordered
