"""Usage records and months: what one billable event adds, and which month it counts in.

A month is the tenant's calendar month (``YYYY-MM`` in the tenant's time zone). Every
record is keyed by its source (CallSid, MessageSid, RecordingSid, conversation id or
number), so a retried callback finds its record already there and adds nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.billing.plan import KINDS
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.instants import iso_utc

MONTH = re.compile(r"^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$")  # 1970-01 .. 2999-12


@dataclass(frozen=True)
class UsageRecord:
    tenant_id: str
    month: str
    kind: str
    source: str
    quantity: int
    at: float
    detail: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown usage kind {self.kind!r}")
        if self.quantity < 0:
            raise ValueError("a usage quantity is never negative")

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "source": self.source, "quantity": self.quantity,
                "at": iso_utc(self.at), "detail": self.detail}




def month_of(at: float, timezone: str) -> str:
    """The tenant's calendar month holding the instant ``at``."""
    local = datetime.fromtimestamp(at, _zone(timezone))
    return f"{local.year:04d}-{local.month:02d}"


def parse_month(text: str, field: str = "month") -> str:
    """``YYYY-MM`` as given, or InvalidInput naming the field."""
    if not isinstance(text, str) or not MONTH.match(text):
        raise InvalidInput(f"{field} must be a month written YYYY-MM", path=field)
    return text


def month_bounds(month: str, timezone: str) -> tuple[float, float]:
    """[start, end) of the month as epoch seconds, local midnights of the first days."""
    year, number = (int(part) for part in parse_month(month).split("-"))
    zone = _zone(timezone)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start.timestamp(), end.timestamp()


def previous_month(month: str) -> str:
    year, number = (int(part) for part in parse_month(month).split("-"))
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def started_minutes(seconds: float) -> int:
    """Whole minutes as Twilio bills a leg: every started minute counts (61 s is 2)."""
    if seconds <= 0:
        return 0
    return math.ceil(seconds / 60)


def totals(records: Iterable[UsageRecord]) -> dict[str, int]:
    """Units per kind, every kind present."""
    out = {kind: 0 for kind in KINDS}
    for record in records:
        out[record.kind] += record.quantity
    return out


def complete(counts: Mapping[str, int]) -> dict[str, int]:
    return {kind: int(counts.get(kind, 0) or 0) for kind in KINDS}
