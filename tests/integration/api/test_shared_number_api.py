"""The operator's shared-number API through HTTP on DynamoDB Local: list every number,
make one shared (a key per business, a greeting), refuse bad menus naming the field, make
it ordinary again."""

from __future__ import annotations

import time
import uuid

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Principal, Role, Tenant, User
from tests.integration.api.conftest import Session


def _number() -> str:
    return f"+1555{uuid.uuid4().int % 10**7:07d}"


def _business(settings: Settings, name: str, *, own_number: bool = True,
              status: str = "active") -> tuple[str, str | None]:
    repo = TenantRepository(settings)
    tenant_id = "tn_" + uuid.uuid4().hex[:10]
    repo.save(Tenant(tenant_id=tenant_id, name=name, timezone="UTC", status=status,
                     twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                     created_at=time.time()))
    number = _number() if own_number else None
    if number:
        repo.save_number(PhoneNumber(number, tenant_id, flow_id="voice-ivr"))
    return tenant_id, number


@pytest.fixture
def operator(settings: Settings, client: Client) -> Session:
    user = User(tenant_id=PLATFORM_TENANT, user_id="u_op_" + uuid.uuid4().hex[:8],
                email=f"op-{uuid.uuid4().hex[:8]}@platform.example", name="Pat Operator",
                role=Role.OPERATOR, password_hash="not-used", created_at=time.time())
    TenantRepository(settings).add_user(user)
    token = TokenSigner(settings.jwt_secret, 3600).issue(
        Principal(PLATFORM_TENANT, user.user_id, Role.OPERATOR))
    return Session(client=client, token=token, user=user)


@pytest.fixture
def hotline(settings: Settings) -> str:
    """The outsourcer's number, owned by its own business, to be shared."""
    _owner, number = _business(settings, "City Hotline")
    assert number is not None
    return number


def test_the_operator_shares_a_number_lists_it_and_makes_it_ordinary_again(
        operator: Session, hotline: str, settings: Settings) -> None:
    # given two active businesses with numbers of their own
    water, water_number = _business(settings, "Aqua Water")
    dental, dental_number = _business(settings, "Bright Dental")
    # when the operator makes the hotline shared
    status, view = operator.send("POST", f"/api/operator/numbers/{hotline}/shared", body={
        "tenants": [{"tenant_id": water, "digit": "1"}, {"tenant_id": dental, "digit": "2"}],
        "greeting": "Thanks for calling City Hotline."})
    # then each business is behind its key, forwarding to its own number
    assert status == 200, view
    assert view["shared"] is True and view["greeting"] == "Thanks for calling City Hotline."
    assert view["tenants"] == [
        {"tenant_id": water, "digit": "1", "number": water_number, "name": "Aqua Water"},
        {"tenant_id": dental, "digit": "2", "number": dental_number, "name": "Bright Dental"}]
    stored = TenantRepository(settings).number(hotline)
    assert stored is not None and stored.flow_id == "voice-ivr"  # the rest is untouched
    assert [line.digit for line in stored.shared_menu] == ["1", "2"]
    # and the list of every number shows the routing, with the owner
    status, listing = operator.send("GET", "/api/operator/numbers")
    assert status == 200
    listed = {n["number"]: n for n in listing["numbers"]}
    assert listed[hotline]["shared"] is True and listed[hotline]["owner"]["name"] == "City Hotline"
    assert listed[water_number]["shared"] is False and listed[water_number]["tenants"] == []
    assert set(listed[hotline]) == {"number", "friendly_name", "owner", "shared", "greeting",
                                    "tenants"}  # routing only: no calls, no contacts
    # when it is made ordinary again (the console sends the number URL-encoded)
    encoded = hotline.replace("+", "%2B")
    status, plain = operator.send("DELETE", f"/api/operator/numbers/{encoded}/shared")
    assert status == 200 and plain["shared"] is False and plain["tenants"] == []
    stored = TenantRepository(settings).number(hotline)
    assert stored is not None and not stored.is_shared and stored.greeting is None


