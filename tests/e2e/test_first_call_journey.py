"""The foundation journey, end to end: a caller dials the demo number, picks support,
waits in Hotline's DynamoDB queue, an agent accepts and is bridged, both hang up, the
agent wraps up, and the CRM shows the call with its timings, agent and disposition."""

from __future__ import annotations

import pytest

from tests.stack import Api, RunningStack, new_caller, said, wait_until

pytestmark = pytest.mark.e2e


def _sim(stack: RunningStack) -> Api:
    return Api(stack.sim_url)


def test_caller_reaches_an_agent_and_the_crm_records_the_call(stack: RunningStack) -> None:
    sim, caller = _sim(stack), new_caller()
    agent = stack.agent(0)
    me = agent.ok("GET", "/api/me")

    # 1. The caller dials and hears the default flow's welcome and menu.
    call_sid = sim.ok("POST", "/sim/calls", {"from": caller, "to": stack.demo.number})["call_sid"]
    call = wait_until(lambda: (c := sim.ok("GET", f"/sim/calls/{call_sid}"))
                      and "press 2" in said(c) and c, what="the menu")
    assert "thanks for calling aqua pure water delivery" in said(call)

    # 2. Support: the caller waits in the DynamoDB queue and hears their position.
    sim.ok("POST", f"/sim/calls/{call_sid}/input", {"digits": "2"})
    wait_until(lambda: sim.ok("GET", f"/sim/calls/{call_sid}").get("queue"),
               what="the caller to be queued")
    wait_until(lambda: "position" in said(sim.ok("GET", f"/sim/calls/{call_sid}"))
               or "in line" in said(sim.ok("GET", f"/sim/calls/{call_sid}")),
               what="a queue position announcement")

    # 3. The agent goes available, sees the reservation, accepts and is bridged.
    agent.ok("PUT", "/api/me/activity", {"activity": "available"})
    reservation = wait_until(
        lambda: next((r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
                      if r["task"]["caller"] == caller), None),
        what="a reservation for the caller")
    agent.ok("POST", f"/api/reservations/{reservation['id']}/accept")
    bridged = wait_until(lambda: sim.ok("GET", f"/sim/calls/{call_sid}")["bridged_with"],
                         what="the caller to be bridged")
    leg = sim.ok("GET", f"/sim/calls/{bridged[0]}")
    assert leg["to"] == f"client:{me['id']}"

    # 4. Both hang up; the agent wraps up.
    sim.ok("POST", f"/sim/calls/{call_sid}/hangup")
    wait_until(lambda: sim.ok("GET", f"/sim/calls/{call_sid}")["status"] == "completed",
               what="the call to complete")
    task = wait_until(lambda: next((t for t in agent.ok("GET", "/api/me/tasks")["tasks"]
                                    if t.get("status") == "wrapping"), None),
                      what="the task to enter wrap-up")
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup",
             {"disposition": "Order placed", "notes": "Three 5-gallon jugs, Tuesday"})

    # 5. The CRM finds the caller and lists the call with its timings and outcome.
    owner = stack.owner()
    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    interactions = wait_until(
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
    assert record["duration_seconds"] is not None


def test_agents_cannot_read_another_business_contacts(stack: RunningStack) -> None:
    status, _ = stack.api.call("GET", "/api/contacts?phone=+16285550000")
    assert status == 401
    status, _ = stack.agent(0).call("GET", "/api/contacts/ct_not_mine/interactions")
    assert status == 404
