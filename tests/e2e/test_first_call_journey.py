"""The foundation journey, end to end: a caller dials the demo number, picks support,
waits in Hotline's DynamoDB queue, an agent accepts and answers on their browser phone,
caller and agent meet in a conference, both hang up, the agent wraps up, and the CRM
shows the call with its timings, agent and disposition."""

from __future__ import annotations

import pytest

from sim.client import SimClient
from tests.e2e.desk import headset, take, wait_together
from tests.stack import RunningStack, new_caller

pytestmark = pytest.mark.e2e


def test_caller_reaches_an_agent_and_the_crm_records_the_call(stack: RunningStack) -> None:
    phone, caller = SimClient(stack.sim_url, timeout=20.0), new_caller()
    agent = stack.agent(0)
    me = agent.ok("GET", "/api/me")

    # 1. The caller dials and hears the default flow's welcome and menu.
    call_sid = phone.call(caller, stack.demo.number)
    phone.wait_for_text(call_sid, "press 2")
    assert "thanks for calling aqua pure water delivery" in phone.text(call_sid).lower()

    # 2. Support: the caller waits in the DynamoDB queue and hears their position.
    phone.press(call_sid, "2")
    phone.wait_for_call(call_sid, lambda c: c.get("queue"), what="the caller to be queued")
    phone.wait_for(lambda: any(words in phone.text(call_sid).lower()
                               for words in ("position", "in line")),
                   what="a queue position announcement")

    # 3. The agent's browser phone registers; the agent goes available, sees the
    #    reservation, accepts, answers on the device and meets the caller in a conference.
    with headset(phone, agent) as desk:
        agent.ok("PUT", "/api/me/activity", {"activity": "available"})
        _, agent_leg = take(phone, desk, caller)
        room = wait_together(phone, call_sid, agent_leg)
        assert phone.get(agent_leg)["to"] == f"client:{me['id']}"
        assert {p["label"] for p in room["participants"]} == {"agent", "customer"}

        # 4. Both hang up; the agent wraps up.
        phone.hangup(call_sid)
        phone.wait_ended(agent_leg)
    phone.wait_status(call_sid, "completed")
    task = phone.wait_for(lambda: next((t for t in agent.ok("GET", "/api/me/tasks")["tasks"]
                                        if t.get("status") == "wrapping"), None),
                          what="the task to enter wrap-up")
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup",
             {"disposition": "Order placed", "notes": "Three 5-gallon jugs, Tuesday"})

    # 5. The CRM finds the caller and lists the call with its timings and outcome.
    owner = stack.owner()
    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    interactions = phone.wait_for(
        lambda: [i for i in owner.ok("GET", f"/api/contacts/{contact['id']}/interactions")[
            "interactions"] if i["id"] == call_sid and i["status"] == "completed"
            and i["disposition"]],
        what="the interaction to be complete")
    record = interactions[0]
    assert record["agent_id"] == me["id"]
    assert record["disposition"] == "Order placed"
    assert record["notes"] == "Three 5-gallon jugs, Tuesday"
    assert record["outcome"] == "completed"
    assert record["queue"] == "support"
    assert record["queue_wait_seconds"] is not None and record["queue_wait_seconds"] >= 0
    assert record["talk_seconds"] is not None and record["talk_seconds"] >= 0
    # the agent's leg rang between accepting the offer and answering, inside the queue wait
    assert record["ring_seconds"] is not None
    assert 0 <= record["ring_seconds"] <= record["queue_wait_seconds"]
    assert record["ivr_seconds"] is not None and record["ivr_seconds"] >= 0
    assert record["duration_seconds"] is not None


def test_agents_cannot_read_another_business_contacts(stack: RunningStack) -> None:
    status, _ = stack.api.call("GET", "/api/contacts?phone=+16285550000")
    assert status == 401
    status, _ = stack.agent(0).call("GET", "/api/contacts/ct_not_mine/interactions")
    assert status == 404
