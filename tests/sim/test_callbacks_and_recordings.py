"""Status callbacks of inbound and REST calls, and <Record>."""

from __future__ import annotations

import requests

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp

MOBILE = "+14155550199"


def test_inbound_call_sends_its_final_status_to_the_number_status_callback(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Say>Hi</Say><Pause length="3"/></Response>'

    sid = phone.call(CALLER, number)
    [status] = app.wait_for("/status")

    assert status.signature_valid
    assert status.params["CallSid"] == sid
    assert status.params["CallStatus"] == "completed"
    assert int(status.params["CallDuration"]) >= 3
    assert status.params["CallbackSource"] == "call-progress-events"
    assert status.params["SequenceNumber"] == "0"
    assert status.params["Timestamp"].endswith("+0000")


def test_rest_call_reports_the_events_it_asked_for_in_order(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/outbound"] = "<Response><Say>This is a reminder.</Say></Response>"

    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", [
        ("To", MOBILE), ("From", number), ("Url", app.url("/outbound")),
        ("StatusCallback", app.url("/progress")), ("StatusCallbackEvent", "initiated"),
        ("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered"),
        ("StatusCallbackEvent", "completed")])
    assert created.status_code == 201
    body = created.json()
    assert body["status"] in ("queued", "ringing") and body["direction"] == "outbound-api"
    sid = body["sid"]
    phone.answer(phone.wait_status(sid, "ringing")["call_sid"])
    hits = app.wait_for("/progress", count=4)

    assert [h.params["CallStatus"] for h in hits] == ["initiated", "ringing", "in-progress",
                                                      "completed"]
    assert [h.params["SequenceNumber"] for h in hits] == ["0", "1", "2", "3"]
    assert "CallDuration" in hits[-1].params
    [fetched] = app.requests_to("/outbound")
    assert fetched.params["Direction"] == "outbound-api"
    assert fetched.params["CallStatus"] == "in-progress"
    assert phone.text(sid) == "This is a reminder."


def test_rest_call_to_a_phone_that_never_answers_is_no_answer(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Calls.json", {
        "To": MOBILE, "From": number, "Url": app.url("/outbound"), "Timeout": "10",
        "StatusCallback": app.url("/progress")})
    [final] = app.wait_for("/progress")

    assert final.params["CallSid"] == created.json()["sid"]
    assert final.params["CallStatus"] == "no-answer"
    assert final.params["CallDuration"] == "0"
    assert app.requests_to("/outbound") == []


def test_record_posts_a_recording_url_when_the_caller_presses_a_key(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Say>Leave a message after the beep.</Say>'
                            '<Record action="/recorded" maxLength="60" finishOnKey="#" '
                            'transcribe="true" transcribeCallback="/transcribed" '
                            'recordingStatusCallback="/recording-status"/></Response>')
    app.routes["/recorded"] = "<Response><Say>Thank you.</Say></Response>"

    sid = phone.call(CALLER, number)
    phone.say(sid, "Please call me back about my order.")
    phone.press(sid, "#")
    [recorded] = app.wait_for("/recorded")

    params = recorded.params
    assert params["RecordingSid"].startswith("RE")
    assert params["RecordingUrl"] == (f"{simulator.url}/2010-04-01/Accounts/{MASTER_SID}"
                                      f"/Recordings/{params['RecordingSid']}")
    assert int(params["RecordingDuration"]) >= 1
    assert params["Digits"] == "#"
    audio = requests.get(params["RecordingUrl"] + ".wav", timeout=5)
    assert audio.status_code == 200 and audio.content[:4] == b"RIFF"
    [transcribed] = app.wait_for("/transcribed")
    assert transcribed.params["TranscriptionText"] == "Please call me back about my order."
    [status] = app.wait_for("/recording-status")
    assert status.params["RecordingStatus"] == "completed"
    phone.wait_for_text(sid, "Thank you.")


def test_hanging_up_ends_the_recording_and_still_posts_it(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Record action="/recorded" playBeep="true"/></Response>'

    sid = phone.call(CALLER, number)
    phone.wait_listening(sid, "record")
    phone.hangup(sid)
    [recorded] = app.wait_for("/recorded")

    assert recorded.params["Digits"] == "hangup"
    assert recorded.params["CallStatus"] == "completed"
    assert phone.transcript(sid, "beep")
