"""The real Studio exports: each runs through scripted journeys, or fails validation with
exactly the errors it should."""

import json
from pathlib import Path

import pytest

from chalicelib.domain.flows.model import parse_flow
from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.flows.simulation import Simulation
from chalicelib.domain.flows.validation import errors_only, validate_flow
from chalicelib.domain.flows.verbs import Enqueue, SendMessage
from tests.unit.domain.flows.helpers import FakeHttp

REAL = Path(__file__).resolve().parents[3] / "fixtures" / "studio-flows" / "real"
ACCOUNT = "AC" + "1" * 32


def load(name: str) -> dict:
    return json.loads((REAL / name).read_text())


def run(name, trigger, inputs=(), http=None, data=None):
    sim = Simulation(parse_flow(load(name)), http=http or FakeHttp())
    return sim.run(trigger, list(inputs), data)


# The errors that still refuse each export: a deployment placeholder where Hotline needs a
# value (run-function's url, send-to-flex's waitUrl). The exporting account's SIDs beside a
# url or a queue are metadata (EXPECTED_METADATA), not errors.
EXPECTED_ERRORS = {
    "autodialer.json": [],
    "call-tracking.json": [],
    "callback-and-voicemail.json": [
        ("placeholder", "SendCallToAgent", "$.states[1].properties.waitUrl")],
    "patient-appointments.json": [],
    "schedule-manager.json": [
        ("placeholder", "check_schedule", "$.states[1].properties.url")],
}
EXPECTED_METADATA = {
    "autodialer.json": [("enqueue", "$.states[3].properties.workflow_sid")],
    "call-tracking.json": [],
    "callback-and-voicemail.json": [
        ("SendCallToAgent", "$.states[1].properties.workflow"),
        ("SendCallToAgent", "$.states[1].properties.channel")],
    "patient-appointments.json": [],
    "schedule-manager.json": [
        ("check_schedule", "$.states[1].properties.service_sid"),
        ("check_schedule", "$.states[1].properties.environment_sid"),
        ("check_schedule", "$.states[1].properties.function_sid"),
        ("send_to_flex", "$.states[4].properties.workflow"),
        ("send_to_flex", "$.states[4].properties.channel")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_real_flow_fails_validation_with_exactly_the_expected_errors(name):
    issues = errors_only(validate_flow(load(name), account_sid=ACCOUNT))
    assert [(i.code, i.state, i.path) for i in issues] == EXPECTED_ERRORS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_METADATA))
def test_real_flow_warns_about_each_account_sid_it_keeps_as_metadata(name):
    issues = validate_flow(load(name), account_sid=ACCOUNT)
    metadata = [i for i in issues if i.code == "metadata-sid"]
    assert [(i.state, i.path) for i in metadata] == EXPECTED_METADATA[name]
    assert all(i.severity == "warning" for i in metadata)


def test_the_autodialer_export_publishes_with_a_warning_naming_its_workflow_sid():
    issues = validate_flow(load("autodialer.json"), account_sid=ACCOUNT)

    assert errors_only(issues) == []
    [warning] = issues
    assert warning.describe() == (
        "state 'enqueue' ($.states[3].properties.workflow_sid): 'workflow_sid' holds "
        "WW573b22630835278b6ae66155e7a59fd7, a TaskRouter workflow SID of the exporting "
        "Twilio account; Hotline runs this widget with its own queues, so it is kept only "
        "as metadata")


def test_patient_appointments_only_warns_about_its_template_values():
    issues = validate_flow(load("patient-appointments.json"), account_sid=ACCOUNT)
    assert {i.code for i in issues} == {"placeholder-value"}


def test_call_tracking_forwards_the_call_then_reports_and_follows_up():
    http = FakeHttp({"https://www.google-analytics.com/": HttpResponse(200, "", "image/gif"),
                     "https://your-runtime-domain/": HttpResponse(200, '{"ok": true}',
                                                                  "application/json")})

    t = run("call-tracking.json", "call", [("dial", "completed")], http)

    assert [(w, e) for w, _, e in t.visits if e] == [
        ("Trigger", "incomingCall"), ("CampaignInfo", "next"),
        ("ForwardCall", "callCompleted"), ("CreateEventTracking", "success"),
        ("SendFollowUp", "success")]
    tracked = http.requests[0]["url"]
    assert "tid=UA-XXXXXXXXX-Y" in tracked and "ea=completed" in tracked
    assert "el=CampaignName" in tracked and "cid=+15005550006" in tracked
    assert http.requests[1]["body"] == b"callerId=%2B15005550006"
    assert t.status == "ended"


