"""Conferences as Twilio documents them: a caller in <Dial><Conference>, an agent added over
REST and answering on a registered device, then hold, mute, coaching, labels, transfers and
the conference's status callbacks."""

from __future__ import annotations

from typing import Any

import requests

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conferencing import ROOM, Room, add, participant, room
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp

__all__ = ["room"]  # the fixture


def test_the_call_view_shows_the_conference_and_every_participants_state(
        phone: SimClient, room: Room) -> None:
    conf = phone.get(room.caller)["conference"]

    assert conf["name"] == ROOM and conf["sid"] == room.conference_sid
    assert conf["status"] == "in-progress"
    by_label = {p["label"]: p for p in conf["participants"]}
    assert by_label["customer"]["call_sid"] == room.caller
    assert by_label["agent"] == {**by_label["agent"], "call_sid": room.agent,
                                 "to": "client:alice", "hold": False, "muted": False,
                                 "coaching": False, "call_sid_to_coach": None}
    assert phone.device(room.desk)["active"]["conference"] == ROOM


def test_a_held_caller_hears_hold_music_and_is_not_heard_until_resumed(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    held = rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"),
                {"Hold": "true"})
    phone.wait_for_event(room.caller, "play")
    assert participant(phone, room.caller, room.agent)["hold"] is True
    assert phone.say(room.caller, "hello? anyone?", wait=False) == "nobody"
    assert phone.device_say(room.desk, "notes for myself") == "nobody"
    rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"), {"Hold": "false"})
    phone.wait_for_event(room.caller, "unhold")
    assert phone.device_say(room.desk, "Thanks for holding") == "bridge"

    assert held.json()["hold"] is True
    kinds = [e["kind"] for e in phone.transcript(room.caller)]
    on_hold = kinds[kinds.index("hold"):kinds.index("unhold")]
    assert "play" in on_hold
    heard = [e["speech"] for e in phone.transcript(room.caller, "heard")]
    assert heard == ["Thanks for holding"]


def test_hold_url_twiml_is_requested_with_get_by_default(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    app.routes["/hold-music"] = '<Response><Say>Please stay on the line.</Say></Response>'

    rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"),
         {"Hold": "true", "HoldUrl": app.url("/hold-music")})
    phone.wait_for_text(room.caller, "Please stay on the line.")

    [hit, *_] = app.wait_for("/hold-music")
    assert hit.method == "GET" and hit.signature_valid
    assert phone.wait_for_event(room.caller, "hold")["url"] == app.url("/hold-music")


