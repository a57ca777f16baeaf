"""A shared number, end to end through the carrier simulator: the operator makes one
business's number shared between two others (1 → Aqua Water, 2 → Bright Dental). Each
caller picks a key, is forwarded with their own number as caller ID to that business's
own number, and is answered by that business's agent on a registered browser phone, in
that business's own subaccount. Each business sees only its own caller; the number's
owner sees neither."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from sim.client import SimClient
from tests.e2e.desk import headset, take, wait_together, wrap_up_all
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e

ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
PASSWORD = "correct horse battery"


@dataclass
class Business:
    tenant_id: str
    name: str
    number: str
    account_sid: str
    owner: Api
    agent: Api


def _business(stack: RunningStack, name: str) -> Business:
    """Signed up through the real signup (its own subaccount and number), open all day,
    with one agent."""
    from chalicelib.domain.identity import Principal, Role
    from chalicelib.wiring import get_onboarding, get_tenant_repository

    tag = uuid.uuid4().hex[:8]
    signed = stack.api.ok("POST", "/api/signup", {
        "business_name": name, "name": "Owner", "email": f"owner-{tag}@example.com",
        "password": PASSWORD, "timezone": "America/New_York", "area_code": "415"})
    owner = Api(stack.app_url, signed["token"])
    me = owner.ok("GET", "/api/me")
    tenants = get_tenant_repository()
    tenant = tenants.get(me["tenant_id"])
    assert tenant is not None
    tenants.update_profile(tenant.tenant_id, {**tenant.profile, "hours": ALWAYS_OPEN})
    get_onboarding().add_user(Principal(tenant.tenant_id, me["id"], Role.OWNER), {
        "name": f"{name} Agent", "email": f"agent-{tag}@example.com", "password": PASSWORD,
        "role": "agent"})
    [number] = tenants.numbers_of(tenant.tenant_id)
    return Business(tenant.tenant_id, name, number.number, tenant.twilio_account_sid, owner,
                    stack.api.login(f"agent-{tag}@example.com", PASSWORD))


def _contacts(api: Api, caller: str) -> list[dict]:
    """The business's contacts with this number ([] when it has none: a 404)."""
    status, body = api.call("GET", f"/api/contacts?phone={caller}")
    assert status in (200, 404), body
    return body["contacts"] if status == 200 else []


def test_a_shared_number_hands_callers_to_two_businesses_each_served_in_its_own_account(
        stack: RunningStack) -> None:
    phone = SimClient(stack.sim_url, timeout=20.0)
    hotline, water, dental = (_business(stack, n) for n in
                              ("City Hotline", "Aqua Water", "Bright Dental"))
    operator = stack.session(stack.demo.operator_email, stack.demo.password_operator)
    # given the operator makes City Hotline's number shared
    # (URL-encoded, as the console's encodeURIComponent sends it)
    operator.ok("POST", f"/api/operator/numbers/{quote(hotline.number, safe='')}/shared", {
        "tenants": [{"tenant_id": water.tenant_id, "digit": "1"},
                    {"tenant_id": dental.tenant_id, "digit": "2"}],
        "greeting": "Thanks for calling City Hotline."})

    served: dict[str, str] = {}
    for business, key in ((water, "1"), (dental, "2")):
        caller = new_caller()
        # when a caller dials the shared number, hears the menu and presses the key
        sid = phone.call(caller, hotline.number)
        phone.wait_for_text(sid, "For Bright Dental, press 2")
        phone.press(sid, key)
        # then the call is forwarded to the business's own number with the caller's number
        leg = phone.wait_for(lambda b=business, c=caller: next(iter(
            phone.calls(to=b.number, from_=c, direction="inbound")), None),
            what=f"the forward to {business.name}")
        assert leg["account_sid"] == business.account_sid and leg["direction"] == "inbound"
        # (the caller's number is a valid caller ID for a forward: no warning 13214)
        assert phone.transcript(sid, "error") == []
        # and the business's own flow answers; support is 2
        phone.wait_for_text(leg["call_sid"], "press 2")
        phone.press(sid, "2", wait=False)  # heard across the bridge by its Gather
        phone.wait_for_call(leg["call_sid"], lambda c: c.get("queue"), what="the caller queued")
        # and the business's own agent answers on a registered browser phone
        with headset(phone, business.agent) as desk:
            assert phone.device(desk.device or "")["account_sid"] == business.account_sid
            business.agent.ok("PUT", "/api/me/activity", {"activity": "available"})
            task, agent_leg = take(phone, desk, caller)
            assert task["caller"] == caller  # the caller's own number, kept by the forward
            room = wait_together(phone, leg["call_sid"], agent_leg)
            assert {p["label"] for p in room["participants"]} == {"agent", "customer"}
            phone.hangup(sid)
            phone.wait_ended(agent_leg)
            wrap_up_all(phone, desk)
            business.agent.ok("PUT", "/api/me/activity", {"activity": "offline"})
        served[business.tenant_id] = caller

    # then each business sees only its own caller, in its contacts and its tasks
    water_caller, dental_caller = served[water.tenant_id], served[dental.tenant_id]
    assert len(_contacts(water.owner, water_caller)) == 1
    assert _contacts(water.owner, dental_caller) == []
    assert len(_contacts(dental.owner, dental_caller)) == 1
    assert _contacts(dental.owner, water_caller) == []
    for business, other in ((water, dental_caller), (dental, water_caller)):
        tasks = business.agent.ok("GET", "/api/me/tasks")["tasks"]
        assert all(t["caller"] != other for t in tasks)
    # and the shared number's owner sees neither call
    assert _contacts(hotline.owner, water_caller) == []
    assert _contacts(hotline.owner, dental_caller) == []
    # and the operator sees only the routing
    [listed] = [n for n in operator.ok("GET", "/api/operator/numbers")["numbers"]
                if n["number"] == hotline.number]
    assert [t["tenant_id"] for t in listed["tenants"]] == [water.tenant_id, dental.tenant_id]
    status, _ = operator.call("GET", f"/api/contacts?phone={water_caller}")
    assert status == 403
