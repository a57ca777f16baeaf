"""The operator's API through HTTP on DynamoDB Local: tenants, terms, refusals."""

from __future__ import annotations

import time
import uuid

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Principal, Role, User
from chalicelib.domain.tenancy import PERMISSIONS
from tests.integration.api.conftest import Session


@pytest.fixture
def operator(settings: Settings, client: Client) -> Session:
    repo = TenantRepository(settings)
    user = User(tenant_id=PLATFORM_TENANT, user_id="u_op_" + uuid.uuid4().hex[:8],
                email=f"op-{uuid.uuid4().hex[:8]}@platform.example", name="Pat Operator",
                role=Role.OPERATOR, password_hash="not-used", created_at=time.time())
    repo.add_user(user)
    token = TokenSigner(settings.jwt_secret, 3600).issue(
        Principal(PLATFORM_TENANT, user.user_id, Role.OPERATOR))
    return Session(client=client, token=token, user=user)


def test_the_operator_lists_tenants_with_numbers_and_user_counts(
        operator: Session, owner: Session, settings: Settings, tenant_id: str) -> None:
    # given the owner's business has a number
    number = f"+1555{uuid.uuid4().int % 10**7:07d}"
    TenantRepository(settings).save_number(PhoneNumber(number, tenant_id))
    # when the operator lists tenants
    status, body = operator.send("GET", "/api/operator/tenants")
    # then the business is there with its number and one user, and the platform is not
    assert status == 200
    ids = [t["id"] for t in body["tenants"]]
    assert tenant_id in ids and PLATFORM_TENANT not in ids
    mine = next(t for t in body["tenants"] if t["id"] == tenant_id)
    assert mine["numbers"] == [number] and mine["users"] == 1
    assert mine["status"] == "active" and mine["standing"]["active"] is True


def test_suspending_through_patch_is_stored_and_read_back(
        operator: Session, owner: Session, settings: Settings, tenant_id: str) -> None:
    status, view = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                                 body={"status": "suspended", "valid_until": "2027-03-31",
                                       "spending_cap": 120.5, "seats": 4})
    assert status == 200, view
    assert view["standing"]["reason"] == "suspended"
    stored = TenantRepository(settings).get(tenant_id)
    assert stored is not None and stored.status == "suspended"
    assert stored.spending_cap == 120.5 and stored.seats == 4
    status, again = operator.send("GET", f"/api/operator/tenants/{tenant_id}")
    assert status == 200 and again["valid_until"] == view["valid_until"] == "2027-04-01T00:00:00Z"


def test_closing_stamps_closed_at_in_the_table_and_reactivating_clears_it(
        operator: Session, owner: Session, settings: Settings, tenant_id: str) -> None:
    repo = TenantRepository(settings)
    operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                  body={"status": "closed", "release_grace_days": 7})
    first = repo.get(tenant_id)
    assert first is not None and first.closed_at is not None
    assert first.release_grace_days == 7
    # closing again keeps the first stamp
    operator.send("PATCH", f"/api/operator/tenants/{tenant_id}", body={"status": "closed"})
    again = repo.get(tenant_id)
    assert again is not None and again.closed_at == first.closed_at
    status, view = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                                 body={"status": "active"})
    assert status == 200 and view["closed_at"] is None
    reopened = repo.get(tenant_id)
    assert reopened is not None and reopened.closed_at is None


def test_permission_edits_of_different_media_both_survive_in_the_table(
        operator: Session, owner: Session, settings: Settings, tenant_id: str) -> None:
    operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                  body={"permissions": {"sms_out": False}})
    status, view = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                                 body={"permissions": {"whatsapp_in": False}})
    assert status == 200
    stored = TenantRepository(settings).get(tenant_id)
    assert stored is not None
    off = {p for p in PERMISSIONS if not stored.standing().allows(p)}
    assert off == {"sms_out", "whatsapp_in"}
    assert view["permissions"] == {p: p not in off for p in PERMISSIONS}


def test_a_plan_is_validated_with_billings_schema_and_stored(
        operator: Session, owner: Session, settings: Settings, tenant_id: str) -> None:
    plan = {"name": "Water shops", "currency": "USD", "monthly_fee": 15,
            "monthly_minimum": 20, "prices": {"sms_out_segments": 0.009},
            "included": {"voice_in_minutes": 300}}
    status, view = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                                 body={"plan": plan})
    assert status == 200 and view["plan"] == plan
    stored = TenantRepository(settings).get(tenant_id)
    assert stored is not None and stored.plan == plan
    status, refused = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}",
                                    body={"plan": {**plan, "prices": {"fax": 1}}})
    assert status == 400 and refused["path"].startswith("plan.prices")


@pytest.mark.parametrize(("body", "path"), [
    ({"status": "frozen"}, "status"),
    ({"valid_until": "soon"}, "valid_until"),
    ({"permissions": {"telex": True}}, "permissions"),
    ({"spending_cap": "100"}, "spending_cap"),
    ({"release_grace_days": -1}, "release_grace_days"),
    ({"name": "renamed"}, "name"),
])
def test_bad_terms_get_400_naming_the_field(operator: Session, owner: Session,
                                            tenant_id: str, body: dict, path: str) -> None:
    status, refused = operator.send("PATCH", f"/api/operator/tenants/{tenant_id}", body=body)
    assert status == 400
    assert refused["error"] == "invalid_input" and refused["path"].startswith(path)


def test_an_unknown_tenant_is_404(operator: Session) -> None:
    status, body = operator.send("GET", "/api/operator/tenants/tn_nobody_here")
    assert status == 404 and body["error"] == "not_found"
    status, _ = operator.send("PATCH", "/api/operator/tenants/tn_nobody_here",
                              body={"status": "suspended"})
    assert status == 404


def test_a_tenants_owner_cannot_reach_the_operator_api(owner: Session, tenant_id: str) -> None:
    for method, path, body in (("GET", "/api/operator/tenants", None),
                               ("GET", f"/api/operator/tenants/{tenant_id}", None),
                               ("PATCH", f"/api/operator/tenants/{tenant_id}",
                                {"status": "active"})):
        status, answer = owner.send(method, path, body=body)
        assert status == 403 and answer["error"] == "forbidden"
    status, _ = owner.send("GET", "/api/operator/tenants", token=False)
    assert status == 401


def test_the_operator_reaches_no_tenants_customers(operator: Session) -> None:
    for path in ("/api/contacts?q=a", "/api/tenant", "/api/users", "/api/me/tasks"):
        status, answer = operator.send("GET", path)
        assert status == 403, path
        assert answer["error"] == "forbidden"
