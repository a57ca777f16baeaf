"""What reaches the far side of a conference and what it says back: keys into an IVR dialed
into the conference, announcements, SendDigits, and remote parties that answer by themselves."""

from __future__ import annotations

import requests

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conferencing import IVR, ROOM, Room, add, participant, room
from tests.sim.conftest import MASTER_SID, buy_number, rest
from tests.sim.fake_app import FakeApp

__all__ = ["room"]  # the fixture


def test_keys_from_the_agents_device_reach_an_ivr_dialed_into_the_conference(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    ivr_number = buy_number(simulator, app, voice="/ivr")
    app.routes["/ivr"] = IVR
    app.routes["/ivr-choice"] = "<Response><Say>Billing, one moment.</Say></Response>"
    ivr_leg = add(simulator, ROOM, {"From": room.number, "To": ivr_number,
                                    "Beep": "false"})["call_sid"]
    phone.wait_for(lambda: "Press 2 for billing." in phone.heard(room.desk))
    assert participant(phone, ivr_leg, room.caller)["to"] == ivr_number

    phone.device_press(room.desk, "2")
    [choice] = app.wait_for("/ivr-choice")

    assert choice.params["Digits"] == "2" and choice.params["To"] == ivr_number
    phone.wait_for(lambda: "Billing, one moment." in phone.heard(room.desk))


def test_a_conference_announcement_is_heard_by_all_and_its_tones_reach_an_ivr(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    ivr_number = buy_number(simulator, app, voice="/ivr")
    app.routes["/ivr"] = IVR
    app.routes["/announce"] = ('<Response><Say>This call may be recorded.</Say>'
                               '<Play digits="2"/></Response>')
    add(simulator, ROOM, {"From": room.number, "To": ivr_number, "Beep": "false"})
    phone.wait_for(lambda: "Press 2 for billing." in phone.heard(room.desk))

    updated = rest(simulator, "POST", room.path(".json"), {"AnnounceUrl": app.url("/announce")})
    [choice] = app.wait_for("/ivr-choice")

    assert updated.status_code == 200
    assert choice.params["Digits"] == "2"
    phone.wait_for_text(room.caller, "This call may be recorded.")
    assert "This call may be recorded." in phone.heard(room.desk)
    events = [h.params["StatusCallbackEvent"] for h in app.wait_for(
        "/conf-events", where=lambda h: h.params["StatusCallbackEvent"] == "announcement-end")]
    assert events == ["announcement-end"]


def test_a_participant_announcement_is_heard_by_that_participant_only(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, room: Room) -> None:
    app.routes["/whisper"] = "<Response><Say>Customer is a VIP.</Say></Response>"

    rest(simulator, "POST", room.path(f"/Participants/{room.agent}.json"),
         {"AnnounceUrl": app.url("/whisper")})
    phone.wait_for(lambda: "Customer is a VIP." in phone.heard(room.desk))

    assert "Customer is a VIP." not in phone.text(room.caller)


def test_a_rest_call_with_send_digits_plays_them_to_the_ivr_it_calls(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    ivr_number = buy_number(simulator, app, voice="/ivr")
    app.routes["/ivr"] = IVR
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "From": number, "To": ivr_number, "SendDigits": "ww2",
        "Twiml": "<Response><Pause length='30'/></Response>"})

    [choice] = app.wait_for("/ivr-choice")

    assert created.status_code == 201, created.text
    assert choice.params["Digits"] == "2"
    bad = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "From": number, "To": ivr_number, "SendDigits": "12x", "Twiml": "<Response/>"})
    assert bad.status_code == 400 and "SendDigits" in bad.json()["message"]
    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{created.json()['sid']}.json",
         {"Status": "completed"})


def test_a_remote_ivr_answers_by_itself_and_hears_the_agents_keys(
        simulator: SimulatorHandle, phone: SimClient, room: Room) -> None:
    supplier = "+14155550177"
    phone.remote_party(supplier, IVR.replace(' action="/ivr-choice"', ""),
                       {"2": "<Response><Say>Billing here.</Say>"
                             "<Pause length='60'/></Response>"})
    add(simulator, ROOM, {"From": room.number, "To": supplier, "Beep": "false"})
    phone.wait_for(lambda: "Press 2 for billing." in phone.heard(room.desk))

    assert phone.device_press(room.desk, "2") == "bridge"

    phone.wait_for(lambda: "Billing here." in phone.heard(room.desk))
    far = phone.calls(to=supplier, direction="inbound")[0]
    assert far["answered"] is True
    assert [e.get("digits") for e in phone.transcript(far["call_sid"], "gather-end")] == ["2"]


def test_a_remote_party_needs_an_e164_number_and_twiml(simulator: SimulatorHandle) -> None:
    bad_number = requests.post(f"{simulator.url}/sim/remote-parties", timeout=5,
                               json={"phone_number": "12", "twiml": "<Response/>"})
    bad_twiml = requests.post(f"{simulator.url}/sim/remote-parties", timeout=5,
                              json={"phone_number": "+14155550177", "twiml": "<Response"})

    assert bad_number.status_code == 400 and "phone_number" in bad_number.json()["error"]
    assert bad_twiml.status_code == 400 and "twiml" in bad_twiml.json()["error"]
