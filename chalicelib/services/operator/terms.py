"""The operator's terms for a tenant, from ``PATCH /api/operator/tenants/{id}``: read and
checked here, each refusal naming its field. The HTTP route checks JSON types first
against its schema (routes/operator_api.py); this module adds the meanings: dates,
statuses, permission names, a plan BILL can read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.billing.plan import Plan
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.tenancy import PERMISSIONS, Status

FIELDS = ("status", "valid_until", "permissions", "plan", "spending_cap",
          "release_grace_days", "seats")
MAX_GRACE_DAYS = 3650
MAX_SEATS = 100_000


@dataclass(frozen=True)
class TermsChange:
    """What one PATCH changes. ``values`` holds the stored form of every field given except
    permissions (None removes a field: no validity date, no cap, the default plan);
    ``permissions`` holds only the names given, merged over the stored map on write."""

    values: Mapping[str, Any] = field(default_factory=dict)
    permissions: Mapping[str, bool] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.values) or bool(self.permissions)


def _zone(name: str) -> ZoneInfo | Any:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def valid_until(raw: object, timezone: str) -> float | None:
    """An ISO-8601 instant as epoch seconds. A bare date (``2026-12-31``) means valid
    through that day in the tenant's time zone, i.e. until the next local midnight; a
    date-time without an offset is UTC."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("valid_until must be an ISO-8601 date or date-time, or null",
                           path="valid_until")
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            midnight = datetime.combine(day + timedelta(days=1), time.min, _zone(timezone))
            return midnight.timestamp()
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    except (ValueError, OverflowError) as exc:  # not a date, or past year 9999
        raise InvalidInput(f"valid_until {text[:40]!r} is not an ISO-8601 date or date-time "
                           "(e.g. 2026-12-31 or 2026-12-31T23:59:00Z)",
                           path="valid_until") from exc


def _status(raw: object) -> str:
    allowed = [s.value for s in Status]
    if raw not in allowed:
        raise InvalidInput(f"status must be one of {', '.join(allowed)}", path="status")
    return str(raw)


def _permissions(raw: object) -> dict[str, bool]:
    if not isinstance(raw, dict):
        raise InvalidInput("permissions must be an object of true/false", path="permissions")
    out: dict[str, bool] = {}
    for name, value in raw.items():
        if name not in PERMISSIONS:
            raise InvalidInput(f"{name!r} is not a permission ({', '.join(PERMISSIONS)})",
                               path=f"permissions.{name}")
        if not isinstance(value, bool):
            raise InvalidInput("a permission is true or false", path=f"permissions.{name}")
        out[name] = value
    return out


def _plan(raw: object) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidInput("plan must be an object, or null for the default plan", path="plan")
    try:
        Plan.from_dict(raw)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise InvalidInput(f"the plan cannot be read: {exc}", path="plan") from exc
    return dict(raw)


def _amount(raw: object, name: str, maximum: float) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= maximum:
        raise InvalidInput(f"{name} must be a number from 0 to {maximum:g}, or null", path=name)
    return round(float(raw), 2)  # money, in cents (and always a number DynamoDB can hold)


def _whole(raw: object, name: str, maximum: int, nullable: bool) -> int | None:
    if raw is None and nullable:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= maximum:
        more = ", or null" if nullable else ""
        raise InvalidInput(f"{name} must be a whole number from 0 to {maximum}{more}",
                           path=name)
    return raw


def read_change(body: Mapping[str, Any], timezone: str) -> TermsChange:
    """The change a PATCH body asks for; InvalidInput naming the first bad field."""
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]!r} is not a term the operator sets "
                           f"({', '.join(FIELDS)})", path=unknown[0])
    values: dict[str, Any] = {}
    if "status" in body:
        values["status"] = _status(body["status"])
    if "valid_until" in body:
        values["valid_until"] = valid_until(body["valid_until"], timezone)
    if "plan" in body:
        values["plan"] = _plan(body["plan"])
    if "spending_cap" in body:
        values["spending_cap"] = _amount(body["spending_cap"], "spending_cap", 1_000_000)
    if "release_grace_days" in body:
        values["release_grace_days"] = _whole(body["release_grace_days"],
                                              "release_grace_days", MAX_GRACE_DAYS, False)
    if "seats" in body:
        values["seats"] = _whole(body["seats"], "seats", MAX_SEATS, True)
    permissions = _permissions(body["permissions"]) if "permissions" in body else {}
    return TermsChange(values=values, permissions=permissions)
