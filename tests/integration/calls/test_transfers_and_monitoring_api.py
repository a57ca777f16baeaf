"""Transfers, monitoring, outbound calls, the directory and the settings through HTTP,
with role checks and tenant isolation."""

from __future__ import annotations

from tests.integration.calls.conftest import BUSINESS, Desk


def alice_on_a_call(desk: Desk, caller: str) -> str:
    desk.available("alice")
    desk.incoming_call(caller, queue="support", menu="billing")
    task_id, _ = desk.answer("alice")
    return task_id


def test_a_warm_transfer_to_an_agent_consults_then_completes(desk: Desk) -> None:
    caller = "CA" + "6" * 32
    first = alice_on_a_call(desk, caller)
    desk.available("bob")
    status, view = desk.post(f"/api/tasks/{first}/transfer", {
        "to": {"agent": "bob"}, "mode": "warm", "notes": "wants a refund"}, as_="alice")
    assert status == 200, view
    assert view["call"]["on_hold"] and view["call"]["transfer"]["state"] == "ringing"
    assert view["call"]["transfer"]["target_name"] == "Bob"

    offer = desk.offer("bob")
    assert offer["task"]["transfer_from"]["agent_id"] == "alice"
    assert offer["task"]["notes"] == "wants a refund"
    assert offer["task"]["attributes"]["menu"] == "billing"
    _second, twiml = desk.answer("bob")
    assert f">{first}</Conference>" in twiml  # bob joins the caller's conference
    status, body = desk.get("/api/me/tasks", as_="alice")
    assert body["tasks"][0]["call"]["transfer"]["state"] == "consulting"

    status, done = desk.post(f"/api/tasks/{first}/transfer/complete", as_="alice")
    assert status == 200 and done["status"] == "wrapping"
    alice_leg = desk.carrier.named("place_call")[0]["sid"]
    assert {"conference": desk.carrier.conference,
            "call_sid": alice_leg} in desk.carrier.named("remove_participant")
    assert any(op.get("call_sid") == caller and op.get("hold") is False
               for op in desk.carrier.named("update_participant"))
    status, body = desk.get("/api/me/tasks", as_="bob")
    assert body["tasks"][0]["call"]["state"] == "connected"


def test_cancelling_a_warm_transfer_withdraws_the_offer_and_resumes_the_caller(
        desk: Desk) -> None:
    first = alice_on_a_call(desk, "CA" + "7" * 32)
    desk.available("bob")
    desk.post(f"/api/tasks/{first}/transfer", {"to": {"agent": "bob"}, "mode": "warm"},
              as_="alice")
    assert desk.offer("bob")
    status, view = desk.post(f"/api/tasks/{first}/transfer/cancel", as_="alice")
    assert status == 200 and view["call"]["transfer"] is None and not view["call"]["on_hold"]
    status, body = desk.get("/api/me/reservations", as_="bob")
    assert body["reservations"] == []
    status, body = desk.post(f"/api/tasks/{first}/transfer/complete", as_="alice")
    assert status == 409 and "no warm transfer" in body["message"]


def test_a_cold_transfer_to_a_queue_wraps_the_first_agent_up_and_carries_the_notes(
        desk: Desk) -> None:
    first = alice_on_a_call(desk, "CA" + "8" * 32)
    status, view = desk.post(f"/api/tasks/{first}/transfer", {
        "to": {"queue": "billing"}, "mode": "cold", "notes": "second floor"}, as_="alice")
    assert status == 200 and view["status"] == "wrapping"
    desk.available("bob")
    offer = desk.offer("bob")
    assert offer["task"]["queue"] == "billing" and offer["task"]["notes"] == "second floor"


def test_a_transfer_to_a_number_calls_it_into_the_conference(desk: Desk) -> None:
    first = alice_on_a_call(desk, "CA" + "9" * 32)
    status, _view = desk.post(f"/api/tasks/{first}/transfer", {
        "to": {"number": "+14155550199"}, "mode": "warm"}, as_="alice")
    assert status == 200
    added = desk.carrier.named("add_participant")[-1]
    assert added["to"] == "+14155550199" and added["from_"] == BUSINESS
    assert added["label"] == "transfer"


def test_bad_transfers_name_the_field_or_say_why(desk: Desk) -> None:
    first = alice_on_a_call(desk, "CA" + "a1" * 16)
    cases = [({"to": {"queue": "nope"}}, 400, "to.queue"),
             ({"to": {"agent": "alice"}}, 400, "to.agent"),
             ({"to": {"number": "12"}}, 400, "to.number"),
             ({"to": {"agent": "bob"}, "mode": "lukewarm"}, 400, "mode")]
    for body, code, path in cases:
        status, answer = desk.post(f"/api/tasks/{first}/transfer", body, as_="alice")
        assert (status, answer.get("path")) == (code, path), answer
    status, answer = desk.post(f"/api/tasks/{first}/transfer", {"to": {"agent": "xavier"}},
                               as_="alice")
    assert status == 400  # another business's agent is no agent here


