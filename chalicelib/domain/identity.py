"""Who is acting: tenants, users, roles and what each role may do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chalicelib.domain.errors import Forbidden


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"


# Each role includes the ones after it in this order.
_RANK = {Role.OWNER: 3, Role.ADMIN: 3, Role.SUPERVISOR: 2, Role.AGENT: 1}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of the API, from a verified session token."""

    tenant_id: str
    user_id: str
    role: Role

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

    def public(self) -> dict[str, object]:
        return {"id": self.user_id, "tenant_id": self.tenant_id, "email": self.email,
                "name": self.name, "role": self.role.value, "mobile": self.mobile}


@dataclass(frozen=True)
class PhoneNumber:
    number: str
    tenant_id: str
    flow_id: str | None = None
    sms_flow_id: str | None = None
    shared_tenants: tuple[str, ...] = ()
    friendly_name: str | None = None
