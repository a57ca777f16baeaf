"""The conference operations as twilio.rest sends them: the documented REST paths and form
fields (Calls update, Conferences list, Participants create/update/delete), and the Voice
SDK's API key and TwiML App."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from chalicelib.adapters.twilio import rest
from chalicelib.adapters.twilio.telephony import TwilioTelephony
from chalicelib.adapters.twilio.voice_token import TwilioVoiceSetup
from chalicelib.config import Settings
from chalicelib.domain.identity import Tenant
from tests.conftest import TEST_ENV

ACCOUNT = "AC" + "1" * 32
CONF = "CF" + "2" * 32
CALL = "CA" + "3" * 32


class Recorder(HttpClient):
    """Answers every request with ``answer`` and keeps (method, url, form)."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(logging.getLogger("test.twilio"), False)
        self.answer = answer
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: Any = None, auth: Any = None, timeout: Any = None,
                allow_redirects: bool = False) -> Response:
        self.sent.append((method, url, dict(data or {}) | dict(params or {})))
        return Response(204 if method == "DELETE" else 200, json.dumps(self.answer))


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    http = Recorder({"sid": CONF, "call_secret": None, "call_sid": CALL, "secret": "shh",
                     "conferences": [{"sid": CONF}], "account_sid": ACCOUNT,
                     "first_page_uri": None, "next_page_uri": None, "page": 0,
                     "page_size": 1, "uri": "/x", "end": 0, "start": 0,
                     "meta": {"key": "conferences"}})
    monkeypatch.setattr(rest, "twilio_client",
                        lambda settings, sid=None, token=None: Client(ACCOUNT, "tok",
                                                                      http_client=http))
    return http


def telephony() -> TwilioTelephony:
    return TwilioTelephony(Settings.from_environ(TEST_ENV), lambda tenant: (ACCOUNT, "tok"))


def test_hold_with_music_is_a_participant_update(recorder: Recorder) -> None:
    telephony().update_participant("tn", CONF, CALL, hold=True,
                                   hold_url="https://m.example.com/hold.mp3")
    method, url, form = recorder.sent[-1]
    assert method == "POST"
    assert url.endswith(f"/Accounts/{ACCOUNT}/Conferences/{CONF}/Participants/{CALL}.json")
    assert form == {"Hold": "true", "HoldUrl": "https://m.example.com/hold.mp3",
                    "HoldMethod": "GET"}


def test_keypad_is_an_announcement_to_one_participant(recorder: Recorder) -> None:
    telephony().update_participant("tn", CONF, CALL,
                                   announce_url="https://h.example.com/digits?d=12")
    assert recorder.sent[-1][2] == {"AnnounceUrl": "https://h.example.com/digits?d=12",
                                    "AnnounceMethod": "POST"}


def test_a_whispering_supervisor_is_added_coaching_the_agent(recorder: Recorder) -> None:
    leg = telephony().add_participant(
        "tn", CONF, from_="+14155550100", to="client:us_sue", label="supervisor",
        status_callback="https://h.example.com/p", coaching=True, call_sid_to_coach=CALL)
    method, url, form = recorder.sent[-1]
    assert method == "POST" and leg == CALL
    assert url.endswith(f"/Conferences/{CONF}/Participants.json")
    assert form["To"] == "client:us_sue" and form["From"] == "+14155550100"
    assert form["Coaching"] == "true" and form["CallSidToCoach"] == CALL
    assert form["Label"] == "supervisor" and form["EndConferenceOnExit"] == "false"


def test_moving_the_caller_finding_the_conference_and_removing_a_leg(recorder: Recorder) -> None:
    phone = telephony()
    phone.redirect_call("tn", CALL, "https://h.example.com/join")
    assert recorder.sent[-1][1].endswith(f"/Calls/{CALL}.json")
    assert recorder.sent[-1][2] == {"Url": "https://h.example.com/join", "Method": "POST"}
    assert phone.conference_sid("tn", "TK1") == CONF
    assert recorder.sent[-1][2]["FriendlyName"] == "TK1"
    assert recorder.sent[-1][2]["Status"] == "in-progress"
    phone.remove_participant("tn", CONF, CALL)
    assert recorder.sent[-1][0] == "DELETE"


def test_signup_makes_an_api_key_and_a_twiml_app_in_the_subaccount(
        recorder: Recorder) -> None:
    setup = TwilioVoiceSetup(Settings.from_environ(TEST_ENV),
                             client_for=lambda *args: Client(ACCOUNT, "tok",
                                                             http_client=recorder))
    tenant = Tenant("tn_1", "Aqua", "UTC", ACCOUNT, "tok")
    made = setup.create(tenant, "https://h.example.com/twilio/voice/client")
    keys, apps = recorder.sent[-2], recorder.sent[-1]
    assert keys[1].endswith(f"/Accounts/{ACCOUNT}/Keys.json")
    assert apps[1].endswith(f"/Accounts/{ACCOUNT}/Applications.json")
    assert apps[2]["VoiceUrl"] == "https://h.example.com/twilio/voice/client"
    assert made.api_key_secret == "shh" and made.twiml_app_sid == CONF


def test_a_spare_key_and_app_are_deleted_by_their_sids(recorder: Recorder) -> None:
    setup = TwilioVoiceSetup(Settings.from_environ(TEST_ENV),
                             client_for=lambda *args: Client(ACCOUNT, "tok",
                                                             http_client=recorder))
    tenant = Tenant("tn_1", "Aqua", "UTC", ACCOUNT, "tok")
    spare = setup.create(tenant, "https://h.example.com/twilio/voice/client")
    setup.discard(tenant, spare)
    key, app = recorder.sent[-2], recorder.sent[-1]
    assert key[0] == "DELETE" and key[1].endswith(f"/Accounts/{ACCOUNT}/Keys/{CONF}.json")
    assert app[0] == "DELETE" and app[1].endswith(f"/Accounts/{ACCOUNT}/Applications/{CONF}.json")
