"""A tenant's standing with the operator: whether its rental is active, which media it may
use, and the errors that say why something is refused.

Pure: the operator sets these fields (``PATCH /api/operator/tenants/{id}``); webhooks, the
API and the flow engine read them through ``Tenant.standing()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.domain.errors import Forbidden
from chalicelib.domain.instants import iso_utc

# Inbound and outbound per medium, and web chat: what the operator switches per tenant.
PERMISSIONS: tuple[str, ...] = ("voice_in", "voice_out", "sms_in", "sms_out", "whatsapp_in",
                                "whatsapp_out", "chat")
ALL_ON: Mapping[str, bool] = {name: True for name in PERMISSIONS}
DEFAULT_RELEASE_GRACE_DAYS = 30


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


# Why a tenant is not active (``Standing.reason``), and what its callers hear by default.
EXPIRED = "expired"
DEFAULT_MESSAGES: Mapping[str, str] = {
    Status.SUSPENDED.value: "This service is temporarily unavailable. Please try again later.",
    Status.CLOSED.value: "This number is no longer in service. Goodbye.",
    EXPIRED: "This service is temporarily unavailable. Please try again later.",
}


class TenantInactive(Forbidden):
    """The tenant's rental is suspended, closed or past its validity date."""

    error_code = "tenant_inactive"

    def __init__(self, reason: str, until: float | None = None) -> None:
        text = {Status.SUSPENDED.value: "this business is suspended by the operator",
                Status.CLOSED.value: "this business is closed",
                EXPIRED: "this business's rental has expired"}.get(reason, reason)
        if reason == EXPIRED and until is not None:
            text += f" (it was valid until {iso_utc(until)})"
        super().__init__(f"{text}: changes are refused until the operator reactivates it")
        self.reason = reason
        self.until = until


class PermissionOff(Forbidden):
    """The operator has switched this medium off for the tenant."""

    error_code = "permission_off"

    def __init__(self, permission: str) -> None:
        super().__init__(f"the {permission} permission is off for this business; "
                         "ask the operator to switch it on")
        self.permission = permission


class SpendingCapReached(Forbidden):
    """The month's spending cap is reached: new outbound usage is blocked."""

    error_code = "spending_cap_reached"

    def __init__(self, cap: float, spent: float) -> None:
        super().__init__(f"this month's spending cap of {cap:.2f} is reached "
                         f"({spent:.2f} spent): outbound calls and messages are blocked "
                         "until next month or until the cap is raised")
        self.cap = cap
        self.spent = spent


class NoSeatLeft(Forbidden):
    """Every seat the operator rents the tenant is taken by an active user."""

    error_code = "no_seat_left"

    def __init__(self, seats: int) -> None:
        super().__init__(f"all {seats} seats of this business are taken by active users; "
                         "deactivate someone or ask the operator for more seats")
        self.seats = seats


def require_seat(seats: int | None, active_users: int) -> None:
    """One more active user must fit the operator's seat allowance (None: no limit)."""
    if seats is not None and active_users >= seats:
        raise NoSeatLeft(seats)


@dataclass(frozen=True)
class Standing:
    status: str = Status.ACTIVE.value
    valid_until: float | None = None
    permissions: Mapping[str, bool] = field(default_factory=lambda: dict(ALL_ON))
    spending_cap: float | None = None
    closed_at: float | None = None
    release_grace_days: int = DEFAULT_RELEASE_GRACE_DAYS
    messages: Mapping[str, str] = field(default_factory=dict)

    def reason(self, now: float) -> str | None:
        """None while active; else ``suspended``, ``closed`` or ``expired``."""
        if self.status != Status.ACTIVE.value:
            return self.status
        if self.valid_until is not None and now >= self.valid_until:
            return EXPIRED
        return None

    def active(self, now: float) -> bool:
        return self.reason(now) is None

    def require_active(self, now: float) -> None:
        reason = self.reason(now)
        if reason is not None:
            raise TenantInactive(reason, self.valid_until)

    def allows(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}")
        return bool(self.permissions.get(permission, True))

    def require(self, permission: str) -> None:
        if not self.allows(permission):
            raise PermissionOff(permission)

    def message(self, now: float) -> str | None:
        """What an inactive tenant's callers hear and texters read (None while active)."""
        reason = self.reason(now)
        if reason is None:
            return None
        return self.messages.get(reason) or DEFAULT_MESSAGES[reason]

    def release_at(self) -> float | None:
        """When a closed tenant's numbers go back to the carrier."""
        if self.status != Status.CLOSED.value or self.closed_at is None:
            return None
        return self.closed_at + self.release_grace_days * 86400.0

    def public(self, now: float) -> dict[str, object]:
        """What the tenant's admin sees: why, and until when."""
        return {"status": self.status, "active": self.active(now),
                "reason": self.reason(now),
                "valid_until": iso_utc(self.valid_until) if self.valid_until else None,
                "permissions": {p: self.allows(p) for p in PERMISSIONS},
                "spending_cap": self.spending_cap,
                "numbers_released_at": iso_utc(r) if (r := self.release_at()) else None}
