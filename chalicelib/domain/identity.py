"""Who is acting: tenants, users, roles and what each role may do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.domain.errors import Forbidden
from chalicelib.domain.shared_numbers import SharedLine
from chalicelib.domain.tenancy import ALL_ON, DEFAULT_RELEASE_GRACE_DAYS, Standing

# The operator's own users live under this reserved tenant id; no business can have it.
PLATFORM_TENANT = "_platform"


class Role(StrEnum):
    OPERATOR = "operator"  # runs the platform: above tenants, never inside their data
    OWNER = "owner"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"


# Each role includes the ones after it in this order.
# The operator ranks below every tenant role: it reaches no tenant route.
_RANK = {Role.OPERATOR: 0, Role.OWNER: 3, Role.ADMIN: 3, Role.SUPERVISOR: 2, Role.AGENT: 1}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of the API, from a verified session token."""

    tenant_id: str
    user_id: str
    role: Role
    via: str = "session"  # "session" or "api_key" (then user_id is "key:<key id>")

    def require(self, at_least: Role) -> None:
        if _RANK[self.role] < _RANK[at_least]:
            raise Forbidden(f"this needs the {at_least.value} role")

    def owns(self, tenant_id: str) -> None:
        """Tenant isolation: every object is checked against the caller's tenant."""
        if tenant_id != self.tenant_id:
            raise Forbidden("that belongs to another business")


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    timezone: str
    twilio_account_sid: str
    twilio_auth_token: str = field(repr=False)
    status: str = "active"
    created_at: float = 0.0
    profile: dict[str, object] = field(default_factory=dict)
    # Set by the operator (domain/tenancy.py): validity, media, plan and spending cap.
    valid_until: float | None = None
    permissions: Mapping[str, bool] = field(default_factory=lambda: dict(ALL_ON))
    plan: Mapping[str, object] | None = None
    spending_cap: float | None = None
    closed_at: float | None = None
    release_grace_days: int = DEFAULT_RELEASE_GRACE_DAYS
    seats: int | None = None  # the operator's seat allowance (None: not limited)
    # The tenant's own words for callers when not active: {"suspended"|"closed"|"expired": text}
    messages: Mapping[str, str] = field(default_factory=dict)

    def standing(self) -> Standing:
        return Standing(status=self.status, valid_until=self.valid_until,
                        permissions=self.permissions, spending_cap=self.spending_cap,
                        closed_at=self.closed_at, release_grace_days=self.release_grace_days,
                        messages=self.messages)


@dataclass(frozen=True)
class User:
    tenant_id: str
    user_id: str
    email: str
    name: str
    role: Role
    password_hash: str = field(repr=False)
    mobile: str | None = None
    created_at: float = 0.0
    # Accounts (docs/accounts.md): a deactivated user can neither log in nor use a session;
    # every session carries the token version it was issued under (JWT claim "tv"), and
    # bumping the version ends every older session at once.
    active: bool = True
    token_version: int = 0

    def public(self) -> dict[str, object]:
        return {"id": self.user_id, "tenant_id": self.tenant_id, "email": self.email,
                "name": self.name, "role": self.role.value, "mobile": self.mobile,
                "active": self.active}


@dataclass(frozen=True)
class PhoneNumber:
    number: str
    tenant_id: str
    flow_id: str | None = None
    sms_flow_id: str | None = None
    shared_tenants: tuple[str, ...] = ()
    friendly_name: str | None = None
    # A shared number (domain/shared_numbers.py): the businesses behind its menu, each with
    # its key and own number, and the greeting; empty for an ordinary number.
    shared_menu: tuple[SharedLine, ...] = ()
    greeting: str | None = None

    @property
    def is_shared(self) -> bool:
        return bool(self.shared_menu)
