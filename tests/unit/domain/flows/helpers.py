"""Builders and fakes for flow tests: tiny flows, a scripted HTTP fake, callback URLs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.flows.engine import FlowEngine, StepResult, Trigger
from chalicelib.domain.flows.model import Flow, parse_flow
from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.flows.runtime import FlowEnvironment

CALL = {"CallSid": "CA123", "From": "+15551230000", "To": "+15559870000",
        "CallStatus": "ringing", "Direction": "inbound", "AccountSid": "AC" + "1" * 32}
SMS = {"MessageSid": "SM123", "From": "+15551230000", "To": "+15559870000", "Body": "hello"}
ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                  "sun")}
ENV = FlowEnvironment("tn_test", "UTC", ALWAYS_OPEN, (), "AC" + "1" * 32, "+15559870000",
                      business_name="Acme")


def state(name: str, type_: str, transitions: dict[str, str | None] | list[dict[str, Any]],
          **properties: Any) -> dict[str, Any]:
    if isinstance(transitions, dict):
        transitions = [{"event": e, **({"next": n} if n else {})}
                       for e, n in transitions.items()]
    return {"name": name, "type": type_, "transitions": transitions, "properties": properties}


def flow_of(*states: dict[str, Any], first: str | None = None,
            trigger_event: str = "incomingCall") -> Flow:
    """A flow whose trigger leads to the first given state."""
    start = first or states[0]["name"]
    trigger = state("Trigger", "trigger", {trigger_event: start})
    return parse_flow({"description": "test", "states": [trigger, *states],
                       "initial_state": "Trigger", "flags": {}})


@dataclass
class FakeHttp:
    """Answers from a script keyed by URL prefix; records every request."""

    answers: dict[str, HttpResponse | HttpFailure] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        self.requests.append({"method": method, "url": url, "body": body,
                              "content_type": content_type, "timeout": timeout})
        for prefix, answer in self.answers.items():
            if url.startswith(prefix):
                if isinstance(answer, HttpFailure):
                    raise answer
                return answer
        raise HttpFailure(f"connection refused: {url}")


class FixedClock:
    def __init__(self, now: float = 1_750_000_000.0) -> None:  # a Sunday, 15:06 UTC
        self.now = now

    def __call__(self) -> float:
        return self.now


class Urls:
    def resume(self, widget: str) -> str:
        return f"https://hotline.example.com/api/twilio/voice/resume/{widget}"

    def queue_wait(self, task_id: str) -> str:
        return f"https://hotline.example.com/api/twilio/voice/queue/{task_id}"

    def queue_result(self, task_id: str, widget: str) -> str:
        return f"https://hotline.example.com/api/twilio/voice/queue/{task_id}/result/{widget}"


def engine(http: FakeHttp | None = None, clock: FixedClock | None = None,
           **kwargs: Any) -> FlowEngine:
    return FlowEngine(http or FakeHttp(), clock=clock or FixedClock(), **kwargs)


def call(flow: Flow, eng: FlowEngine | None = None,
         env: FlowEnvironment = ENV) -> StepResult:
    return (eng or engine()).start(flow, Trigger("incomingCall", CALL), env,
                                   flow_id="FW1", revision=1)


def text(flow: Flow, body: str = "hello", eng: FlowEngine | None = None) -> StepResult:
    return (eng or engine()).start(flow, Trigger("incomingMessage", {**SMS, "Body": body}),
                                   ENV, flow_id="FW1", revision=1)


def said(result: StepResult) -> list[str]:
    from chalicelib.domain.flows.verbs import Gather, Say

    out: list[str] = []
    for verb in result.verbs:
        if isinstance(verb, Say):
            out.append(verb.text)
        elif isinstance(verb, Gather):
            out.extend(p.text for p in verb.prompts if isinstance(p, Say))
    return out


def events(result: StepResult) -> list[tuple[str, str | None]]:
    return [(v.widget, v.event) for v in result.trail]
