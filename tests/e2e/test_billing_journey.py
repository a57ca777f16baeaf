"""Metering end to end, through the carrier simulator: a fresh business takes a call
(the caller's leg and the agent's browser leg) and a text conversation (the flow's
auto-reply, the agent's replies in GSM-7 with extension characters and in UCS-2), and its
usage equals, exactly, what the simulator says happened: per leg, the started minutes of
its duration; per message, its segments. The invoice prices that usage under the
operator's plan. Then the operator sets a spending cap just above the month's spend, one
more text reaches it mid-month, and the agent's reply and outbound call are refused with
403 ``spending_cap_reached`` and the reason."""

from __future__ import annotations

import math
import time
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from chalicelib.domain.billing.plan import KINDS
from chalicelib.domain.billing.segments import count_segments
from chalicelib.services.tenancy.gate import API_TTL_SECONDS
from devtools.seed import ALWAYS_OPEN
from sim.client import SimClient
from tests.e2e.desk import headset, take, wait_together, wrap_up_all
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e

PRICE = Decimal("0.05")
PLAN = {"name": "E2E plan", "currency": "USD", "monthly_fee": 5, "monthly_minimum": 0,
        "prices": {kind: float(PRICE) for kind in KINDS},
        "included": {"voice_in_minutes": 1}}
GSM7_EXTENDED = "€" * 81  # 162 septets: two GSM-7 segments of at most 153
UCS2 = "Ж" * 70 + "😀"  # 72 UTF-16 units: two UCS-2 segments of at most 67
LONG_TEXT = "a" * 161  # two GSM-7 segments


def _business(stack: RunningStack) -> tuple[str, str, Api, Api, str]:
    """A fresh business signed up like a real one, open around the clock, with one agent:
    (tenant id, number, owner, agent, Twilio account)."""
    from chalicelib.domain.identity import Principal, Role
    from chalicelib.wiring import get_onboarding, get_tenant_repository

    stack.activate()
    suffix = uuid.uuid4().hex[:8]
    password = "bill-e2e-password"
    owner_email, agent_email = f"owner-{suffix}@bill.example", f"agent-{suffix}@bill.example"
    signed = get_onboarding().sign_up({
        "business_name": f"Billed Water {suffix}", "name": "Bill Owner", "email": owner_email,
        "password": password, "timezone": "America/New_York", "area_code": "628"})
    tenants = get_tenant_repository()
    tenant_id = signed.owner.tenant_id
    tenant = tenants.get(tenant_id)
    assert tenant is not None
    tenants.update_profile(tenant_id, {**tenant.profile, "hours": ALWAYS_OPEN})
    get_onboarding().add_user(Principal(tenant_id, signed.owner.user_id, Role.OWNER), {
        "name": "Bea Agent", "email": agent_email, "password": password, "role": "agent",
        "tier": "full-time"})
    return (tenant_id, str(tenant.profile["number"]), stack.api.login(owner_email, password),
            stack.api.login(agent_email, password), tenant.twilio_account_sid)


def _offer(phone: SimClient, agent: Api, customer: str) -> dict[str, Any]:
    offer = phone.wait_for(lambda: next(
        (r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["caller"] == customer), None), what=f"an offer of {customer}'s text")
    return dict(agent.ok("POST", f"/api/reservations/{offer['id']}/accept"))