def test_call_tracking_survives_the_analytics_endpoint_being_down():
    http = FakeHttp({"https://www.google-analytics.com/": HttpFailure("timed out", True)})
    t = run("call-tracking.json", "call", [("dial", "no-answer")], http)
    assert ("CreateEventTracking", "make-http-request", "failed") in t.visits
    assert t.status == "ended"


def test_schedule_manager_says_the_holiday_closure_when_closed():
    http = FakeHttp({"https://": HttpResponse(200, '{"isOpen": false, "closedReason": "holiday"}',
                                              "application/json")})
    t = run("schedule-manager.json", "call", [], http)
    [speech] = t.heard
    assert speech.strip().startswith("We are currently closed due to the holiday.")
    assert speech.strip().endswith("Thank you for calling and have a great day.")


def test_schedule_manager_queues_the_caller_when_open():
    http = FakeHttp({"https://": HttpResponse(200, '{"isOpen": true}', "application/json")})
    t = run("schedule-manager.json", "call", [("queue", "bridged")], http)
    assert t.heard == []
    assert any(isinstance(v, Enqueue) for v in t.verbs)
    assert ("send_to_flex", "send-to-flex", "callComplete") in t.visits


def test_schedule_manager_queues_the_caller_when_the_schedule_check_fails():
    t = run("schedule-manager.json", "call", [], FakeHttp())
    assert ("check_schedule", "run-function", "fail") in t.visits
    assert ("send_to_flex", "send-to-flex", None) in t.visits


def test_callback_and_voicemail_queues_with_its_attributes():
    t = run("callback-and-voicemail.json", "call", [("queue", "hangup")])
    [enqueue] = [v for v in t.verbs if isinstance(v, Enqueue)]
    assert enqueue.attributes == {"type": "inbound", "name": "+15005550006",
                                  "conversations": {"hang_up_by": "Customer"}}


def test_autodialer_calls_out_announces_and_queues():
    t = run("autodialer.json", "request", [("call", "in-progress")],
            data={"reason": "renew your policy", "ui": "x"})
    assert t.heard == ["Hello, we are calling you today to  renew your policy . "
                       "Please wait while we connect you with an agent."]
    [enqueue] = [v for v in t.verbs if isinstance(v, Enqueue)]
    assert (enqueue.priority, enqueue.attributes["autodialer"]) == (1000, "predictive")


def test_autodialer_texts_when_the_line_is_busy():
    t = run("autodialer.json", "request", [("call", "busy")], data={"reason": "your order"})
    assert t.received == ["Hi, we tried to reach you today to discuss about your order. "
                          "Please give us a call a callback"]
    assert any(isinstance(e, SendMessage) for e in t.effects)


def _appointment_http(reply_body: str = '{"readable_datetime": "Monday at 10am"}') -> FakeHttp:
    return FakeHttp({
        "https://YOUR_TWILIO_ENVIRONMENT_DOMAIN_NAME/": HttpResponse(200, reply_body,
                                                                     "application/json"),
        "https://you_ehr_endpoint_url.com/": HttpResponse(200, "{}", "application/json")})


APPOINTMENT = {"event_type": "REMIND", "patient_first_name": "Ann",
               "provider_last_name": "Lee", "appointment_location": "Main St",
               "provider_callback_phone": "555-0100", "appointment_id": "A1"}


def test_patient_appointment_reminder_confirmed_by_reply():
    http = _appointment_http()

    t = run("patient-appointments.json", "request", [("sms", "confirm appt")], http,
            data=APPOINTMENT)

    assert t.received[0].startswith("Hello, Ann. This is a reminder that you have an "
                                    "appointment scheduled with Dr. Lee for  Monday at 10am")
    assert ("split_remind_reply", "split-based-on", "match") in t.visits
    confirm = http.requests[-1]
    assert confirm["url"] == "https://you_ehr_endpoint_url.com/inbound"
    assert json.loads(confirm["body"])["event_type"] == "Confirm"
    assert json.loads(confirm["body"])["appointment_id"] == "A1"


def test_patient_appointment_reminder_times_out_without_reply():
    t = run("patient-appointments.json", "request", [], _appointment_http(), data=APPOINTMENT)
    assert ("send_remind", "send-and-wait-for-reply", "timeout") in t.visits
    assert t.status == "ended"


def test_patient_appointment_cancellation_message():
    t = run("patient-appointments.json", "request", [], _appointment_http(),
            data={**APPOINTMENT, "event_type": "CANCELED"})
    assert t.received == ["Hello, Ann. Your appointment with Dr. Lee for Monday at 10am at "
                          "Main St has been canceled.\n\nIf you would like to reschedule, "
                          "please call us at 555-0100.\n\n- From YOUR_HEALTH_SYSTEM_NAME"]
