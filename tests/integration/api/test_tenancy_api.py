"""The tenant gate on the JSON API (docs/tenancy.md), through Chalice's test client on
DynamoDB Local: an inactive tenant's writes answer 403 with the reason, its agents cannot
go Available (but can go offline), GET /api/tenant says why and until when, and outbound
calls answer 403 naming the permission or the spending cap."""

from __future__ import annotations

import time
from typing import Any

import pytest

from chalicelib.config import Settings
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.tenancy import ALL_ON
from chalicelib.services.tenancy import ALWAYS_WRITABLE
from tests.integration.api.conftest import Session
from tests.integration.sessions import session_token


def _terms(who: Session, **terms: object) -> None:
    """The operator's terms on the owner's business, field by field."""
    from chalicelib.adapters.dynamo.models.tenants import TenantModel
    from chalicelib.wiring import get_tenant_gate

    TenantModel(who.user.tenant_id).update(
        actions=[getattr(TenantModel, name).set(value) for name, value in terms.items()])
    get_tenant_gate().forget(who.user.tenant_id)


def _agent(owner: Session, settings: Settings) -> Session:
    from chalicelib.wiring import get_routing_admin

    principal = Principal(owner.user.tenant_id, "u_agent", Role.AGENT)
    token = session_token(settings, principal)
    get_routing_admin().put_agent_routing(principal.tenant_id, principal.user_id, {})
    return Session(client=owner.client, token=token, user=owner.user)


def test_a_suspended_tenants_writes_answer_403_with_the_reason(owner: Session) -> None:
    # given a business the operator suspended
    _terms(owner, status="suspended")
    # when its owner changes a setting
    status, body = owner.send("PUT", "/api/tenant", body={"timezone": "Europe/Paris"})
    # then the write is refused, saying why; reads still work
    assert status == 403, body
    assert body["error"] == "tenant_inactive"
    assert "suspended" in body["message"]
    status, tenant = owner.send("GET", "/api/tenant")
    assert status == 200 and tenant["timezone"] == "UTC"


def test_an_expired_tenants_write_names_the_date_it_ran_until(owner: Session) -> None:
    _terms(owner, valid_until=1_767_225_600)  # 2026-01-01T00:00:00Z

    status, body = owner.send("POST", "/api/flows", body={"name": "x", "definition": {}})

    assert status == 403 and body["error"] == "tenant_inactive"
    assert "expired" in body["message"] and "2026-01-01T00:00:00Z" in body["message"]


def test_get_tenant_tells_the_admin_why_and_until_when(owner: Session) -> None:
    until = time.time() + 30 * 86400
    _terms(owner, valid_until=until, permissions={**ALL_ON, "sms_out": False})

    status, body = owner.send("GET", "/api/tenant")

    assert status == 200
    standing = body["standing"]
    assert standing["active"] is True and standing["reason"] is None
    assert standing["valid_until"].endswith("Z")
    assert standing["permissions"]["sms_out"] is False
    _terms(owner, status="closed", closed_at=time.time(), release_grace_days=10)
    standing = owner.send("GET", "/api/tenant")[1]["standing"]
    assert (standing["active"], standing["reason"]) == (False, "closed")
    assert standing["numbers_released_at"] is not None


def test_an_inactive_tenants_agent_cannot_go_available_but_can_go_offline(
        owner: Session, settings: Settings) -> None:
    # given an agent of a business whose rental has expired
    agent = _agent(owner, settings)
    _terms(owner, valid_until=time.time() - 60)
    # when the agent tries to go available, then offline, then on break
    refused = agent.send("PUT", "/api/me/activity", body={"activity": "available"})
    offline = agent.send("PUT", "/api/me/activity", body={"activity": "offline"})
    on_break = agent.send("PUT", "/api/me/activity", body={"activity": "break"})
    # then available is refused with the reason; offline and break are allowed
    assert refused[0] == 403 and refused[1]["error"] == "tenant_inactive"
    assert "expired" in refused[1]["message"]
    assert offline[0] == 200 and offline[1]["activity"] == "offline"
    assert on_break[0] == 200 and on_break[1]["activity"] == "break"


def test_an_active_tenants_agent_goes_available(owner: Session, settings: Settings) -> None:
    agent = _agent(owner, settings)

    status, body = agent.send("PUT", "/api/me/activity", body={"activity": "available"})

    assert status == 200 and body["activity"] == "available"


def test_an_outbound_call_with_voice_out_off_is_refused_naming_it(owner: Session) -> None:
    _terms(owner, permissions={**ALL_ON, "voice_out": False})

    status, body = owner.send("POST", "/api/calls", body={"to": "+14155550199"})

    assert status == 403
    assert body["error"] == "permission_off" and "voice_out" in body["message"]


def test_a_transfer_to_an_outside_number_with_voice_out_off_is_refused(owner: Session) -> None:
    _terms(owner, permissions={**ALL_ON, "voice_out": False})

    status, body = owner.send("POST", "/api/tasks/TK_any/transfer",
                              body={"to": {"number": "+14155550199"}, "mode": "cold"})

    assert status == 403
    assert body["error"] == "permission_off" and "voice_out" in body["message"]


class Spend:
    def __init__(self, amount: float) -> None:
        self.amount = amount

    def spent(self, tenant_id: str, now: float) -> float:
        return self.amount


def test_an_outbound_call_past_the_spending_cap_is_refused_saying_so(
        owner: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import wiring

    monkeypatch.setattr(wiring, "get_spend_reader", lambda: Spend(25.0))
    _terms(owner, spending_cap=25)

    status, body = owner.send("POST", "/api/calls", body={"to": "+14155550199"})

    assert status == 403 and body["error"] == "spending_cap_reached"
    assert "25.00" in body["message"]


def test_the_writes_an_inactive_tenant_may_make_are_real_routes() -> None:
    from app import app

    routes: set[tuple[str, str]] = {(method, path) for path, methods in app.routes.items()
                                    for method in methods}
    logout = {(m, p) for m, p in ALWAYS_WRITABLE if p.endswith("/logout")}
    missing: list[Any] = sorted(ALWAYS_WRITABLE - logout - routes)
    assert missing == []
