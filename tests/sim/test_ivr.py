"""Inbound calls through Say, Gather, Redirect and Hangup, and failures of the app."""

from __future__ import annotations

from sim.client import SimClient
from sim.twiml import APP_ERROR_TEXT
from tests.sim.conftest import CALLER, MASTER_SID
from tests.sim.fake_app import FakeApp

MENU = """<Response>
  <Gather numDigits="1" action="/menu" timeout="3">
    <Say>Welcome. For sales press 1, for support press 2.</Say>
  </Gather>
  <Say>We did not get your choice. Goodbye.</Say>
</Response>"""
# The same menu waiting long enough for a test's key press on a busy machine.
PATIENT_MENU = MENU.replace('timeout="3"', 'timeout="60"')


def test_incoming_call_posts_signed_twilio_params_to_the_voice_url(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = "<Response><Say>Hello there</Say></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    [hit] = app.requests_to("/voice")
    assert hit.signature_valid
    assert hit.method == "POST"
    assert hit.content_type == "application/x-www-form-urlencoded"
    assert hit.params["CallSid"] == sid and sid.startswith("CA") and len(sid) == 34
    assert hit.params["AccountSid"] == MASTER_SID
    assert hit.params["From"] == hit.params["Caller"] == CALLER
    assert hit.params["To"] == hit.params["Called"] == number
    assert hit.params["CallStatus"] == "ringing"
    assert hit.params["Direction"] == "inbound"
    assert hit.params["ApiVersion"] == "2010-04-01"
    assert hit.params["FromCountry"] == "US"
    assert phone.text(sid) == "Hello there"
    assert phone.get(sid)["status"] == "completed"


def test_gather_posts_the_pressed_digit_to_its_action(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = PATIENT_MENU
    app.routes["/menu"] = "<Response><Say>Connecting you to support.</Say></Response>"

    sid = phone.call(CALLER, number)
    assert phone.press(sid, "2") == "gather"
    phone.wait_ended(sid)

    [hit] = app.requests_to("/menu")
    assert hit.params["Digits"] == "2"
    assert hit.params["CallStatus"] == "in-progress"
    assert hit.signature_valid
    assert "Connecting you to support." in phone.text(sid)
    assert "We did not get your choice. Goodbye." not in phone.text(sid)


def test_gather_without_input_falls_through_to_the_next_verb(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = MENU

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    assert app.requests_to("/menu") == []
    assert phone.text(sid).endswith("We did not get your choice. Goodbye.")
    assert phone.transcript(sid, "gather-end")[0]["timeout"] is True


def test_gather_with_action_on_empty_result_posts_without_digits(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Gather action="/empty" actionOnEmptyResult="true" '
                            'timeout="2"/><Say>unreachable</Say></Response>')
    app.routes["/empty"] = "<Response><Hangup/></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    [hit] = app.requests_to("/empty")
    assert "Digits" not in hit.params or hit.params["Digits"] == ""
    assert "unreachable" not in phone.text(sid)


def test_gather_collects_digits_until_finish_on_key(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Gather action="/account" timeout="5">'
                            '<Say>Enter your account number then hash.</Say></Gather></Response>')

    sid = phone.call(CALLER, number)
    phone.press(sid, "1234#")
    [hit] = app.wait_for("/account")

    assert hit.params["Digits"] == "1234"


def test_digits_pressed_while_nothing_listens_are_lost(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Say>Please hold.</Say><Pause length="30"/>'
                            '<Gather numDigits="1" action="/menu" timeout="1"/></Response>')

    sid = phone.call(CALLER, number)
    phone.wait_for_event(sid, "pause")
    assert phone.press(sid, "5", wait=False) == "nobody"
    phone.wait_ended(sid)

    assert app.requests_to("/menu") == []


def test_speech_goes_to_a_speech_gather_as_speech_result(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Gather input="speech dtmf" action="/intent">'
                            '<Say>How can we help?</Say></Gather></Response>')

    sid = phone.call(CALLER, number)
    assert phone.say(sid, "billing please") == "gather"
    [hit] = app.wait_for("/intent")

    assert hit.params["SpeechResult"] == "billing please"
    assert 0 < float(hit.params["Confidence"]) <= 1
    assert "Digits" not in hit.params


def test_redirect_and_relative_urls_resolve_against_the_document(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = "<Response><Redirect>/step/two</Redirect></Response>"
    app.routes["/step/two"] = "<Response><Redirect method=\"GET\">three?x=1</Redirect></Response>"
    app.routes["/step/three"] = "<Response><Say>Arrived</Say><Hangup/><Say>never</Say></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    [third] = app.requests_to("/step/three")
    assert third.method == "GET" and third.params["x"] == "1" and third.signature_valid
    assert phone.text(sid) == "Arrived"


def test_unparsable_twiml_gives_the_application_error_and_ends_the_call(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = "<Response><Say>oops</Response>"

    sid = phone.call(CALLER, number)
    call = phone.wait_ended(sid)

    assert call["status"] == "completed"
    assert phone.text(sid) == APP_ERROR_TEXT
    [error] = phone.transcript(sid, "error")
    assert error["code"] == 12100


def test_a_webhook_answering_500_is_an_application_error(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = PATIENT_MENU
    app.routes["/menu"] = (500, "boom")

    sid = phone.call(CALLER, number)
    phone.press(sid, "1")
    phone.wait_ended(sid)

    assert phone.text(sid).endswith(APP_ERROR_TEXT)
    assert phone.transcript(sid, "error")[0]["code"] == 11200


def test_unknown_verbs_are_logged_and_skipped(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = "<Response><Dance/><Say>still here</Say></Response>"

    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    assert phone.text(sid) == "still here"
    assert "Dance" in phone.transcript(sid, "error")[0]["message"]


def test_reject_busy_ends_the_call_unanswered(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Reject reason="busy"/></Response>'

    sid = phone.call(CALLER, number)
    call = phone.wait_ended(sid)

    assert call["status"] == "busy"
    assert call["answered"] is False
