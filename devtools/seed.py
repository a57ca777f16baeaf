"""The demo business: signed up through the same onboarding as a real one. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_BUSINESS = "Aqua Pure Water Delivery"
DEMO_OWNER = ("Olivia Owner", "owner@aquapure.example", "demo-owner-password")
DEMO_AGENTS = (
    ("Alex Agent", "alex@aquapure.example", "demo-agent-password", "full-time"),
    ("Sam Agent", "sam@aquapure.example", "demo-agent-password", "full-time"),
)
# The platform's operator, above every business (services/operator, docs/operator.md).
DEMO_OPERATOR = ("Pat Operator", "operator@hotline.example", "demo-operator-password")
# The demo is open around the clock so the menu is always reachable; a new signup gets
# weekday hours instead.
ALWAYS_OPEN = {day: [["00:00", "24:00"]] for day in
               ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass(frozen=True)
class Demo:
    tenant_id: str
    number: str
    owner_email: str
    agent_emails: tuple[str, ...]
    password_owner: str
    password_agent: str
    operator_email: str = DEMO_OPERATOR[1]
    password_operator: str = DEMO_OPERATOR[2]


def seed_demo() -> Demo:
    """Create the demo tenant once; on later runs, find it again."""
    from chalicelib.domain.identity import Principal, Role
    from chalicelib.wiring import get_onboarding, get_tenant_repository

    tenants = get_tenant_repository()
    owner = tenants.user_by_email(DEMO_OWNER[1])
    if owner is None:
        signed = get_onboarding().sign_up({
            "business_name": DEMO_BUSINESS, "name": DEMO_OWNER[0], "email": DEMO_OWNER[1],
            "password": DEMO_OWNER[2], "timezone": "America/New_York", "area_code": "415"})
        owner = signed.owner
        tenant = tenants.get(owner.tenant_id)
        assert tenant is not None
        tenants.update_profile(owner.tenant_id, {**tenant.profile, "hours": ALWAYS_OPEN})
        admin = Principal(owner.tenant_id, owner.user_id, Role.OWNER)
        for name, email, password, tier in DEMO_AGENTS:
            get_onboarding().add_user(admin, {"name": name, "email": email,
                                              "password": password, "role": "agent",
                                              "tier": tier})
    seed_operator()
    tenant = tenants.get(owner.tenant_id)
    assert tenant is not None
    agents = tuple(u for u in tenants.list_users(owner.tenant_id) if u.role is Role.AGENT)
    return Demo(tenant_id=owner.tenant_id, number=str(tenant.profile.get("number", "")),
                owner_email=DEMO_OWNER[1], agent_emails=tuple(a.email for a in agents),
                password_owner=DEMO_OWNER[2], password_agent=DEMO_AGENTS[0][2])


def seed_operator() -> None:
    """The local run's operator login, made once (a deployed stage uses ./dev operator)."""
    from chalicelib.adapters.security import PasswordHasher
    from chalicelib.services.operator.accounts import OperatorAccounts
    from chalicelib.wiring import get_tenant_repository

    name, email, password = DEMO_OPERATOR
    OperatorAccounts(get_tenant_repository(), PasswordHasher()).ensure(email, password, name)
