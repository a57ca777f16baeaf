import json
from pathlib import Path

import pytest

from chalicelib.domain.flows.schema import flow_schema
from chalicelib.domain.flows.validation import errors_only, validate_flow

ROOT = Path(__file__).resolve().parents[4]
ACCOUNT = "AC" + "1" * 32


def doc(*states, initial="Trigger"):
    trigger = {"name": "Trigger", "type": "trigger", "properties": {},
               "transitions": [{"event": "incomingCall", "next": states[0]["name"]}]}
    return {"description": "t", "initial_state": initial, "flags": {},
            "states": [trigger, *states]}


def st(name, type_, transitions=(), **props):
    return {"name": name, "type": type_, "properties": props,
            "transitions": [{"event": e, **({"next": n} if n else {})} for e, n in transitions]}


def codes(issues):
    return [(i.code, i.state, i.path) for i in issues]


def test_a_good_flow_has_no_issues():
    assert validate_flow(doc(st("hi", "say-play", [("audioComplete", None)], say="Hi"))) == []


def test_unknown_widget_type_is_named_with_its_path():
    issues = validate_flow(doc(st("x", "teleport", [("next", None)])))
    assert ("unknown-widget", "x", "$.states[1].type") in codes(issues)


def test_unsupported_widget_is_an_error_naming_it():
    issues = validate_flow(doc(st("pay", "capture-payments", [("success", None)])))
    [issue] = errors_only(issues)
    assert (issue.code, issue.state) == ("unsupported-widget", "pay")
    assert "capture-payments" in issue.message


def test_dangling_next_names_the_transition():
    issues = validate_flow(doc(st("hi", "say-play", [("audioComplete", "nowhere")], say="Hi")))
    assert codes(errors_only(issues)) == [
        ("dangling-next", "hi", "$.states[1].transitions[0].next")]


def test_unreachable_state_is_a_warning():
    issues = validate_flow(doc(st("hi", "say-play", [("audioComplete", None)], say="Hi"),
                               st("lost", "say-play", [("audioComplete", None)], say="?")))
    [issue] = issues
    assert (issue.code, issue.state, issue.severity) == ("unreachable", "lost", "warning")


def test_missing_required_property():
    issues = validate_flow(doc(st("fwd", "add-twiml-redirect", [("return", None)])))
    assert ("missing-property", "fwd", "$.states[1].properties.url") in codes(issues)


def test_liquid_syntax_error_carries_line_and_column():
    issues = validate_flow(doc(st("hi", "say-play", [("audioComplete", None)],
                                  say="Hello\n{% iff x %}")))
    [issue] = issues
    assert issue.code == "liquid-syntax" and issue.path == "$.states[1].properties.say"
    assert "line 2, column 3" in issue.message


def test_placeholders_and_foreign_sids_outside_metadata_are_errors():
    issues = validate_flow(doc(st("hi", "say-play", [("audioComplete", None)],
                                  say="Call ${SUPPORT_LINE} about WQ" + "c" * 32),
                               st("q", "send-to-flex", [("callComplete", None)],
                                  attributes='{"account": "AC' + "b" * 32 + '"}')),
                           account_sid=ACCOUNT)
    assert sorted(codes(errors_only(issues))) == [
        ("foreign-sid", "hi", "$.states[1].properties.say"),
        ("foreign-sid", "q", "$.states[2].properties.attributes"),
        ("placeholder", "hi", "$.states[1].properties.say")]


def test_send_to_flex_keeps_its_workflow_and_channel_sids_as_named_warnings():
    issues = validate_flow(doc(st("q", "send-to-flex", [("callComplete", None)],
                                  workflow="${WORKFLOW_SID}", channel="TC" + "a" * 32)),
                           account_sid=ACCOUNT)
    assert errors_only(issues) == []
    assert codes(issues) == [("metadata-sid", "q", "$.states[1].properties.workflow"),
                             ("metadata-sid", "q", "$.states[1].properties.channel")]
    assert "TaskRouter task channel SID of the exporting Twilio account" in issues[1].message


