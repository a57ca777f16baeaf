"""The flow engine: runs a Studio flow across webhooks, one step per webhook.

A step starts at the trigger (``start``), at a waiting widget the carrier called back
for (``resume``) or at a send-and-wait-for-reply whose deadline passed (``expire``). It
runs widgets until one needs the carrier or the contact (status ``waiting``) or the flow
ends (status ``ended``). The engine never raises for anything a flow or a caller does:
a runaway loop stops after ``max_steps`` with a polite goodbye.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from chalicelib.domain.flows.context import ExecutionContext, channel_of, conversation_id
from chalicelib.domain.flows.model import Flow, State
from chalicelib.domain.flows.ports import HttpFailure, HttpPort, HttpResponse
from chalicelib.domain.flows.runtime import END, WAIT, FlowEnvironment, Outcome, Run, Taken
from chalicelib.domain.flows.verbs import (
    Effect,
    Enqueue,
    ExecutionEnded,
    HandOffToTenant,
    Hangup,
    Message,
    Redirect,
    Reject,
    Say,
    Verb,
    Visit,
)
from chalicelib.domain.flows.widgets import HANDLERS, TRIGGER, UNSUPPORTED

__all__ = ["FlowEngine", "FlowEnvironment", "HttpFailure", "HttpPort", "HttpResponse",
           "StepResult", "Trigger", "Visit"]

APOLOGY = "We're sorry, we could not complete your call. Goodbye."
MESSAGE_APOLOGY = "Sorry, something went wrong. Please try again later."
_FINAL_VERBS = (Hangup, Reject, Enqueue)


@dataclass(frozen=True)
class Trigger:
    """What started the execution; ``params`` are Twilio's webhook form fields."""

    kind: str  # "incomingCall" | "incomingMessage" | "incomingRequest"
    params: Mapping[str, str]
    channel: str | None = None  # for incomingRequest: the channel it will use


@dataclass
class StepResult:
    verbs: list[Verb]
    effects: list[Effect]
    context: ExecutionContext
    status: str  # "waiting" | "ended"
    trail: list[Visit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, Exception]] = field(default_factory=list)  # widget, error

    @property
    def waiting_on(self) -> str | None:
        return self.context.waiting_on


def _trigger_scope(trigger: Trigger) -> dict[str, Any]:
    params = dict(trigger.params)
    if trigger.kind == "incomingCall":
        return {"call": params}
    if trigger.kind == "incomingMessage":
        return {"message": params}
    return {"request": params}


def _addresses(trigger: Trigger) -> tuple[str, str]:
    """(flow.channel.address, contact.channel.address) as Studio sets them."""
    params = trigger.params
    if trigger.kind == "incomingRequest":
        return params.get("From", ""), params.get("To", "")
    return params.get("To", ""), params.get("From", "")


