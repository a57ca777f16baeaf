"""<Dial> to phones outside the sim, to browser clients, and into conferences."""

from __future__ import annotations

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


def test_a_browser_client_answers_by_itself(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial action="/dial-done"><Client>alice</Client>'
                            '</Dial></Response>')

    caller = phone.call(CALLER, number)
    call = phone.wait_for_call(caller, lambda c: c["bridged_with"])
    agent = phone.get(call["bridged_with"][0])

    assert agent["to"] == "client:alice"
    assert agent["status"] == "in-progress"
    phone.hangup(caller)
    [done] = app.wait_for("/dial-done")
    assert done.params["CallStatus"] == "completed"
    assert phone.wait_ended(agent["call_sid"])["status"] == "completed"


def test_a_client_set_not_to_auto_answer_rings_until_answered(
        phone: SimClient, app: FakeApp, number: str) -> None:
    phone.set_auto_answer("bob", False)
    app.routes["/voice"] = '<Response><Dial timeout="30"><Client>bob</Client></Dial></Response>'

    caller = phone.call(CALLER, number)
    bob = phone.wait_for_leg(to="client:bob", status="ringing")
    phone.answer(bob["call_sid"])

    phone.wait_for_call(caller, lambda c: bob["call_sid"] in c["bridged_with"])


def test_conference_participants_join_talk_and_are_held_over_rest(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial><Conference endConferenceOnExit="true" '
                            'statusCallback="/conf-events" '
                            'statusCallbackEvent="start join leave end">'
                            'room-7</Conference></Dial></Response>')
    caller = phone.call(CALLER, number)
    phone.wait_for_call(caller, lambda c: c["conference"] == "room-7")

    added = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Conferences/room-7/"
                 "Participants.json", {"From": number, "To": "client:alice",
                                       "EarlyMedia": "true", "Beep": "false"})
    assert added.status_code == 201, added.text
    agent = added.json()["call_sid"]
    conference_sid = added.json()["conference_sid"]
    phone.wait_for_call(agent, lambda c: c["conference"] == "room-7")
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
