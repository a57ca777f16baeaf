"""The REST API as twilio.rest sees it: auth, accounts, numbers, persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from sim.client import SimClient
from sim.server import SimulatorHandle, start_simulator
from tests.sim.conftest import CALLER, MASTER_SID, MASTER_TOKEN, TIME_SCALE, buy_number, rest
from tests.sim.fake_app import FakeApp


class SimHttpClient(TwilioHttpClient):
    """Sends twilio.rest's requests to the simulator instead of api.twilio.com."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        url = url.replace("https://api.twilio.com", self.base_url, 1)
        return super().request(method, url, *args, **kwargs)


def twilio_client(simulator: SimulatorHandle, sid: str = MASTER_SID,
                  token: str = MASTER_TOKEN) -> Client:
    return Client(sid, token, http_client=SimHttpClient(simulator.url))


def test_wrong_credentials_get_401_with_twilios_error_shape(simulator: SimulatorHandle) -> None:
    denied = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Calls.json",
                  auth=(MASTER_SID, "wrong"))
    missing = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Calls.json", auth=("", ""))

    assert denied.status_code == 401 and missing.status_code == 401
    assert denied.json() == {"code": 20003, "message": "Authenticate", "status": 401,
                             "more_info": "https://www.twilio.com/docs/errors/20003"}


def test_the_real_twilio_client_creates_a_call_and_sends_a_message(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/outbound"] = "<Response><Say>Your table is ready.</Say></Response>"
    client = twilio_client(simulator)
    host = phone.register(MASTER_SID, "host")

    call = client.calls.create(to="client:host", from_=number, url=app.url("/outbound"),
                               status_callback=app.url("/progress"),
                               status_callback_event=["answered", "completed"], timeout=600)
    phone.accept(host, call.sid)
    message = client.messages.create(to=CALLER, from_=number, body="Table ready")

    assert call.sid.startswith("CA") and call.direction == "outbound-api"
    assert message.sid.startswith("SM") and message.body == "Table ready"
    assert [h.params["CallStatus"] for h in app.wait_for("/progress", count=2)] == [
        "in-progress", "completed"]
    assert client.calls(call.sid).fetch().status == "completed"
    assert phone.text(call.sid) == "Your table is ready."
    assert [m.sid for m in client.messages.list(to=CALLER)] == [message.sid]


def test_the_real_twilio_client_buys_a_number_and_updates_its_urls(
        simulator: SimulatorHandle) -> None:
    client = twilio_client(simulator)

    offered = client.available_phone_numbers("US").local.list(area_code="415", limit=5)
    bought = client.incoming_phone_numbers.create(phone_number=offered[0].phone_number,
                                                  voice_url="https://app.example/voice")
    client.incoming_phone_numbers(bought.sid).update(sms_url="https://app.example/sms")
    [listed] = client.incoming_phone_numbers.list(phone_number=bought.phone_number)

    assert all(o.phone_number.startswith("+1415") for o in offered)
    assert bought.sid.startswith("PN")
    assert listed.voice_url == "https://app.example/voice"
    assert listed.sms_url == "https://app.example/sms"


def test_available_numbers_honour_contains(simulator: SimulatorHandle) -> None:
    found = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/AvailablePhoneNumbers/US/Local.json"
                 "?Contains=77&PageSize=5").json()["available_phone_numbers"]

    assert found and all("77" in n["phone_number"][1:] for n in found)
    assert found[0]["capabilities"]["voice"] is True


def test_a_number_bought_twice_is_not_available(simulator: SimulatorHandle, app: FakeApp,
                                                number: str) -> None:
    again = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/IncomingPhoneNumbers.json",
                 {"PhoneNumber": number})

    assert again.status_code == 400 and again.json()["code"] == 21422


def test_a_subaccount_signs_its_numbers_webhooks_with_its_own_token(
        simulator: SimulatorHandle, phone: SimClient) -> None:
    created = twilio_client(simulator).api.accounts.create(friendly_name="Tenant A")
    tenant_app = FakeApp(created.auth_token)
    try:
        tenant_app.routes["/voice"] = "<Response><Say>Tenant A</Say></Response>"
        number = buy_number(simulator, tenant_app, account=(created.sid, created.auth_token))
        sid = phone.call(CALLER, number)
        [hit] = tenant_app.wait_for("/voice")
    finally:
        tenant_app.stop()

    assert created.sid.startswith("AC") and created.owner_account_sid == MASTER_SID
    assert hit.params["AccountSid"] == created.sid
    assert hit.signature_valid
    assert phone.get(sid)["account_sid"] == created.sid
    # the parent's credentials work on the subaccount's resources too
    assert rest(simulator, "GET", f"/Accounts/{created.sid}/IncomingPhoneNumbers.json"
                ).status_code == 200