def test_a_participant_is_updated_by_its_label(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    muted = rest(simulator, "POST", room.path("/Participants/agent.json"), {"Muted": "true"})

    assert muted.status_code == 200 and muted.json()["call_sid"] == room.agent
    assert participant(phone, room.agent, room.caller)["muted"] is True
    assert phone.device_say(room.desk, "can you hear me") == "nobody"


def test_a_coach_is_heard_only_by_the_agent_and_hears_everyone(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    sup = phone.register(MASTER_SID, "sup")
    added = add(simulator, room.conference_sid, {
        "From": room.number, "To": "client:sup", "Coaching": "true",
        "CallSidToCoach": room.agent, "Beep": "false", "Label": "supervisor"})
    coach = phone.accept(sup, added["call_sid"])
    phone.wait_for_call(coach, lambda c: c["conference"])

    assert phone.device_say(sup, "offer the discount") == "bridge"
    phone.say(room.caller, "I want to cancel", wait=False)
    phone.wait_for(lambda: "I want to cancel" in phone.heard(sup))

    assert "offer the discount" in phone.heard(room.desk)
    assert "offer the discount" not in [e.get("speech") for e in
                                        phone.transcript(room.caller, "heard")]
    state = participant(phone, coach, room.caller)
    assert state["coaching"] is True and state["call_sid_to_coach"] == room.agent


def test_a_listener_is_muted_and_a_barge_is_heard_by_all(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    sup = phone.register(MASTER_SID, "sup")
    added = add(simulator, ROOM, {"From": room.number, "To": "client:sup", "Muted": "true",
                                  "Beep": "false"})
    listener = phone.accept(sup, added["call_sid"])
    phone.wait_for_call(listener, lambda c: c["conference"])
    assert phone.device_say(sup, "just listening") == "nobody"

    rest(simulator, "POST", room.path(f"/Participants/{listener}.json"), {"Muted": "false"})
    phone.device_say(sup, "this is the supervisor")

    phone.wait_for_event(room.caller, "heard", speech="this is the supervisor")
    assert "this is the supervisor" in phone.heard(room.desk)


def test_coaching_without_a_call_to_coach_is_refused(
        simulator: SimulatorHandle, room: Room) -> None:
    refused = rest(simulator, "POST", room.path("/Participants.json"), {
        "From": room.number, "To": "client:sup", "Coaching": "true"})
    stranger = rest(simulator, "POST", room.path("/Participants.json"), {
        "From": room.number, "To": "client:sup", "Coaching": "true",
        "CallSidToCoach": "CA" + "9" * 32})

    assert refused.status_code == 400 and "CallSidToCoach" in refused.json()["message"]
    assert stranger.status_code == 400


def test_a_participant_from_a_number_the_account_does_not_own_is_refused_with_21210(
        simulator: SimulatorHandle, room: Room) -> None:
    refused = rest(simulator, "POST", room.path("/Participants.json"), {
        "From": "+15005550000", "To": "+14155550123"})

    assert refused.status_code == 400 and refused.json()["code"] == 21210


def test_status_callbacks_report_hold_mute_and_the_end_when_the_moderator_leaves(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    for change in ({"Hold": "true"}, {"Hold": "false"}):
        rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"), change)
    rest(simulator, "POST", room.path(f"/Participants/{room.agent}.json"), {"Muted": "true"})

    phone.hangup(room.caller)
    phone.wait_ended(room.agent)
    hits = app.wait_for("/conf-events", count=8)

    events = [h.params["StatusCallbackEvent"] for h in hits]
    assert events[:3] == ["conference-start", "participant-join", "participant-join"]
    assert events[3:6] == ["participant-hold", "participant-unhold", "participant-mute"]
    assert sorted(events[6:]) == ["conference-end", "participant-leave", "participant-leave"][
        :len(events[6:])]
    end = app.wait_for("/conf-events",
                       where=lambda h: h.params["StatusCallbackEvent"] == "conference-end")[0]
    assert end.params["ReasonConferenceEnded"] == \
        "participant-with-end-conference-on-exit-left"
    assert end.params["CallSidEndingConference"] == room.caller
    assert all(h.signature_valid for h in hits)


def test_the_conference_ends_when_its_last_participant_leaves(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = f"<Response><Dial><Conference>{ROOM}</Conference></Dial></Response>"
    first = phone.call(CALLER, number)
    phone.wait_for_call(first, lambda c: c["conference"])
    second = phone.call("+15557650000", number)
    phone.wait_for_call(second, lambda c: c["conference"])

    phone.hangup(first)
    live = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Conferences.json?Status=in-progress")
    assert [c["friendly_name"] for c in live.json()["conferences"]] == [ROOM]
    phone.hangup(second)

    def ended() -> Any:
        found = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Conferences.json?"
                     f"FriendlyName={ROOM}").json()["conferences"]
        return found[0]["status"] == "completed" and found[0]

    conf = phone.wait_for(ended)
    assert conf["reason_conference_ended"] == "last-participant-left"


def test_a_kicked_agent_leaves_and_the_caller_stays(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    kicked = rest(simulator, "DELETE", room.path(f"/Participants/{room.agent}.json"))

    assert kicked.status_code == 204
    phone.wait_ended(room.agent)
    listed = rest(simulator, "GET", room.path("/Participants.json")).json()["participants"]
    assert [p["call_sid"] for p in listed] == [room.caller]


def test_completing_the_conference_sends_the_caller_to_its_dial_action(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    app.routes["/dial-done"] = "<Response><Say>The call has ended.</Say></Response>"
    done = rest(simulator, "POST", room.path(".json"), {"Status": "completed"})

    assert done.json()["status"] == "completed"
    phone.wait_for_text(room.caller, "The call has ended.")
    phone.wait_ended(room.agent)
    [action] = app.wait_for("/dial-done")
    assert action.params["DialCallStatus"] == "answered"


def test_the_real_twilio_client_drives_participants(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    from tests.sim.test_rest_api import twilio_client

    client = twilio_client(simulator)
    conference = client.conferences.list(friendly_name=ROOM, status="in-progress")[0]
    client.conferences(conference.sid).participants(room.caller).update(
        hold=True, hold_url="http://127.0.0.1:9/none", hold_method="POST")
    labelled = client.conferences(conference.sid).participants("agent").fetch()
    listed = client.conferences(conference.sid).participants.list()

    held = client.conferences(conference.sid).participants.list(hold=True)

    assert labelled.call_sid == room.agent
    assert {p.call_sid for p in listed} == {room.caller, room.agent}
    assert [p.call_sid for p in held] == [room.caller]
    assert client.conferences(conference.sid).participants(room.caller).fetch().hold is True
    requests.post(f"{simulator.url}/sim/calls/{room.caller}/hangup", json={}, timeout=5)


def test_twiml_coach_and_label_make_a_whispering_participant(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    sup = phone.register(MASTER_SID, "sup")
    twiml = (f'<Response><Dial><Conference coach="{room.agent}" participantLabel="coach" '
             f'beep="false">{ROOM}</Conference></Dial></Response>')
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json",
                   {"From": room.number, "To": "client:sup", "Twiml": twiml})
    coach = phone.accept(sup, created.json()["sid"])
    phone.wait_for_call(coach, lambda c: c["conference"])

    phone.device_say(sup, "ask for the order number")
    phone.wait_for(lambda: "ask for the order number" in phone.heard(room.desk))

    state = participant(phone, coach, room.agent)
    assert state["label"] == "coach" and state["coaching"] is True
    assert state["call_sid_to_coach"] == room.agent
    assert "ask for the order number" not in [e.get("speech") for e in
                                              phone.transcript(room.caller, "heard")]


def test_a_device_muting_itself_in_a_conference_is_not_heard(
        phone: SimClient, room: Room) -> None:
    phone.device_mute(room.desk, True)

    assert phone.device_say(room.desk, "sigh") == "nobody"
    assert phone.device(room.desk)["active"]["muted"] is True
    assert participant(phone, room.agent, room.caller)["muted"] is False  # a local mute


def test_a_warm_transfer_holds_the_caller_while_two_agents_talk_then_hands_over(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"),
         {"Hold": "true", "EndConferenceOnExit": "false"})
    rest(simulator, "POST", room.path(f"/Participants/{room.agent}.json"),
         {"EndConferenceOnExit": "false"})
    sam = phone.register(MASTER_SID, "sam")
    second = phone.accept(sam, add(simulator, ROOM, {"From": room.number, "To": "client:sam",
                                                     "Beep": "false"})["call_sid"])
    phone.wait_for_call(second, lambda c: c["conference"])
    phone.device_say(room.desk, "I have a customer about billing")
    phone.wait_for(lambda: "I have a customer about billing" in phone.heard(sam))

    rest(simulator, "DELETE", room.path(f"/Participants/{room.agent}.json"))
    rest(simulator, "POST", room.path(f"/Participants/{room.caller}.json"), {"Hold": "false"})
    phone.wait_ended(room.agent)
    phone.device_say(sam, "Hi, Sam from billing")

    phone.wait_for_event(room.caller, "heard", speech="Hi, Sam from billing")
    said_while_held = [e.get("speech") for e in phone.transcript(room.caller, "heard")]
    assert "I have a customer about billing" not in said_while_held
    assert [p["call_sid"] for p in phone.get(room.caller)["conference"]["participants"]] == [
        room.caller, second]


def test_a_cold_transfer_redirects_the_caller_out_of_the_conference(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    app.routes["/requeue"] = "<Response><Say>Transferring you to sales.</Say></Response>"

    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{room.caller}.json",
         {"Url": app.url("/requeue")})

    phone.wait_for_text(room.caller, "Transferring you to sales.")
    phone.wait_ended(room.agent)  # endConferenceOnExit: the caller's leaving ended it
    leave = phone.wait_for_event(room.caller, "conference", event="leave")
    assert leave["reason"] == "redirected"
