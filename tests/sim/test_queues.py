"""<Enqueue> with its waitUrl loop, <Leave>, <Dial><Queue> bridging, and REST redirects."""

from __future__ import annotations

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp

ENQUEUE = ('<Response><Enqueue action="/queue-done" waitUrl="/hold">support</Enqueue>'
           '<Say>after the queue</Say></Response>')
HOLD = '<Response><Say>You are caller number one.</Say><Pause length="2"/></Response>'
AGENT_DIALS_QUEUE = ('<Response><Dial action="{base}/dial-done">'
                     '<Queue url="{base}/about-to-connect">support</Queue></Dial></Response>')


def test_queued_caller_hears_the_wait_url_again_and_again_with_queue_params(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ENQUEUE
    app.routes["/hold"] = HOLD

    sid = phone.call(CALLER, number)
    hits = app.wait_for("/hold", count=3)
    call = phone.get(sid)

    assert call["queue"] == "support"
    first = hits[0].params
    assert first["QueuePosition"] == "1" and first["CurrentQueueSize"] == "1"
    assert first["QueueSid"].startswith("QU")
    assert {"QueueTime", "AvgQueueTime", "MaxQueueSize"} <= set(first)
    assert int(hits[2].params["QueueTime"]) >= int(first["QueueTime"])
    assert all(h.signature_valid for h in hits)
    phone.hangup(sid)
    [done] = app.wait_for("/queue-done")
    assert done.params["QueueResult"] == "hangup"


def test_leave_in_the_wait_url_continues_after_enqueue(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Enqueue waitUrl="/hold">support</Enqueue>'
                            '<Say>The line is closed.</Say></Response>')
    app.routes["/hold"] = "<Response><Say>Sorry.</Say><Leave/></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    assert phone.text(sid) == "Sorry.\nThe line is closed."
    assert phone.transcript(sid, "dequeue")[0]["result"] == "leave"


def test_dial_queue_bridges_the_first_caller_and_reports_bridged_after_the_bridge_ends(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ENQUEUE
    app.routes["/hold"] = HOLD
    app.routes["/about-to-connect"] = "<Response><Say>Connecting you now.</Say></Response>"
    app.routes["/queue-done"] = "<Response><Say>Thanks for calling.</Say></Response>"
    caller = phone.call(CALLER, number)
    app.wait_for("/hold")

    desk = phone.register(MASTER_SID, "alice")
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "To": "client:alice", "From": number, "Timeout": "600",
        "Twiml": AGENT_DIALS_QUEUE.format(base=app.base)})
    assert created.status_code == 201, created.text
    agent = phone.accept(desk, created.json()["sid"])
    phone.wait_for_call(caller, lambda c: agent in c["bridged_with"])
    assert phone.get(agent)["bridged_with"] == [caller]
    assert "Connecting you now." in phone.text(caller)
    assert phone.say(agent, "Hi, this is Alice", wait=False) == "bridge"
    phone.wait_for_event(caller, "heard", speech="Hi, this is Alice")

    phone.hangup(agent)
    [done] = app.wait_for("/queue-done")
    assert done.params["QueueResult"] == "bridged"
    assert done.params["QueueSid"].startswith("QU")
    phone.wait_for_text(caller, "Thanks for calling.")
    [dialed] = app.wait_for("/dial-done")
    assert dialed.params["DialCallStatus"] == "completed"
    assert dialed.params["DialCallSid"] == caller
    assert app.requests_to("/about-to-connect")[0].params["DequeingCallSid"] == agent


def test_rest_update_redirects_a_queued_call_with_queue_result_redirected(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ENQUEUE
    app.routes["/hold"] = HOLD
    app.routes["/elsewhere"] = "<Response><Say>Moved out of the queue.</Say></Response>"
    sid = phone.call(CALLER, number)
    app.wait_for("/hold")

    updated = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{sid}.json",
                   {"Url": app.url("/elsewhere"), "Method": "POST"})
    assert updated.status_code == 200, updated.text
    phone.wait_ended(sid)

    [done] = app.requests_to("/queue-done")
    assert done.params["QueueResult"] == "redirected"
    assert phone.text(sid).endswith("Moved out of the queue.")
    assert "after the queue" not in phone.text(sid)
    assert phone.get(sid)["queue"] is None


def test_rest_queues_list_shows_the_waiting_caller(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ENQUEUE
    app.routes["/hold"] = HOLD
    sid = phone.call(CALLER, number)
    app.wait_for("/hold")

    queues = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Queues.json").json()["queues"]
    [support] = [q for q in queues if q["friendly_name"] == "support"]
    assert support["current_size"] == 1
    members = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Queues/{support['sid']}"
                   "/Members.json").json()["queue_members"]
    assert [m["call_sid"] for m in members] == [sid]
    phone.hangup(sid)
