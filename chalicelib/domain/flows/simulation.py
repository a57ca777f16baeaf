"""Drive a flow through scripted caller input, as the carrier would, and keep a transcript.

Used by ``hotline flows simulate`` and by the tests: the same engine as the Lambda path,
with the carrier's callbacks played by a script. Inputs are ``(kind, value)`` pairs:
``digits``, ``speech``, ``sms`` (a reply, or the first message that starts an SMS
flow), ``record`` (seconds of voicemail, 0 for silence), ``dial`` (DialCallStatus),
``queue`` (QueueResult), ``redirect`` (FlowEvent), ``call`` (the outgoing call's status)
and ``hangup`` (the caller hangs up at the next wait).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.flows.engine import FlowEngine, StepResult, Trigger
from chalicelib.domain.flows.model import Flow
from chalicelib.domain.flows.ports import HttpPort
from chalicelib.domain.flows.runtime import FlowEnvironment
from chalicelib.domain.flows.verbs import (
    Dial,
    Enqueue,
    ExecutionEnded,
    Gather,
    HandOffToTenant,
    Hangup,
    MakeOutgoingCall,
    Message,
    Pause,
    Play,
    PlayDigits,
    Record,
    Redirect,
    Reject,
    Say,
    SendMessage,
    VoicemailRecorded,
)

CALLER = "+15005550006"
NUMBER = "+15005550001"


@dataclass
class Transcript:
    lines: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)  # what the caller heard, in order
    received: list[str] = field(default_factory=list)  # messages the contact received
    visits: list[tuple[str, str, str | None]] = field(default_factory=list)
    effects: list[Any] = field(default_factory=list)
    verbs: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    status: str = "running"
    webhooks: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status, "webhooks": self.webhooks, "heard": self.heard,
            "received": self.received, "lines": self.lines, "warnings": self.warnings,
            "visits": [{"widget": w, "type": t, "event": e} for w, t, e in self.visits],
            "effects": [{"type": type(e).__name__, **_plain(dataclasses.asdict(e))}
                        for e in self.effects],
        }


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, default=str))


class _Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class Simulation:
    def __init__(self, flow: Flow, *, http: HttpPort, env: FlowEnvironment | None = None,
                 now: float = 1_750_000_000.0, max_webhooks: int = 60,
                 max_steps: int = 64) -> None:
        self.flow = flow
        self.clock = _Clock(now)
        self.engine = FlowEngine(http, clock=self.clock, max_steps=max_steps)
        self.env = env or FlowEnvironment("tn_simulated", number=NUMBER)
        self.max_webhooks = max_webhooks
        self.transcript = Transcript()
        self._tasks = 0

    # -- recording what happened ------------------------------------------------------

    def _say(self, line: str) -> None:
        self.transcript.lines.append(line)

    def _record(self, result: StepResult) -> None:
        t = self.transcript
        t.webhooks += 1
        for visit in result.trail:
            t.visits.append((visit.widget, visit.type, visit.event))
            shown = visit.event if visit.event is not None else "(waiting)"
            self._say(f"  [{visit.widget}] {visit.type} -> {shown}")
        for verb in result.verbs:
            t.verbs.append(verb)
            self._verb(verb)
        for effect in result.effects:
            t.effects.append(effect)
            self._effect(effect)
        for warning in result.warnings:
            t.warnings.append(warning)
            self._say(f"  ! {warning}")
        t.status = result.status

    def _verb(self, verb: Any) -> None:
        if isinstance(verb, Gather):
            for prompt in verb.prompts:
                self._verb(prompt)
            self._say(f"  (listening for {verb.input})")
        elif isinstance(verb, Say):
            for _ in range(max(1, verb.loop)):
                self.transcript.heard.append(verb.text)
            self._say(f"caller hears: {verb.text}" + (f" (x{verb.loop})" if verb.loop > 1 else ""))
        elif isinstance(verb, Play):
            self.transcript.heard.append(f"<audio {verb.url}>")
            self._say(f"caller hears audio: {verb.url}")
        elif isinstance(verb, PlayDigits):
            self.transcript.heard.append(f"<tones {verb.digits}>")
            self._say(f"caller hears tones: {verb.digits}")
        elif isinstance(verb, Pause):
            self._say(f"  (pause {verb.length}s)")
        elif isinstance(verb, Message):
            self.transcript.received.append(verb.body)
            self._say(f"contact receives: {verb.body}")
        elif isinstance(verb, Record):
            self._say("  (recording after the beep)")
        elif isinstance(verb, Dial):
            targets = ", ".join(f"{t.kind}:{t.value}" for t in verb.targets)
            self._say(f"  (dialing {targets})")
        elif isinstance(verb, Enqueue):
            self._say(f"  (into queue '{verb.queue}', priority {verb.priority}, "
                      f"attributes {json.dumps(verb.attributes, sort_keys=True)})")
        elif isinstance(verb, Redirect):
            self._say(f"  (redirected to {verb.url})")
        elif isinstance(verb, Hangup):
            self._say("  (hang up)")
        elif isinstance(verb, Reject):
            self._say(f"  (call rejected: {verb.reason})")

    def _effect(self, effect: Any) -> None:
        if isinstance(effect, SendMessage):
            self.transcript.received.append(effect.body)
            self._say(f"{effect.to} receives: {effect.body}")
        elif isinstance(effect, VoicemailRecorded):
            self._say(f"  (voicemail saved: {effect.duration}s)")
        elif isinstance(effect, HandOffToTenant):
            self._say(f"  (handed off to tenant {effect.tenant_id})")
        elif isinstance(effect, MakeOutgoingCall):
            self._say(f"  (calling {effect.to} from {effect.from_})")
        elif isinstance(effect, ExecutionEnded):
            self._say(f"  (flow ended: {effect.reason})")

    # -- playing the carrier ----------------------------------------------------------

    def run(self, trigger: str, inputs: Sequence[tuple[str, str]],
            data: Mapping[str, Any] | None = None) -> Transcript:
        queue = list(inputs)
        result = self.engine.start(self.flow, self._trigger(trigger, queue, data), self.env,
                                   flow_id="FWsimulated", revision=1)
        self._record(result)
        while result.status == "waiting" and self.transcript.webhooks < self.max_webhooks:
            following = self._continue(result, queue)
            if following is None:
                break
            result = following
            self._record(result)
        return self.transcript

    def _trigger(self, kind: str, queue: list[tuple[str, str]],
                 data: Mapping[str, Any] | None) -> Trigger:
        if kind == "call":
            return Trigger("incomingCall", {"CallSid": "CAsimulated", "From": CALLER,
                                            "To": NUMBER, "CallStatus": "ringing",
                                            "Direction": "inbound"})
        if kind in ("sms", "whatsapp"):
            prefix = "whatsapp:" if kind == "whatsapp" else ""
            body = queue.pop(0)[1] if queue and queue[0][0] == "sms" else "Hi"
            self._say(f"contact sends: {body}")
            return Trigger("incomingMessage", {"MessageSid": "SMsimulated", "Body": body,
                                               "From": prefix + CALLER, "To": prefix + NUMBER})
        return Trigger("incomingRequest", {"From": NUMBER, "To": CALLER,
                                           "Parameters": json.dumps(dict(data or {}))})

    def _take(self, queue: list[tuple[str, str]], *kinds: str) -> tuple[str, str] | None:
        if queue and queue[0][0] in kinds:
            return queue.pop(0)
        return None

    def _continue(self, result: StepResult,
                  queue: list[tuple[str, str]]) -> StepResult | None:
        context = result.context
        widget = context.waiting_on or ""
        waiting = next((v for v in reversed(result.verbs)
                        if getattr(v, "resume", None) == widget), None)
        effect = next((e for e in reversed(result.effects)
                       if isinstance(e, MakeOutgoingCall)), None)

        def resume(params: Mapping[str, str]) -> StepResult:
            return self.engine.resume(self.flow, context, widget, params, self.env)

        if self._take(queue, "hangup"):
            self._say("caller hangs up")
            if not isinstance(waiting, Record | Dial | Enqueue):
                self.transcript.status = "hung-up"
                return None
            return resume({"CallStatus": "completed", "Digits": "hangup",
                           "DialCallStatus": "completed", "QueueResult": "hangup"})
        if isinstance(waiting, Gather):
            given = self._take(queue, "digits", "speech")
            if given is None:
                self._say("caller says nothing")
                return resume({})
            if given[0] == "digits":
                self._say(f"caller presses {given[1]}")
                return resume({"Digits": given[1]})
            self._say(f"caller says: {given[1]}")
            return resume({"SpeechResult": given[1], "Confidence": "0.9"})
        if isinstance(waiting, Record):
            given = self._take(queue, "record")
            seconds = int(float(given[1])) if given else 10
            self._say(f"caller records {seconds}s" if seconds else "caller records silence")
            params = {"RecordingUrl": "https://sim.invalid/recordings/REsimulated",
                      "RecordingDuration": str(seconds), "RecordingSid": "REsimulated"}
            return resume(params if seconds else {"RecordingDuration": "0"})
        if isinstance(waiting, Dial):
            given = self._take(queue, "dial")
            status = given[1] if given else "completed"
            self._say(f"dialed party: {status}")
            return resume({"DialCallStatus": status, "CallStatus": "in-progress"})
        if isinstance(waiting, Enqueue):
            self._tasks += 1
            given = self._take(queue, "queue")
            outcome = given[1] if given else "bridged"
            self._say(f"queue result: {outcome}")
            return resume({"QueueResult": outcome, "QueueTime": "30",
                           "QueueSid": f"QUsimulated{self._tasks}"})
        if isinstance(waiting, Redirect):
            given = self._take(queue, "redirect")
            return resume({"FlowEvent": given[1] if given else "return"})
        if effect is not None and effect.resume == widget:
            given = self._take(queue, "call")
            status = given[1] if given else "in-progress"
            self._say(f"outgoing call: {status}")
            return resume({"CallStatus": status, "CallSid": "CAoutgoing"})
        given = self._take(queue, "sms")
        if given is not None:
            self._say(f"contact sends: {given[1]}")
            prefix = "whatsapp:" if context.channel == "whatsapp" else ""
            return resume({"Body": given[1], "From": prefix + CALLER, "To": prefix + NUMBER,
                           "MessageSid": "SMreply"})
        if context.deadline is not None:
            self.clock.now = context.deadline + 1
            self._say("no reply before the timeout")
            return self.engine.expire(self.flow, context, self.env)
        self._say(f"nothing to resume '{widget}' with; stopping")
        return None
