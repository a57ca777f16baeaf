"""Random digits, speech and HTTP failures: the engine never raises and the TwiML is valid."""

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.adapters.twilio.twiml import render_voice
from chalicelib.domain.flows.engine import FlowEngine, Trigger
from chalicelib.domain.flows.model import parse_flow
from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.flows.verbs import Enqueue
from tests.unit.domain.flows.helpers import CALL, ENV, FixedClock, Urls

ROOT = Path(__file__).resolve().parents[4]
FLOWS = [parse_flow(json.loads(p.read_text())) for p in
         [ROOT / "flows" / "voice-ivr.json", ROOT / "flows" / "shared-number-menu.json",
          *sorted((ROOT / "tests" / "fixtures" / "studio-flows" / "real").glob("*.json"))]]
TWIML_VERBS = {"Say", "Play", "Pause", "Gather", "Record", "Dial", "Enqueue", "Redirect",
               "Hangup", "Reject", "Leave"}
NESTED = {"Say", "Play", "Pause", "Number", "Client", "Sip", "Conference", "Queue"}

answers = st.one_of(
    st.builds(HttpResponse, st.sampled_from([200, 201, 204, 301, 404, 500, 503]),
              st.one_of(st.text(max_size=40),
                        st.dictionaries(st.text(max_size=8), st.one_of(
                            st.booleans(), st.integers(), st.text(max_size=10)),
                            max_size=3).map(json.dumps)),
              st.sampled_from(["application/json", "text/plain", ""])),
    st.builds(HttpFailure, st.text(max_size=20), st.booleans()))

callbacks = st.fixed_dictionaries({}, optional={
    "Digits": st.one_of(st.text(alphabet="0123456789*#", max_size=4), st.just("hangup")),
    "SpeechResult": st.text(max_size=30),
    "Confidence": st.floats(0, 1).map(str),
    "RecordingUrl": st.just("https://r.example/RE1"),
    "RecordingDuration": st.sampled_from(["0", "3", "abc", ""]),
    "DialCallStatus": st.sampled_from(["completed", "busy", "no-answer", "failed"]),
    "CallStatus": st.sampled_from(["in-progress", "completed", "busy", "no-answer"]),
    "QueueResult": st.sampled_from(["bridged", "hangup", "queue-full", "error", "leave", "x"]),
    "FlowEvent": st.sampled_from(["return", "timeout", "fail", "???"]),
    "Body": st.text(max_size=30),
})


class ScriptedHttp:
    def __init__(self, answers: list) -> None:
        self.answers = answers

    def request(self, method, url, *, headers, body, content_type, timeout):
        answer = self.answers.pop(0) if self.answers else HttpFailure("no more")
        if isinstance(answer, HttpFailure):
            raise answer
        return answer


def assert_valid_twiml(xml: str) -> None:
    root = ET.fromstring(xml)
    assert root.tag == "Response"
    for verb in root:
        assert verb.tag in TWIML_VERBS, verb.tag
        for child in verb:
            assert child.tag in NESTED, child.tag


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flow_index=st.integers(0, len(FLOWS) - 1),
       http_answers=st.lists(answers, max_size=6),
       steps=st.lists(callbacks, max_size=8),
       from_=st.sampled_from(["+15551230000", "", "client:agent", "whatsapp:+1555"]))
def test_engine_never_raises_and_always_answers_valid_twiml(flow_index, http_answers, steps,
                                                            from_):
    flow = FLOWS[flow_index]
    engine = FlowEngine(ScriptedHttp(list(http_answers)), clock=FixedClock(), max_steps=32)

    result = engine.start(flow, Trigger("incomingCall", {**CALL, "From": from_}), ENV,
                          flow_id="F", revision=1)
    assert_valid_twiml(render_voice(result.verbs, Urls()))
    for params in steps:
        if result.status != "waiting":
            break
        verbs = [dataclasses.replace(v, task_id="TK1") if isinstance(v, Enqueue) else v
                 for v in result.verbs]
        assert_valid_twiml(render_voice(verbs, Urls()))
        context = json.loads(json.dumps(result.context.to_dict()))
        from chalicelib.domain.flows.context import ExecutionContext
        result = engine.resume(flow, ExecutionContext.from_dict(context),
                               result.context.waiting_on or "", params, ENV)
        assert_valid_twiml(render_voice(result.verbs, Urls()))
        assert result.status in ("waiting", "ended")


@settings(max_examples=100, deadline=None)
@given(template=st.text(max_size=40), digits=st.text(max_size=5))
def test_any_say_text_renders_without_raising(template, digits):
    doc = {"description": "", "initial_state": "Trigger", "flags": {}, "states": [
        {"name": "Trigger", "type": "trigger", "properties": {},
         "transitions": [{"event": "incomingCall", "next": "g"}]},
        {"name": "g", "type": "gather-input-on-call", "properties": {"say": template},
         "transitions": [{"event": "keypress", "next": "s"}]},
        {"name": "s", "type": "say-play", "properties": {"say": template + "{{widgets.g.Digits}}"},
         "transitions": [{"event": "audioComplete"}]}]}
    flow = parse_flow(doc)
    engine = FlowEngine(ScriptedHttp([]), clock=FixedClock())
    first = engine.start(flow, Trigger("incomingCall", CALL), ENV, flow_id="F", revision=1)
    assert_valid_twiml(render_voice(first.verbs, Urls()))
    if first.status == "waiting":
        second = engine.resume(flow, first.context, "g", {"Digits": digits}, ENV)
        assert_valid_twiml(render_voice(second.verbs, Urls()))