def test_a_supervisor_listens_whispers_and_stops_and_agents_cannot(desk: Desk) -> None:
    first = alice_on_a_call(desk, "CA" + "b1" * 16)
    alice_leg = desk.carrier.named("place_call")[-1]["sid"]
    status, _ = desk.post(f"/api/tasks/{first}/monitor", {"mode": "listen"}, as_="bob")
    assert status == 403
    status, body = desk.post(f"/api/tasks/{first}/monitor", {"mode": "listen"}, as_="sue")
    assert status == 200 and body["monitor"]["mode"] == "listen"
    added = desk.carrier.named("add_participant")[-1]
    assert added["to"] == "client:sue" and added["muted"] is True
    status, body = desk.post(f"/api/tasks/{first}/monitor", {"mode": "whisper"}, as_="sue")
    assert status == 200
    coached = desk.carrier.named("update_participant")[-1]
    assert coached["coaching"] is True and coached["call_sid_to_coach"] == alice_leg
    status, live = desk.get("/api/supervisor/calls", as_="sue")
    mine = [c for c in live["calls"] if c["task_id"] == first]
    assert mine and mine[0]["monitor"] == {"supervisor_id": "sue", "mode": "whisper"}
    assert mine[0]["agent_name"] == "Alice"
    status, body = desk.get("/api/me/tasks", as_="alice")
    assert body["tasks"][0]["call"]["monitored"] is None  # the tenant does not show it
    status, body = desk.delete(f"/api/tasks/{first}/monitor", as_="sue")
    assert status == 200 and body == {"monitor": None}
    status, _ = desk.get("/api/supervisor/calls", as_="alice")
    assert status == 403


def test_agents_see_monitoring_only_when_the_tenant_enables_it(desk: Desk) -> None:
    status, _ = desk.put("/api/voice/settings", {"show_monitoring_to_agents": True},
                         as_="alice")
    assert status == 403
    status, body = desk.put("/api/voice/settings", {"show_monitoring_to_agents": True},
                            as_="sue")
    assert status == 403  # supervisors do not change settings either
    status, body = desk.put("/api/voice/settings", {"show_monitoring_to_agents": "yes"},
                            as_="sue")
    assert status == 400 and body["path"] == "show_monitoring_to_agents"
    status, body = desk.put("/api/voice/settings", {"show_monitoring_to_agents": True},
                            as_="olga")
    assert status == 200 and desk.get("/api/voice/settings", as_="alice")[1] == body
    first = alice_on_a_call(desk, "CA" + "c1" * 16)
    desk.post(f"/api/tasks/{first}/monitor", {"mode": "barge"}, as_="sue")
    status, body = desk.get("/api/me/tasks", as_="alice")
    assert body["tasks"][0]["call"]["monitored"] == {"mode": "barge"}


def test_an_outbound_call_rings_the_agent_then_calls_the_customer_from_the_business(
        desk: Desk) -> None:
    status, body = desk.post("/api/calls", {"to": "+14155550123"}, as_="alice")
    assert status == 200, body
    task = body["task"]
    leg = desk.carrier.named("place_call")[-1]
    assert leg["to"] == "client:alice" and leg["from_"] == BUSINESS
    reservation = task["id"].replace("TK", "WR") + "01"
    twiml = desk.twilio("/twilio/voice/agent/connect",
                        {"r": reservation, "t": desk.tenant.tenant_id},
                        {"CallSid": leg["sid"], "CallStatus": "in-progress"})
    assert f">{task['id']}</Conference>" in twiml
    customer = desk.carrier.named("add_participant")[-1]
    assert customer["to"] == "+14155550123" and customer["from_"] == BUSINESS
    status, again = desk.post("/api/calls", {"to": "+14155550123"}, as_="alice")
    assert status == 409 and "already on a call" in again["message"]
    status, bad = desk.post("/api/calls", {"to": "555"}, as_="bob")
    assert status == 400 and bad["path"] == "to"
    from chalicelib.wiring import get_crm_service

    record = get_crm_service().get_interaction(desk.tenant.tenant_id, task["id"])
    assert record.direction == "outbound" and record.contact_phone == "+14155550123"


def test_the_directory_lists_queues_and_other_agents_of_the_business_only(desk: Desk) -> None:
    desk.available("bob")
    status, body = desk.get("/api/voice/directory", as_="alice")
    assert status == 200
    assert {q["name"] for q in body["queues"]} == {"support", "billing"}
    names = {a["agent_id"]: a["available"] for a in body["agents"]}
    assert names == {"bob": True, "sue": False, "olga": False}


def test_a_cold_transfer_to_an_agent_who_does_not_take_it_falls_back_to_the_queue(
        desk: Desk) -> None:
    import time

    from chalicelib.wiring import get_routing_sweep

    first = alice_on_a_call(desk, "CA" + "d1" * 16)
    status, _ = desk.post(f"/api/tasks/{first}/transfer",
                          {"to": {"agent": "bob"}, "mode": "cold"}, as_="alice")
    assert status == 200  # bob is offline: nobody is offered it yet
    sue_routing = {"activity": "available"}
    desk.put("/api/me/activity", sue_routing, as_="sue")
    status, body = desk.get("/api/me/reservations", as_="sue")
    assert body["reservations"] == []  # only bob may take it for now
    get_routing_sweep().run(now=time.time() + 61)
    offer = desk.offer("sue")
    assert offer["task"]["transfer_from"]["agent_id"] == "alice"


def test_when_the_consulted_agent_hangs_up_the_caller_goes_back_to_the_first_agent(
        desk: Desk) -> None:
    caller = "CA" + "e1" * 16
    first = alice_on_a_call(desk, caller)
    desk.available("bob")
    desk.post(f"/api/tasks/{first}/transfer", {"to": {"agent": "bob"}, "mode": "warm"},
              as_="alice")
    offer = desk.offer("bob")
    second, _ = desk.answer("bob")
    bob_leg = desk.carrier.named("place_call")[-1]["sid"]
    desk.agent_leg_ended(second, offer["id"], bob_leg)
    status, body = desk.get("/api/me/tasks", as_="alice")
    call = body["tasks"][0]["call"]
    assert (call["state"], call["transfer"], call["on_hold"]) == ("connected", None, False)
    assert caller not in {op["call_sid"] for op in desk.carrier.named("end_call")}
    status, body = desk.get("/api/me/tasks", as_="bob")
    assert status == 200 and body["tasks"][0]["status"] == "wrapping"