def test_run_function_with_a_url_keeps_its_serverless_sids_as_metadata():
    issues = validate_flow(doc(st("fn", "run-function", [("success", None), ("fail", None)],
                                  service_sid="ZS" + "1" * 32, environment_sid="ZE" + "2" * 32,
                                  function_sid="ZH" + "3" * 32,
                                  url="https://fn.example.com/check")))
    assert errors_only(issues) == []
    assert [(i.code, i.severity, i.path) for i in issues] == [
        ("metadata-sid", "warning", "$.states[1].properties.service_sid"),
        ("metadata-sid", "warning", "$.states[1].properties.environment_sid"),
        ("metadata-sid", "warning", "$.states[1].properties.function_sid")]
    assert "Serverless function SID" in issues[2].message and "its url" in issues[2].message


def test_run_function_without_a_url_cannot_run_and_its_sids_are_refused():
    issues = validate_flow(doc(st("fn", "run-function", [("success", None), ("fail", None)],
                                  service_sid="ZS" + "1" * 32, function_sid="ZH" + "3" * 32)))
    assert codes(errors_only(issues)) == [
        ("missing-property", "fn", "$.states[1].properties.url"),
        ("foreign-sid", "fn", "$.states[1].properties.service_sid"),
        ("foreign-sid", "fn", "$.states[1].properties.function_sid")]


def test_enqueue_call_keeps_its_workflow_sid_as_metadata():
    issues = validate_flow(doc(st("q", "enqueue-call", [("callComplete", None)],
                                  workflow_sid="WW" + "d" * 32, queue_name="support")))
    assert [(i.code, i.severity) for i in issues] == [("metadata-sid", "warning")]


def test_a_message_widgets_service_and_channel_sids_are_metadata():
    issues = validate_flow(doc(st("m", "send-message", [("sent", None), ("failed", None)],
                                  body="Hi", service="MG" + "e" * 32, channel="CH" + "f" * 32)))
    assert [(i.code, i.path) for i in issues] == [
        ("metadata-sid", "$.states[1].properties.service"),
        ("metadata-sid", "$.states[1].properties.channel")]


def test_an_account_sid_is_never_metadata():
    issues = validate_flow(doc(st("q", "send-to-flex", [("callComplete", None)],
                                  workflow="AC" + "b" * 32)), account_sid=ACCOUNT)
    assert codes(errors_only(issues)) == [
        ("foreign-sid", "q", "$.states[1].properties.workflow")]


def test_the_tenants_own_account_sid_is_allowed():
    flow = doc(st("hi", "say-play", [("audioComplete", None)], say=f"Account {ACCOUNT}"))
    assert validate_flow(flow, account_sid=ACCOUNT) == []
    assert codes(validate_flow(flow)) == [("foreign-sid", "hi", "$.states[1].properties.say")]


def test_unknown_condition_type():
    split = {"name": "s", "type": "split-based-on", "properties": {"input": "{{x}}"},
             "transitions": [{"event": "noMatch"},
                             {"event": "match", "conditions": [
                                 {"arguments": ["{{x}}"], "type": "sounds_like", "value": "a"}]}]}
    issues = validate_flow(doc(split))
    assert ("unknown-condition", "s", "$.states[1].transitions[1].conditions[0].type") in codes(
        issues)


def test_attributes_that_are_not_json_are_an_error():
    issues = validate_flow(doc(st("q", "enqueue-call", [("callComplete", None)],
                                  queue_name="support", task_attributes="{not json")))
    assert ("bad-json", "q", "$.states[1].properties.task_attributes") in codes(issues)


def test_malformed_documents_come_back_as_issues_not_exceptions():
    assert codes(validate_flow({"states": "nope"})) == [("malformed", None, "$.states")]


def test_schema_catches_wrong_property_types():
    issues = validate_flow(doc(st("g", "gather-input-on-call", [("keypress", None)],
                                  say="Hi", number_of_digits=[1])))
    assert any(i.code == "schema" and i.path == "$.states[1].properties.number_of_digits"
               for i in issues)


def test_an_event_the_widget_never_fires_is_a_warning():
    issues = validate_flow(doc(st("hi", "say-play", [("audioDone", None)], say="Hi")))
    assert [(i.code, i.severity) for i in issues] == [("unknown-event", "warning")]


def test_flows_schema_json_is_the_schema_the_validator_uses():
    on_disk = json.loads((ROOT / "flows" / "schema.json").read_text())
    assert on_disk == flow_schema()


@pytest.mark.parametrize("name", ["voice-ivr.json", "sms-autoreply.json",
                                  "shared-number-menu.json"])
def test_default_flows_are_valid(name):
    issues = validate_flow(json.loads((ROOT / "flows" / name).read_text()), account_sid=ACCOUNT)
    assert issues == []