def test_extension_codes_of_two_to_four_digits_are_accepted(
        operator: Session, hotline: str, settings: Settings) -> None:
    water, _ = _business(settings, "Aqua Water")
    dental, _ = _business(settings, "Bright Dental")
    status, view = operator.send("POST", f"/api/operator/numbers/{hotline}/shared", body={
        "tenants": [{"tenant_id": water, "digit": "21"}, {"tenant_id": dental, "digit": "305"}],
        "greeting": "City Hotline."})
    assert status == 200, view
    assert [t["digit"] for t in view["tenants"]] == ["21", "305"]


@pytest.mark.parametrize(("rows", "path", "words"), [
    ([("water", "1"), ("dental", "1")], "tenants[1].digit", "already used"),
    ([("water", "1"), ("dental", "12")], "tenants[1].digit", "begin alike"),
    ([("water", "1"), ("water", "2")], "tenants[1].tenant_id", "already"),
    ([("water", "12345")], "tenants[0].digit", None),
    ([("water", "*")], "tenants[0].digit", None),
    ([("nobody", "1")], "tenants[0].tenant_id", "no tenant"),
    ([("numberless", "1")], "tenants[0].tenant_id", "no number of its own"),
    ([("suspended", "1")], "tenants[0].tenant_id", "not active"),
])
def test_a_bad_menu_is_refused_naming_the_field(
        operator: Session, hotline: str, settings: Settings, rows: list[tuple[str, str]],
        path: str, words: str | None) -> None:
    ids = {"water": _business(settings, "Aqua Water")[0],
           "dental": _business(settings, "Bright Dental")[0],
           "numberless": _business(settings, "No Line Ltd", own_number=False)[0],
           "suspended": _business(settings, "Sleepy Co", status="suspended")[0],
           "nobody": "tn_missing"}
    status, body = operator.send("POST", f"/api/operator/numbers/{hotline}/shared", body={
        "tenants": [{"tenant_id": ids[t], "digit": d} for t, d in rows], "greeting": "Hi."})
    assert status == 400, body
    assert body["path"] == path if "path" in body else path in body["message"]
    if words:
        assert words in body["message"]
    stored = TenantRepository(settings).number(hotline)
    assert stored is not None and not stored.is_shared


def test_an_unknown_number_is_404_and_a_missing_greeting_names_the_field(
        operator: Session, hotline: str, settings: Settings) -> None:
    water, _ = _business(settings, "Aqua Water")
    status, body = operator.send("POST", f"/api/operator/numbers/{_number()}/shared", body={
        "tenants": [{"tenant_id": water, "digit": "1"}], "greeting": "Hi."})
    assert status == 404, body
    status, body = operator.send("POST", f"/api/operator/numbers/{hotline}/shared", body={
        "tenants": [{"tenant_id": water, "digit": "1"}]})
    assert status == 400 and "greeting" in body["message"]


def test_only_the_operator_reaches_the_numbers_api(
        owner: Session, hotline: str, tenant_id: str) -> None:
    status, _ = owner.send("GET", "/api/operator/numbers")
    assert status == 403
    status, _ = owner.send("POST", f"/api/operator/numbers/{hotline}/shared", body={
        "tenants": [{"tenant_id": tenant_id, "digit": "1"}], "greeting": "Hi."})
    assert status == 403
    status, _ = owner.send("GET", "/api/operator/numbers", token=False)
    assert status == 401


def test_the_owner_may_sit_behind_its_own_shared_number_through_another_of_its_numbers(
        operator: Session, settings: Settings) -> None:
    # given City Hotline owns the shared number and a second number of its own
    city, shared = _business(settings, "City Hotline")
    second = _number()
    TenantRepository(settings).save_number(PhoneNumber(second, city, flow_id="voice-ivr"))
    water, _ = _business(settings, "Aqua Water")
    # when it is listed behind its own shared number
    status, view = operator.send("POST", f"/api/operator/numbers/{shared}/shared", body={
        "tenants": [{"tenant_id": city, "digit": "0"}, {"tenant_id": water, "digit": "1"}],
        "greeting": "City Hotline."})
    # then its calls are forwarded to its other number, never to the shared one
    assert status == 200, view
    assert view["tenants"][0]["number"] == second
    # and a business whose only number is itself shared has none to take the calls
    status, body = operator.send("POST", f"/api/operator/numbers/{second}/shared", body={
        "tenants": [{"tenant_id": water, "digit": "1"}, {"tenant_id": city, "digit": "2"}],
        "greeting": "Hi."})
    assert status == 400 and body["path"] == "tenants[1].tenant_id", body
