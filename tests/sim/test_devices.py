"""Registered Voice SDK devices: the control API a test or the desktop's local adapter uses
to take, talk on and end calls to `client:` identities."""

from __future__ import annotations

import pytest
import requests

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID
from tests.sim.fake_app import FakeApp

DIAL_ALICE = ('<Response><Dial timeout="600"><Client>'
              "alice</Client></Dial>"
              '<Say>The agent left.</Say></Response>')


def test_the_device_view_lists_what_rings_what_it_holds_and_what_it_heard(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = DIAL_ALICE
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)

    agent = phone.accept(desk)
    phone.wait_for_call(caller, lambda c: agent in c["bridged_with"])
    phone.say(caller, "My router is broken", wait=False)
    view = phone.wait_for(lambda: (v := phone.device(desk))["heard"] and v)

    assert view["identity"] == "alice" and view["account_sid"] == MASTER_SID
    assert view["ringing"] == []
    assert view["active"] == {"call_sid": agent, "from": CALLER, "to": "client:alice",
                              "status": "in-progress", "muted": False, "conference": None}
    assert view["heard"][-1] == "My router is broken"


def test_the_device_talks_presses_keys_and_hangs_up_its_call(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = DIAL_ALICE
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)
    agent = phone.accept(desk)
    phone.wait_for_call(caller, lambda c: agent in c["bridged_with"])

    assert phone.device_say(desk, "Thanks for calling") == "bridge"
    assert phone.device_press(desk, "5") == "bridge"
    phone.device_hangup(desk)

    phone.wait_for_text(caller, "The agent left.")
    assert phone.wait_for_event(caller, "heard", speech="Thanks for calling")["from"] == agent
    assert phone.wait_for_event(caller, "heard", digits="5")["from"] == agent
    assert phone.get(agent)["ended_by"] == "device"
    assert phone.device(desk)["active"] is None


def test_a_muted_device_is_not_heard_until_it_unmutes(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = DIAL_ALICE
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)
    agent = phone.accept(desk)
    phone.wait_for_call(caller, lambda c: agent in c["bridged_with"])

    phone.device_mute(desk, True)
    assert phone.device_say(desk, "this is private") == "nobody"
    assert phone.device_press(desk, "7") == "bridge"  # keys still go (SDK sendDigits)
    assert phone.device(desk)["active"]["muted"] is True
    phone.device_mute(desk, False)
    assert phone.device_say(desk, "back with you") == "bridge"

    heard = [e.get("speech") or e.get("digits") for e in phone.transcript(caller, "heard")]
    assert heard == ["7", "back with you"]


def test_a_device_without_a_call_gets_409_and_an_unknown_device_404(
        simulator: SimulatorHandle, phone: SimClient) -> None:
    desk = phone.register(MASTER_SID, "alice")

    hangup = requests.post(f"{simulator.url}/sim/devices/{desk}/hangup", json={}, timeout=5)
    accept = requests.post(f"{simulator.url}/sim/devices/{desk}/accept",
                           json={"call_sid": "CA" + "0" * 32}, timeout=5)
    unknown = requests.get(f"{simulator.url}/sim/devices/DVnope", timeout=5)
    missing = requests.post(f"{simulator.url}/sim/devices", json={"identity": "x"}, timeout=5)

    assert hangup.status_code == 409 and accept.status_code == 409
    assert "not ringing" in accept.json()["error"]
    assert unknown.status_code == 404
    assert missing.status_code == 400 and "account_sid" in missing.json()["error"]


@pytest.mark.parametrize("path", ["/sim/devices", "/sim/calls", "/sim/devices/DV1/accept"])
def test_the_control_api_answers_a_browsers_cors_preflight(
        simulator: SimulatorHandle, path: str) -> None:
    preflight = requests.options(simulator.url + path, headers={
        "Origin": "http://127.0.0.1:9999", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=5)
    registered = requests.post(simulator.url + "/sim/devices", timeout=5,
                               json={"account_sid": MASTER_SID, "identity": "alice"})

    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    assert registered.headers["Access-Control-Allow-Origin"] == "*"


def test_the_rest_api_sends_no_cors_headers(simulator: SimulatorHandle) -> None:
    answer = requests.get(f"{simulator.url}/2010-04-01/Accounts/{MASTER_SID}/Calls.json",
                          timeout=5)

    assert "Access-Control-Allow-Origin" not in answer.headers


def test_client_parameters_of_the_dial_show_on_the_ringing_call(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial timeout="600"><Client><Identity>alice</Identity>'
                            '<Parameter name="task" value="T42"/></Client></Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")

    caller = phone.call(CALLER, number)
    ringing = phone.wait_ringing(desk)

    assert ringing["parameters"]["task"] == "T42"
    assert ringing["parameters"]["From"] == CALLER
    phone.hangup(caller)