def _thread_has(agent: Api, task_id: str, body: str) -> bool:
    return any(m["body"] == body for m in
               agent.ok("GET", f"/api/tasks/{task_id}/messages")["messages"])


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_usage_equals_the_simulated_minutes_and_segments_and_the_cap_blocks_outbound(
        stack: RunningStack) -> None:
    phone = SimClient(stack.sim_url, timeout=20.0)
    tenant_id, number, owner, agent, account = _business(stack)
    operator = stack.session(stack.demo.operator_email, stack.demo.password_operator)
    operator.ok("PATCH", f"/api/operator/tenants/{tenant_id}", {"plan": PLAN})

    # 1. A caller reaches the agent's browser phone, they talk, the caller hangs up.
    caller = new_caller()
    call_sid = phone.call(caller, number)
    phone.press(call_sid, "2")
    phone.wait_for_call(call_sid, lambda c: c.get("queue"), what="the caller to be queued")
    with headset(phone, agent) as desk:
        agent.ok("PUT", "/api/me/activity", {"activity": "available"})
        _, agent_leg = take(phone, desk, caller)
        wait_together(phone, call_sid, agent_leg)
        time.sleep(3)  # ~30 simulated seconds of talk
        phone.hangup(call_sid)
        phone.wait_ended(agent_leg)
    phone.wait_status(call_sid, "completed")
    wrap_up_all(phone, desk, call_sid)

    # 2. A customer texts (the flow acknowledges), the agent takes it and replies twice.
    customer = new_caller()
    first = phone.sms(customer, number, LONG_TEXT)
    task = _offer(phone, agent, customer)
    [ack] = phone.wait_for(lambda: [m["body"] for m in phone.messages(to=customer)] or None,
                           what="the flow's acknowledgement")
    for body in (GSM7_EXTENDED, UCS2):
        agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": body})
        phone.wait_for(lambda body=body: any(m["body"] == body for m in
                                             phone.messages(to=customer)) or None,
                       what="the reply at the customer's phone")

    # then every leg the simulator ran in this business's account is metered in started
    # minutes of its duration, inbound or outbound by its direction
    legs = [c for c in phone.calls() if c["account_sid"] == account]
    assert {c["call_sid"] for c in legs} >= {call_sid, agent_leg}
    assert all(c["status"] == "completed" for c in legs)
    expected = {kind: 0 for kind in KINDS}
    sources: dict[str, tuple[str, int]] = {}
    for leg in legs:
        kind = "voice_in_minutes" if leg["direction"] == "inbound" else "voice_out_minutes"
        minutes = math.ceil(leg["duration"] / 60)
        expected[kind] += minutes
        sources[leg["call_sid"]] = (kind, minutes)
    assert expected["voice_in_minutes"] >= 1 and expected["voice_out_minutes"] >= 1
    # and every message in segments: the two known replies are two segments each, the
    # customer's text two, the flow's acknowledgement as Twilio would count it
    texts = phone.messages(with_=customer)
    assert [m["body"] for m in texts if m["direction"] == "inbound"] == [LONG_TEXT]
    outbound = [m["body"] for m in texts if m["direction"] != "inbound"]
    assert outbound == [ack, GSM7_EXTENDED, UCS2]
    expected["sms_in_segments"] = 2
    expected["sms_out_segments"] = count_segments(ack).segments + 2 + 2
    expected["numbers"] = 1
    sources[first] = ("sms_in_segments", 2)

    usage = phone.wait_for(lambda: (u := owner.ok("GET", "/api/usage")) and
                           u["totals"] == expected and u, what="usage to match the simulator")
    metered = {r["source"]: (r["kind"], r["quantity"]) for r in usage["records"]}
    assert {sid: metered.get(sid) for sid in sources} == sources
    assert operator.ok("GET", f"/api/operator/tenants/{tenant_id}/usage")["totals"] == expected

    # and the invoice prices it: 0.05 a unit above the included inbound minute, plus the fee
    invoice = owner.ok("GET", f"/api/invoices/{usage['month']}")
    lines = {line["kind"]: line for line in invoice["lines"]}
    billable = {k: max(0, v - (1 if k == "voice_in_minutes" else 0))
                for k, v in expected.items() if v}
    assert {k: lines[k]["billable"] for k in billable} == billable
    total = sum((_cents(PRICE * n) for n in billable.values()), Decimal("5.00"))
    assert Decimal(invoice["total"]) == total
    assert Decimal(invoice["total"]) == sum(Decimal(line["amount"]) for line in invoice["lines"])

    # 3. The operator caps the month two segments above the spend so far: a reply still goes
    operator.ok("PATCH", f"/api/operator/tenants/{tenant_id}",
                {"spending_cap": float(total + 2 * PRICE)})
    # (the gate caches a tenant's terms for a few seconds per container: let it expire)
    time.sleep(API_TTL_SECONDS + 0.5)
    # when one more text of two segments reaches the cap mid-month
    phone.sms(customer, number, "b" * 161)
    phone.wait_for(lambda: _thread_has(agent, task["id"], "b" * 161), what="the last text")
    # then the agent's reply and an outbound call are refused, saying why
    status, refused = agent.call("POST", f"/api/tasks/{task['id']}/messages",
                                 {"body": "One more thing"})
    assert status == 403 and refused["error"] == "spending_cap_reached"
    assert "spending cap" in refused["message"] and "outbound" in refused["message"]
    status, refused_call = agent.call("POST", "/api/calls", {"to": customer})
    assert status == 403 and refused_call["error"] == "spending_cap_reached"
    assert not any(m["body"] == "One more thing" for m in phone.messages(to=customer))
    final = owner.ok("GET", f"/api/invoices/{usage['month']}")
    assert Decimal(final["total"]) == total + 2 * PRICE
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    agent.ok("PUT", "/api/me/activity", {"activity": "offline"})
