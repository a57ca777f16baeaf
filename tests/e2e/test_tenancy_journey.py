"""The tenant gate end to end, through the carrier simulator (docs/tenancy.md): the
operator suspends a business and its caller hears the business's own message, then is
hung up on, never queued; the operator switches a business's outbound SMS off, and its
agent's reply to a customer's text is refused naming the permission (and the flow's
auto-reply is not sent either)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sim.client import SimClient
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e

ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
PASSWORD = "correct horse battery"


def _business(stack: RunningStack, name: str) -> dict[str, Any]:
    """A business signed up through the real signup, open all day, with one agent."""
    from chalicelib.domain.identity import Principal, Role
    from chalicelib.wiring import get_onboarding, get_tenant_repository

    tag = uuid.uuid4().hex[:8]
    signed = stack.api.ok("POST", "/api/signup", {
        "business_name": name, "name": "Owner", "email": f"owner-{tag}@example.com",
        "password": PASSWORD, "timezone": "America/New_York", "area_code": "415"})
    owner = Api(stack.app_url, signed["token"])
    tenant_id = signed["tenant"]["id"]
    tenants = get_tenant_repository()
    tenant = tenants.get(tenant_id)
    assert tenant is not None
    tenants.update_profile(tenant_id, {**tenant.profile, "hours": ALWAYS_OPEN})
    get_onboarding().add_user(Principal(tenant_id, signed["user"]["id"], Role.OWNER), {
        "name": f"{name} Agent", "email": f"agent-{tag}@example.com", "password": PASSWORD,
        "role": "agent"})
    return {"tenant_id": tenant_id, "number": signed["tenant"]["number"], "owner": owner,
            "agent": stack.api.login(f"agent-{tag}@example.com", PASSWORD)}


def _operator(stack: RunningStack) -> Api:
    return stack.session(stack.demo.operator_email, stack.demo.password_operator)


def test_a_suspended_business_caller_hears_its_message_and_is_not_queued(
        stack: RunningStack) -> None:
    phone = SimClient(stack.sim_url, timeout=20.0)
    shop = _business(stack, "Paused Water")
    # given the owner's own words for a suspension, and the operator suspending the shop
    words = "Paused Water is closed while we move. Please call again next month."
    shop["owner"].ok("PUT", "/api/tenant", {"messages": {"suspended": words}})
    _operator(stack).ok("PATCH", f"/api/operator/tenants/{shop['tenant_id']}",
                        {"status": "suspended"})
    # when a customer calls the shop's number
    caller = new_caller()
    sid = phone.call(caller, shop["number"])
    # then they hear the shop's message, and the call ends: no menu, no queue
    phone.wait_for_text(sid, "closed while we move")
    ended = phone.wait_ended(sid)
    assert ended["status"] == "completed"
    assert phone.text(sid) == words
    kinds = {event["kind"] for event in phone.transcript(sid)}
    assert not kinds & {"gather", "enqueue", "dial"}, kinds
    # and the shop's admin reads why; its writes are refused with the reason once the
    # API's tenant cache (a few seconds, docs/tenancy.md) has seen the suspension
    standing = shop["owner"].ok("GET", "/api/tenant")["standing"]
    assert (standing["active"], standing["reason"]) == (False, "suspended")
    _, body = phone.wait_for(lambda: (answer := shop["owner"].call(
        "PUT", "/api/tenant", {"timezone": "UTC"}))[0] == 403 and answer, timeout=10.0,
        what="the suspended shop's write refused")
    assert body["error"] == "tenant_inactive" and "suspended" in body["message"]


def test_outbound_sms_switched_off_refuses_an_agents_reply(stack: RunningStack) -> None:
    phone = SimClient(stack.sim_url, timeout=20.0)
    shop = _business(stack, "Quiet Water")
    # given the operator switched the shop's outbound SMS off, and its agent is available
    _operator(stack).ok("PATCH", f"/api/operator/tenants/{shop['tenant_id']}",
                        {"permissions": {"sms_out": False}})
    agent: Api = shop["agent"]
    agent.ok("PUT", "/api/me/activity", {"activity": "available"})
    # when a customer texts the shop and the agent takes the conversation
    customer = new_caller()
    phone.sms(customer, shop["number"], "Do you deliver on Sundays?")
    offer = phone.wait_for(lambda: next(
        (r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["caller"] == customer), None), what="the text offered to the agent")
    task = agent.ok("POST", f"/api/reservations/{offer['id']}/accept")
    # and replies
    status, body = agent.call("POST", f"/api/tasks/{task['id']}/messages",
                              {"body": "Yes, from 9 to 1."})
    # then the reply is refused, naming the permission, and nothing reached the customer:
    # not the reply, and not the flow's auto-reply (its send-message widget failed)
    assert status == 403, body
    assert body["error"] == "permission_off" and "sms_out" in body["message"]
    thread = agent.ok("GET", f"/api/tasks/{task['id']}/messages")
    assert [m["direction"] for m in thread["messages"]] == ["inbound"]
    assert [m for m in phone.messages(to=customer)] == []
    agent.call("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    agent.ok("PUT", "/api/me/activity", {"activity": "offline"})