def _request_data(params: Mapping[str, str]) -> dict[str, Any]:
    import json

    raw = params.get("Parameters") or params.get("parameters")
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class FlowEngine:
    def __init__(self, http: HttpPort, clock: Callable[[], float] = time.time,
                 max_steps: int = 64, http_budget_seconds: float = 8.0) -> None:
        self.http = http
        self.clock = clock
        self.max_steps = max_steps
        self.http_budget_seconds = http_budget_seconds

    # -- public entry points ----------------------------------------------------------

    def start(self, flow: Flow, trigger: Trigger, env: FlowEnvironment, *, flow_id: str,
              revision: int, execution_id: str | None = None) -> StepResult:
        flow_address, contact_address = _addresses(trigger)
        if trigger.kind == "incomingCall":
            channel = "voice"
            default_id = trigger.params.get("CallSid", "")
        elif trigger.kind == "incomingMessage":
            channel = channel_of(contact_address)
            default_id = conversation_id(contact_address, flow_address)
        else:
            channel = trigger.channel or channel_of(contact_address)
            default_id = trigger.params.get("ExecutionSid") or conversation_id(
                contact_address, flow_address)
        context = ExecutionContext(
            execution_id=execution_id or default_id or f"ex:{self.clock():.6f}",
            flow_id=flow_id, revision=revision, channel=channel,
            trigger=_trigger_scope(trigger),
            data=_request_data(trigger.params) if trigger.kind == "incomingRequest" else {},
            flow_address=flow_address, contact_address=contact_address,
            started_at=self.clock())
        run = self._run(flow, context, env, can_reply=trigger.kind == "incomingMessage")
        first = flow.state(flow.initial_state)
        if first.type == TRIGGER:
            run.trail.append(Visit(first.name, first.type, trigger.kind))
            context.steps += 1
            return self._advance(run, first.next_for(trigger.kind))
        return self._advance(run, first.name)

    def resume(self, flow: Flow, context: ExecutionContext, widget: str,
               params: Mapping[str, str], env: FlowEnvironment) -> StepResult:
        context = context.copy()
        messaging = context.channel in ("sms", "whatsapp")
        run = self._run(flow, context, env, can_reply=messaging and "Body" in params)
        if context.status == "ended":
            run.warnings.append(f"the execution has ended; '{widget}' was not resumed")
            return self._finish(run, "already-ended", None)
        if context.waiting_on != widget or not flow.has_state(widget):
            run.warnings.append(
                f"'{widget}' is not what the execution waits on ({context.waiting_on!r})")
            return self._result(run)
        state = flow.state(widget)
        handler = HANDLERS.get(state.type)
        if handler is None or handler.resume is None:
            run.warnings.append(f"widget '{widget}' ({state.type}) cannot be resumed")
            return self._finish(run, "error", widget)
        on_resume = handler.resume
        context.waiting_on = None
        context.status = "running"
        return self._follow(run, state, self._safely(run, state,
                                                     lambda: on_resume(state, run, params)))

    def expire(self, flow: Flow, context: ExecutionContext,
               env: FlowEnvironment) -> StepResult:
        context = context.copy()
        run = self._run(flow, context, env, can_reply=False)
        widget = context.waiting_on
        if (context.status == "ended" or widget is None or context.deadline is None
                or self.clock() < context.deadline or not flow.has_state(widget)):
            return self._result(run)
        state = flow.state(widget)
        handler = HANDLERS.get(state.type)
        if handler is None or handler.expire is None:
            return self._result(run)
        on_expire = handler.expire
        context.waiting_on = None
        context.status = "running"
        return self._follow(run, state, self._safely(run, state,
                                                     lambda: on_expire(state, run)))

    # -- the step loop ----------------------------------------------------------------

    def _run(self, flow: Flow, context: ExecutionContext, env: FlowEnvironment,
             can_reply: bool) -> Run:
        return Run(flow=flow, context=context, env=env, http=self.http, clock=self.clock,
                   http_deadline=self.clock() + self.http_budget_seconds,
                   can_reply=can_reply)

    def _safely(self, run: Run, state: State, action: Callable[[], Outcome]) -> Outcome:
        """Run one widget; a defect in it ends the flow politely instead of the call."""
        try:
            return action()
        except Exception as exc:  # the caller must never hear an application error
            run.warnings.append(f"widget '{state.name}' failed: {type(exc).__name__}: {exc}")
            run.failures.append((state.name, exc))
            return END

    def _follow(self, run: Run, state: State, outcome: Outcome) -> StepResult:
        if outcome is WAIT:
            run.trail.append(Visit(state.name, state.type, None))
            run.context.waiting_on = state.name
            run.context.status = "waiting"
            return self._result(run)
        if outcome is END:
            run.trail.append(Visit(state.name, state.type, "end"))
            return self._finish(run, "completed", state.name)
        if isinstance(outcome, Taken):
            run.trail.append(Visit(state.name, state.type, outcome.event))
            return self._advance(run, outcome.next)
        event = str(outcome)
        run.trail.append(Visit(state.name, state.type, event))
        return self._advance(run, state.next_for(event))

    def _advance(self, run: Run, name: str | None) -> StepResult:
        steps = 0
        while name is not None:
            if steps >= self.max_steps:
                return self._runaway(run, name)
            steps += 1
            run.context.steps += 1
            if not run.flow.has_state(name):
                run.warnings.append(f"transition to unknown state '{name}'")
                return self._finish(run, "error", name)
            state = run.flow.state(name)
            handler = HANDLERS.get(state.type)
            if handler is None:
                reason = UNSUPPORTED.get(state.type, "unknown widget type")
                run.trail.append(Visit(state.name, state.type, "unsupported"))
                run.warnings.append(f"widget '{state.name}' ({state.type}): {reason}")
                return self._finish(run, "unsupported", state.name)
            outcome = self._safely(run, state, partial(handler.enter, state, run))
            if outcome is WAIT or outcome is END:
                return self._follow(run, state, outcome)
            if isinstance(outcome, Taken):
                run.trail.append(Visit(state.name, state.type, outcome.event))
                name = outcome.next
            else:
                run.trail.append(Visit(state.name, state.type, str(outcome)))
                name = state.next_for(str(outcome))
        return self._finish(run, "completed", None)

    def _runaway(self, run: Run, name: str) -> StepResult:
        run.warnings.append(
            f"stopped after {self.max_steps} widgets without input (at '{name}')")
        if run.voice:
            run.verbs.append(Say(APOLOGY))
            run.verbs.append(Hangup())
        elif run.can_reply:
            run.verbs.append(Message(MESSAGE_APOLOGY))
        return self._finish(run, "max-steps", name)

    def _finish(self, run: Run, reason: str, widget: str | None) -> StepResult:
        context = run.context
        context.status = "ended"
        context.waiting_on = None
        context.deadline = None
        handed_off = any(isinstance(e, HandOffToTenant) for e in run.effects)
        last = run.verbs[-1] if run.verbs else None
        final = isinstance(last, _FINAL_VERBS) or (
            isinstance(last, Redirect) and last.resume is None)
        if run.voice and not final and not handed_off:
            run.verbs.append(Hangup())
        run.effects.append(ExecutionEnded(reason, widget))
        return self._result(run)

    def _result(self, run: Run) -> StepResult:
        status = "ended" if run.context.status == "ended" else "waiting"
        return StepResult(verbs=run.verbs, effects=run.effects, context=run.context,
                          status=status, trail=run.trail, warnings=run.warnings,
                          failures=run.failures)
