"""<Dial> to phones outside the sim, to browser clients, and into conferences."""

from __future__ import annotations

import pytest

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp

MOBILE = "+14155550123"


def test_dial_number_rings_an_outside_phone_that_answers_after_the_whisper(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = (f'<Response><Dial action="/dial-done" timeout="20">'
                            f'<Number url="/whisper">{MOBILE}</Number></Dial></Response>')
    app.routes["/whisper"] = ('<Response><Gather numDigits="1" action="/accepted">'
                              '<Say>Call from the hotline. Press 1 to accept.</Say></Gather>'
                              '<Hangup/></Response>')
    app.routes["/accepted"] = "<Response><Say>Connecting.</Say></Response>"
    caller = phone.call(CALLER, number)

    mobile = phone.wait_for_leg(to=MOBILE, status="ringing")
    assert mobile["direction"] == "outbound-dial"
    assert mobile["parent_call_sid"] == caller
    assert mobile["from"] == CALLER
    phone.answer(mobile["call_sid"])
    phone.press(mobile["call_sid"], "1")
    phone.wait_for_call(caller, lambda c: mobile["call_sid"] in c["bridged_with"])

    [whisper] = app.requests_to("/whisper")
    assert whisper.params["CallSid"] == mobile["call_sid"]
    assert whisper.params["ParentCallSid"] == caller
    assert whisper.params["Direction"] == "outbound-dial"
    assert whisper.signature_valid
    assert "Press 1 to accept." in phone.text(mobile["call_sid"])
    assert "Press 1" not in phone.text(caller)

    phone.hangup(mobile["call_sid"])
    [done] = app.wait_for("/dial-done")
    assert done.params["DialCallStatus"] == "completed"
    assert done.params["DialCallSid"] == mobile["call_sid"]
    assert int(done.params["DialCallDuration"]) >= 0
    assert done.params["DialBridged"] == "true"


def test_an_outside_phone_that_never_answers_gives_no_answer(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = (f'<Response><Dial timeout="5">{MOBILE}</Dial>'
                            '<Say>Nobody answered.</Say></Response>')

    caller = phone.call(CALLER, number)
    phone.wait_ended(caller)

    [mobile] = phone.calls(to=MOBILE)
    assert mobile["status"] == "no-answer"
    assert phone.text(caller) == "Nobody answered."


def test_an_outside_phone_that_rejects_gives_busy(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = f'<Response><Dial action="/dial-done">{MOBILE}</Dial></Response>'

    caller = phone.call(CALLER, number)
    mobile = phone.wait_for_leg(to=MOBILE, status="ringing")
    phone.reject(mobile["call_sid"])
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "busy"
    assert done.params["DialBridged"] == "false"
    phone.wait_ended(caller)


def test_a_client_leg_rings_the_registered_device_which_accepts_it(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial action="/dial-done" timeout="600">'
                            '<Client>alice</Client></Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")

    caller = phone.call(CALLER, number)
    ringing = phone.wait_ringing(desk)
    agent = phone.accept(desk, ringing["call_sid"])
    phone.wait_for_call(caller, lambda c: agent in c["bridged_with"])

    assert ringing["from"] == CALLER and ringing["to"] == "client:alice"
    assert ringing["parameters"]["CallSid"] == agent
    assert phone.get(agent)["status"] == "in-progress"
    assert phone.device(desk)["active"]["call_sid"] == agent
    phone.hangup(caller)
    [done] = app.wait_for("/dial-done")
    assert done.params["CallStatus"] == "completed"
    assert phone.wait_ended(agent)["status"] == "completed"


def test_a_client_leg_with_no_registered_device_rings_out_as_no_answer(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial timeout="3" action="/dial-done">'
                            '<Client statusCallback="/client-status" '
                            'statusCallbackEvent="ringing completed">nobody</Client>'
                            '</Dial></Response>')

    caller = phone.call(CALLER, number)
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "no-answer"
    statuses = [h.params["CallStatus"] for h in app.wait_for("/client-status", count=2)]
    assert statuses == ["ringing", "no-answer"]
    [leg] = phone.calls(to="client:nobody")
    assert leg["answered"] is False and leg["status"] == "no-answer"
    phone.wait_ended(caller)


def test_a_device_of_another_identity_or_account_is_not_rung(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    sub = rest(simulator, "POST", "/Accounts.json", {"FriendlyName": "other"}).json()["sid"]
    app.routes["/voice"] = ('<Response><Dial timeout="2" action="/dial-done">'
                            '<Client>alice</Client></Dial></Response>')
    bob = phone.register(MASTER_SID, "bob")
    alice_elsewhere = phone.register(sub, "alice")

    phone.call(CALLER, number)
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "no-answer"
    assert phone.device(bob)["ringing"] == [] and phone.device(alice_elsewhere)["ringing"] == []


def test_a_device_that_rejects_gives_busy_and_the_answer_api_needs_a_device(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial timeout="600" action="/dial-done">'
                            '<Client>bob</Client></Dial></Response>')

    phone.call(CALLER, number)
    leg = phone.wait_for_leg(to="client:bob", status="ringing")
    with pytest.raises(RuntimeError, match="409"):
        phone.answer(leg["call_sid"])
    desk = phone.register(MASTER_SID, "bob")
    phone.decline(desk, leg["call_sid"])
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "busy"
    assert phone.device(desk)["ringing"] == [] and phone.device(desk)["active"] is None


def test_two_devices_of_one_identity_both_ring_and_the_first_to_accept_wins(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Dial timeout="600"><Client>alice</Client></Dial></Response>'
    laptop, tablet = phone.register(MASTER_SID, "alice"), phone.register(MASTER_SID, "alice")

    caller = phone.call(CALLER, number)
    sid = phone.wait_ringing(laptop)["call_sid"]
    assert phone.wait_ringing(tablet)["call_sid"] == sid
    phone.accept(tablet, sid)

    phone.wait_for_call(caller, lambda c: sid in c["bridged_with"])
    assert phone.device(laptop)["ringing"] == []
    with pytest.raises(RuntimeError, match="409"):
        phone.accept(laptop, sid)


def test_an_unregistered_device_stops_ringing(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial timeout="2" action="/dial-done">'
                            '<Client>alice</Client></Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")
    phone.unregister(desk)

    phone.call(CALLER, number)
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "no-answer"
    with pytest.raises(RuntimeError, match="404"):
        phone.device(desk)


def test_conference_participants_join_talk_and_are_held_over_rest(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial><Conference endConferenceOnExit="true" '
                            'statusCallback="/conf-events" '
                            'statusCallbackEvent="start join leave end">'
                            'room-7</Conference></Dial></Response>')
    caller = phone.call(CALLER, number)
    phone.wait_for_call(caller, lambda c: (c["conference"] or {}).get("name") == "room-7")
    desk = phone.register(MASTER_SID, "alice")

    added = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Conferences/room-7/"
                 "Participants.json", {"From": number, "To": "client:alice",
                                       "EarlyMedia": "true", "Beep": "false",
                                       "Timeout": "600"})
    assert added.status_code == 201, added.text
    agent = phone.accept(desk, added.json()["call_sid"])
    conference_sid = added.json()["conference_sid"]
    phone.wait_for_call(agent, lambda c: (c["conference"] or {}).get("name") == "room-7")
    phone.say(agent, "How can I help?", wait=False)
    phone.wait_for_event(caller, "heard", speech="How can I help?")

    held = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Conferences/{conference_sid}/"
                f"Participants/{caller}.json", {"Hold": "true"})
    assert held.json()["hold"] is True
    phone.wait_for_event(caller, "hold")
    listed = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Conferences.json",
                  ).json()["conferences"]
    assert [c["status"] for c in listed if c["friendly_name"] == "room-7"] == ["in-progress"]

    phone.hangup(caller)
    phone.wait_ended(agent)
    events = [h.params["StatusCallbackEvent"] for h in app.wait_for("/conf-events", count=6)]
    assert events[:3] == ["conference-start", "participant-join", "participant-join"]
    assert sorted(events[3:]) == ["conference-end", "participant-leave", "participant-leave"]


def test_a_client_leg_dialing_a_number_needs_a_caller_id_of_the_account(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Applications.json",
         {"FriendlyName": "desk", "VoiceUrl": app.url("/client-voice")})
    app.routes["/client-voice"] = lambda hit: (
        f'<Response><Dial timeout="1" callerId="{hit.params["callerId"]}">{MOBILE}</Dial>'
        '</Response>' if hit.params.get("callerId") else
        f'<Response><Dial timeout="1">{MOBILE}</Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")

    without = phone.device_connect(desk, To=MOBILE)
    phone.wait_ended(without)
    with_own = phone.device_connect(desk, To=MOBILE, callerId=number)
    phone.wait_ended(with_own)

    assert [e["code"] for e in phone.transcript(without, "error")] == [13214]
    assert phone.transcript(with_own, "error") == []