def test_accounts_and_numbers_survive_a_restart_with_the_same_data_dir(
        tmp_path: Path, app: FakeApp) -> None:
    first = start_simulator(0, tmp_path, account_sid=MASTER_SID, auth_token=MASTER_TOKEN,
                            time_scale=TIME_SCALE)
    try:
        number = buy_number(first, app)
        tenant = twilio_client(first).api.accounts.create(friendly_name="Tenant B")
    finally:
        first.stop()
    app.routes["/voice"] = "<Response><Say>Still here after the restart</Say></Response>"

    second = start_simulator(0, tmp_path, account_sid=MASTER_SID, auth_token=MASTER_TOKEN,
                             time_scale=TIME_SCALE)
    try:
        phone = SimClient(second.url)
        sid = phone.call(CALLER, number)
        phone.wait_for_text(sid, "Still here after the restart")
        fetched = twilio_client(second, tenant.sid, tenant.auth_token).api.accounts(
            tenant.sid).fetch()
    finally:
        second.stop()

    assert (tmp_path / "sim-state.json").exists()
    assert fetched.friendly_name == "Tenant B"


def test_rest_call_from_a_number_of_another_account_is_refused(
        simulator: SimulatorHandle) -> None:
    refused = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "To": CALLER, "From": "+14155550100", "Url": "https://app.example/x"})

    assert refused.status_code == 400 and refused.json()["code"] == 21210


def test_the_real_twilio_client_creates_lists_and_deletes_api_keys(
        simulator: SimulatorHandle) -> None:
    client = twilio_client(simulator)

    created = client.new_keys.create(friendly_name="hotline-voice")
    listed = client.keys.list()
    fetched = client.keys(created.sid).fetch()
    via_key = Client(created.sid, created.secret, MASTER_SID,
                     http_client=SimHttpClient(simulator.url)).calls.list()
    client.keys(created.sid).delete()

    assert created.sid.startswith("SK") and len(created.sid) == 34 and created.secret
    assert [k.sid for k in listed] == [created.sid]
    assert fetched.friendly_name == "hotline-voice"
    assert getattr(listed[0], "secret", None) is None
    assert via_key == []
    assert client.keys.list() == []


def test_the_real_twilio_client_creates_and_finds_a_twiml_app(
        simulator: SimulatorHandle) -> None:
    client = twilio_client(simulator)

    app = client.applications.create(friendly_name="Hotline voice",
                                     voice_url="https://hotline.example/twilio/voice/client",
                                     voice_method="POST",
                                     status_callback="https://hotline.example/status")
    found = client.applications.list(friendly_name="Hotline voice")
    client.applications(app.sid).update(voice_url="https://hotline.example/v2")

    assert app.sid.startswith("AP") and app.voice_method == "POST"
    assert [a.sid for a in found] == [app.sid]
    assert client.applications(app.sid).fetch().voice_url == "https://hotline.example/v2"
    assert client.applications.list(friendly_name="other") == []


def test_keys_and_apps_survive_a_restart(tmp_path: Path) -> None:
    first = start_simulator(0, tmp_path, account_sid=MASTER_SID, auth_token=MASTER_TOKEN,
                            time_scale=TIME_SCALE)
    try:
        key = twilio_client(first).new_keys.create()
        app = twilio_client(first).applications.create(friendly_name="a", voice_url="https://x/v")
    finally:
        first.stop()
    second = start_simulator(0, tmp_path, account_sid=MASTER_SID, auth_token=MASTER_TOKEN,
                             time_scale=TIME_SCALE)
    try:
        assert [k.sid for k in twilio_client(second).keys.list()] == [key.sid]
        assert twilio_client(second).applications(app.sid).fetch().voice_url == "https://x/v"
    finally:
        second.stop()


def test_a_device_connect_runs_the_twiml_app_with_the_identity_and_params(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp) -> None:
    app.routes["/client-voice"] = "<Response><Say>Dialing your customer.</Say></Response>"
    twiml_app = twilio_client(simulator).applications.create(
        friendly_name="voice", voice_url=app.url("/client-voice"))
    desk = phone.register(MASTER_SID, "alice")

    sid = phone.device_connect(desk, To="+14155550199", task="T1")
    phone.wait_ended(sid)

    [hit] = app.requests_to("/client-voice")
    assert hit.signature_valid
    assert hit.params["From"] == "client:alice" and hit.params["Caller"] == "client:alice"
    assert hit.params["To"] == "+14155550199" and hit.params["task"] == "T1"
    assert hit.params["ApplicationSid"] == twiml_app.sid
    assert hit.params["Direction"] == "inbound"
    assert "Dialing your customer." in phone.heard(desk)


def test_a_call_from_a_number_the_account_neither_owns_nor_verified_is_refused_with_21210(
        simulator: SimulatorHandle, number: str) -> None:
    sub = rest(simulator, "POST", "/Accounts.json", {"FriendlyName": "tenant"}).json()
    other = "+14155550142"

    def create(from_: str, account: dict[str, Any] | None = None) -> Any:
        sid, token = (account["sid"], account["auth_token"]) if account else (MASTER_SID,
                                                                              MASTER_TOKEN)
        return rest(simulator, "POST", f"/Accounts/{sid}/Calls.json", {
            "From": from_, "To": "+14155550123", "Twiml": "<Response/>"}, auth=(sid, token))

    stranger = create(other)
    not_its_own = create(number, sub)
    verified = requests.post(f"{simulator.url}/sim/caller-ids", timeout=5,
                             json={"account_sid": MASTER_SID, "phone_number": other})
    now_allowed = create(other)

    assert stranger.status_code == 400 and stranger.json()["code"] == 21210
    assert not_its_own.status_code == 400 and not_its_own.json()["code"] == 21210
    assert verified.status_code == 201
    assert now_allowed.status_code == 201, now_allowed.text
