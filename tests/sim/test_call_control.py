"""Calls moved or ended from outside (REST, keys, limits), fallbacks, and calls between
numbers of the sim."""

from __future__ import annotations

from pathlib import Path

from sim.client import SimClient
from sim.server import SimulatorHandle, start_simulator
from sim.twiml import APP_ERROR_TEXT
from tests.sim.conftest import CALLER, MASTER_SID, MASTER_TOKEN, TIME_SCALE, buy_number, rest
from tests.sim.fake_app import FakeApp

MOBILE = "+14155550177"


def test_a_webhook_slower_than_the_timeout_is_an_application_error(
        tmp_path: Path, app: FakeApp) -> None:
    simulator = start_simulator(0, tmp_path, account_sid=MASTER_SID, auth_token=MASTER_TOKEN,
                                time_scale=TIME_SCALE, webhook_timeout=0.2)
    try:
        number = buy_number(simulator, app)
        app.routes["/voice"] = "<Response><Say>too late</Say></Response>"
        app.delay["/voice"] = 0.6
        phone = SimClient(simulator.url)
        sid = phone.call(CALLER, number)
        phone.wait_ended(sid)
        assert phone.text(sid) == APP_ERROR_TEXT
        assert phone.transcript(sid, "error")[0]["code"] == 11205
    finally:
        simulator.stop()


def test_the_voice_fallback_url_gets_the_error_when_the_voice_url_fails(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    [pn] = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/IncomingPhoneNumbers.json"
                ).json()["incoming_phone_numbers"]
    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/IncomingPhoneNumbers/{pn['sid']}.json",
         {"VoiceFallbackUrl": app.url("/fallback")})
    app.routes["/voice"] = (503, "down")
    app.routes["/fallback"] = "<Response><Say>Sorry, we are having trouble.</Say></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    [fallback] = app.requests_to("/fallback")
    assert fallback.params["ErrorCode"] == "11200"
    assert fallback.params["ErrorUrl"] == app.url("/voice")
    assert phone.text(sid) == "Sorry, we are having trouble."


def test_rest_twiml_redirect_takes_a_caller_out_of_its_bridge_and_drops_the_dialed_leg(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial action="/dial-done" timeout="600">'
                            '<Client>alice</Client></Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)
    phone.accept(desk)
    call = phone.wait_for_call(caller, lambda c: c["bridged_now"])

    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{caller}.json",
         {"Twiml": "<Response><Say>Transferring you.</Say></Response>"})
    phone.wait_ended(caller)

    assert phone.wait_ended(call["bridged_now"])["status"] == "completed"
    assert phone.text(caller) == "Transferring you."
    assert app.requests_to("/dial-done") == []


def test_rest_status_completed_hangs_up_a_live_call(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Pause length="600"/></Response>'
    sid = phone.call(CALLER, number)
    phone.wait_for_event(sid, "pause")

    ended = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{sid}.json",
                 {"Status": "completed"})

    assert ended.json()["status"] == "completed"
    assert phone.get(sid)["ended_by"] == "api"


def test_rest_status_canceled_stops_a_ringing_outbound_call(
        simulator: SimulatorHandle, phone: SimClient, number: str) -> None:
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "To": MOBILE, "From": number, "Twiml": "<Response><Say>hi</Say></Response>"}).json()
    phone.wait_status(created["sid"], "ringing")

    rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls/{created['sid']}.json",
         {"Status": "canceled"})

    assert phone.wait_ended(created["sid"])["status"] == "canceled"


def test_hangup_on_star_ends_the_bridge_and_the_caller_goes_on(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial hangupOnStar="true" timeout="600">'
                            '<Client>alice</Client></Dial><Say>Back with the menu.</Say>'
                            '</Response>')
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)
    phone.accept(desk)
    agent = phone.wait_for_call(caller, lambda c: c["bridged_now"])["bridged_now"]

    assert phone.press(caller, "*", wait=False) == "bridge"
    phone.wait_for_text(caller, "Back with the menu.")

    assert phone.wait_ended(agent)["status"] == "completed"


def test_dial_time_limit_ends_the_bridge(phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial timeLimit="5" timeout="600" action="/dial-done">'
                            '<Client>alice</Client></Dial></Response>')
    desk = phone.register(MASTER_SID, "alice")

    phone.call(CALLER, number)
    phone.accept(desk)
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "completed"
    assert int(done.params["DialCallDuration"]) >= 5


def test_hanging_up_in_the_whisper_is_no_answer_for_the_caller(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = (f'<Response><Dial action="/dial-done"><Number url="/screen">'
                            f'{MOBILE}</Number></Dial></Response>')
    app.routes["/screen"] = ('<Response><Gather numDigits="1" action="/accept" timeout="3">'
                             '<Say>Press 1 to take the call.</Say></Gather><Hangup/></Response>')
    phone.call(CALLER, number)
    mobile = phone.wait_for_leg(to=MOBILE, status="ringing")["call_sid"]

    phone.answer(mobile)
    [done] = app.wait_for("/dial-done")

    assert done.params["DialCallStatus"] == "no-answer"
    assert done.params["DialBridged"] == "false"


def test_calling_another_number_in_the_sim_reaches_its_account(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    other = buy_number(simulator, app, voice="/other-voice")
    app.routes["/voice"] = f'<Response><Dial action="/dial-done">{other}</Dial></Response>'
    app.routes["/other-voice"] = '<Response><Say>Other shop speaking.</Say></Response>'

    caller = phone.call(CALLER, number)
    [done] = app.wait_for("/dial-done")

    [inbound] = app.requests_to("/other-voice")
    assert inbound.params["To"] == other and inbound.params["From"] == CALLER
    assert inbound.params["Direction"] == "inbound"
    assert done.params["DialCallStatus"] == "completed"
    phone.wait_ended(caller)


def test_a_participant_waits_with_the_wait_url_until_the_moderator_starts_the_conference(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Dial><Conference startConferenceOnEnter="false" '
                            'waitUrl="/conf-wait">huddle</Conference></Dial>'
                            '<Say>You left the huddle.</Say></Response>')
    app.routes["/conf-wait"] = '<Response><Say>Waiting for the host.</Say></Response>'
    caller = phone.call(CALLER, number)
    app.wait_for("/conf-wait", count=2)
    [conf] = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Conferences.json?"
                  "FriendlyName=huddle").json()["conferences"]
    assert conf["status"] == "init"

    host = phone.register(MASTER_SID, "host")
    added = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Conferences/{conf['sid']}/"
                 "Participants.json", {"From": number, "To": "client:host",
                                       "Timeout": "600"}).json()
    phone.accept(host, added["call_sid"])
    phone.wait_for_call(added["call_sid"],
                        lambda c: (c["conference"] or {}).get("name") == "huddle")
    started = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Conferences/{conf['sid']}.json")
    assert started.json()["status"] == "in-progress"

    removed = rest(simulator, "DELETE", f"/Accounts/{MASTER_SID}/Conferences/{conf['sid']}/"
                   f"Participants/{caller}.json")
    assert removed.status_code == 204
    phone.wait_for_text(caller, "You left the huddle.")
