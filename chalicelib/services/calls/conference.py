"""Legs in and out of a task's conference: the agent answering, the caller moved in from
the queue, an outbound customer or consulted number answering or hanging up, and the
agent's leg ending.

Inbound: the agent's browser answers; its TwiML is ``<Dial><Conference>`` named for the
task (endConferenceOnExit=false, so transfers can take the agent out), and the waiting
caller is redirected out of its ``<Enqueue>`` (REST Calls update) into the same
conference (endConferenceOnExit=true: the call ends when the customer leaves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from chalicelib.domain.calls import state as calls
from chalicelib.domain.calls.state import CallPhase, CallState, TransferMode
from chalicelib.domain.errors import Conflict, HotlineError
from chalicelib.domain.routing import callflow as cf
from chalicelib.domain.routing.model import Task, TaskKind, TaskStatus
from chalicelib.services.calls.base import CallContext, state_of
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.calls.conference")

FINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
UNREACHED = frozenset({"busy", "no-answer", "failed", "canceled"})
TRANSFER_CANCELED = "The transfer was cancelled."
NOT_CONNECTED = "Sorry, we cannot connect you right now. Goodbye."
OUTBOUND_FAILED = "We could not place the call."
DEVICE_CALL = "To place a call, use the dialpad in the Hotline desktop. Goodbye."

Render = Callable[[Sequence[cf.Instruction]], str]


def agent_dial(conference: str) -> list[cf.Instruction]:
    return [cf.DialConference(conference, start_on_enter=True, end_on_exit=False,
                              label="agent")]


class ConferenceLegs:
    def __init__(self, ctx: CallContext, render: Render) -> None:
        self.ctx = ctx
        self.render = render

    # --- the agent answers (from queue_calls.agent_connect) -------------------------
    def agent_answered(self, task: Task, agent_id: str,
                       agent_sid: str | None) -> list[cf.Instruction]:
        if task.attributes.get("transfer_conference"):
            return self._transfer_arrived(task, agent_sid)
        if task.attributes.get("direction") == "outbound":
            return self._outbound(task, agent_sid)
        return self._inbound(task, agent_sid)

    def callback_answered(self, task: Task, agent_sid: str | None) -> list[cf.Instruction]:
        """A callback's agent answered: the conference state starts (the customer is
        called into it next); no TwiML of its own."""
        self.ctx.save(task.tenant_id, task.task_id, lambda s: replace(calls.connect(
            s, agent_sid=agent_sid, customer_sid=task.customer_call_sid), direction="outbound"),
            create=task.task_id, known=task)
        return []

    def _inbound(self, task: Task, agent_sid: str | None) -> list[cf.Instruction]:
        tenant_id = task.tenant_id
        self.ctx.save(tenant_id, task.task_id, lambda s: calls.connect(
            s, agent_sid=agent_sid, customer_sid=task.call_sid), create=task.task_id,
            known=task)
        if not task.call_sid:
            return [cf.Say(cf.CALLER_GONE), cf.Hangup()]
        try:
            self.ctx.carrier.redirect_call(tenant_id, task.call_sid,
                                           self.ctx.urls.customer_join(tenant_id, task.task_id))
        except HotlineError as exc:
            log.info("caller of %s could not join: %s", task.task_id, exc.message)
            return [cf.Say(cf.CALLER_GONE), cf.Hangup()]
        return agent_dial(task.task_id)

    def _transfer_arrived(self, task: Task, agent_sid: str | None) -> list[cf.Instruction]:
        attrs = task.attributes
        conference = str(attrs["transfer_conference"])
        customer_sid = str(attrs.get("transfer_customer_sid") or "") or None
        origin = dict(attrs.get("transfer_from") or {})
        if self.ctx.carrier.conference_sid(task.tenant_id, conference) is None:
            return [cf.Say(cf.CALLER_GONE), cf.Hangup()]  # the caller left meanwhile
        if origin.get("mode") == TransferMode.WARM.value and origin.get("task_id"):
            try:
                self.ctx.save(task.tenant_id, str(origin["task_id"]), calls.consulting)
            except Conflict:
                return [cf.Say(TRANSFER_CANCELED), cf.Hangup()]
        saved = self.ctx.save(task.tenant_id, task.task_id, lambda s: calls.connect(
            s, agent_sid=agent_sid, customer_sid=customer_sid), create=conference, known=task)
        state = state_of(saved)
        if origin.get("mode") != TransferMode.WARM.value and state is not None:
            try:
                self.ctx.set_hold(saved, state, False)
            except HotlineError as exc:
                log.info("caller of %s not taken off hold: %s", task.task_id, exc.message)
        return agent_dial(conference)

    def _outbound(self, task: Task, agent_sid: str | None) -> list[cf.Instruction]:
        tenant_id = task.tenant_id
        self.ctx.save(tenant_id, task.task_id, lambda s: replace(calls.connect(
            s, agent_sid=agent_sid, customer_sid=None), direction="outbound"),
            create=task.task_id, known=task)
        try:
            customer = self.ctx.carrier.add_participant(
                tenant_id, task.task_id, from_=self.ctx.caller_id(tenant_id, task),
                to=str(task.caller), label="customer", end_conference_on_exit=True,
                status_callback=self.ctx.urls.participant_status(tenant_id, task.task_id,
                                                                 "customer"))
        except HotlineError as exc:
            log.warning("outbound call for %s failed: %s", task.task_id, exc.message)
            return [cf.Say(OUTBOUND_FAILED), cf.Hangup()]
        self.ctx.save(tenant_id, task.task_id, lambda s: replace(s, customer_sid=customer))
        return agent_dial(task.task_id)

    # --- the agent's leg ended (from queue_calls.agent_status) ----------------------
    def agent_left(self, task: Task) -> None:
        """The agent's leg is over. If they did not leave on purpose (a transfer, the
        hang-up button), the call ends for everyone: nobody is left to serve the caller,
        except a warm transfer's consulted party, who then takes the call."""
        state = state_of(task)
        if state is None or state.phase is CallPhase.ENDED:
            return
        state = self.ctx.filled(task, state)
        now = self.ctx.now()
        transfer = state.transfer
        handed_over = transfer is not None and transfer.state == "consulting"
        over = calls.end(state, now)
        try:
            self.ctx.save(task.tenant_id, task.task_id, lambda s: calls.end(s, now), known=task)
        except HotlineError as exc:
            log.info("could not close the call state of %s: %s", task.task_id, exc.message)
        if handed_over:
            self._hand_over(task, state)
        elif self._consult_ended(task):
            log.info("the consulted agent of %s left; the caller is back", task.task_id)
        else:
            if transfer is not None:
                self.withdraw_transfer(task, transfer.task_id, transfer.call_sid)
            self.ctx.end_quietly(task.tenant_id, state.customer_sid)
        self.ctx.end_quietly(task.tenant_id, state.monitor.call_sid if state.monitor else None)
        self.ctx.record_holds(task, over)

    def _consult_ended(self, task: Task) -> bool:
        """The agent consulted in a warm transfer left before it completed: the caller
        goes back to the first agent (their transfer ends), and stays on the call."""
        origin = dict(task.attributes.get("transfer_from") or {})
        if origin.get("mode") != TransferMode.WARM.value or not origin.get("task_id"):
            return False
        first = self.ctx.routing.store.get_task(task.tenant_id, str(origin["task_id"]))
        state = state_of(first) if first is not None else None
        if first is None or state is None or first.status is not TaskStatus.ASSIGNED \
                or state.transfer is None or state.transfer.task_id != task.task_id:
            return False
        now = self.ctx.now()
        self._hand_over(first, self.ctx.filled(first, state))
        self.ctx.save(task.tenant_id, first.task_id, lambda s: calls.cancel_transfer(s, now)
                      if s.transfer and s.transfer.task_id == task.task_id else s)
        return True

    def _hand_over(self, task: Task, state: CallState) -> None:
        try:
            self.ctx.set_hold(task, state, False)
        except HotlineError as exc:
            log.info("caller of %s not taken off hold: %s", task.task_id, exc.message)

    def withdraw_transfer(self, task: Task, task_id: str | None, call_sid: str | None) -> None:
        """A transfer that will not happen: its new task is canceled (or its agent's leg
        ended), or the consulted number hung up on."""
        self.ctx.end_quietly(task.tenant_id, call_sid)
        if not task_id:
            return
        other = self.ctx.routing.store.get_task(task.tenant_id, task_id)
        if other is None:
            return
        if other.status in (TaskStatus.PENDING, TaskStatus.RESERVED):
            self.ctx.routing.cancel_waiting(task.tenant_id, task_id, "transfer-canceled")
        elif other.status is TaskStatus.ASSIGNED:
            other_state = state_of(other)
            if other_state is not None:
                self.ctx.save(task.tenant_id, task_id, lambda s: calls.end(s, self.ctx.now()))
            self.ctx.end_quietly(task.tenant_id, other.agent_call_sid)

    # --- Twilio callbacks ----------------------------------------------------------------
    def _task(self, hook: Webhook) -> Task | None:
        tenant_id = hook.query.get("t", "")
        if hook.tenant is not None and hook.tenant.tenant_id != tenant_id:
            return None
        return self.ctx.routing.store.get_task(tenant_id, hook.query.get("task", ""))

    def customer_join(self, hook: Webhook) -> str:
        """The caller, redirected out of the queue: into the task's conference."""
        task = self._task(hook)
        state = state_of(task) if task is not None else None
        if task is None or task.status is not TaskStatus.ASSIGNED or state is None:
            return self.render([cf.Say(NOT_CONNECTED), cf.Hangup()])
        return self.render([cf.DialConference(state.conference, start_on_enter=True,
                                              end_on_exit=True, label="customer")])

    def digits(self, hook: Webhook) -> str:
        """An announcement's TwiML: the keypad's digits as tones."""
        raw = hook.query.get("d", "")
        try:
            return self.render([cf.PlayDigits(calls.check_digits(raw))])
        except HotlineError:
            return self.render([])

    def device_call(self, hook: Webhook) -> str:
        """The TwiML App's voice URL: Hotline rings the Device for every call it places
        (outbound calls start from the dialpad, ``POST /api/calls``), so a call the
        browser starts by itself is told so politely."""
        return self.render([cf.Say(DEVICE_CALL), cf.Hangup()])

    def participant_status(self, hook: Webhook) -> str:
        """A participant Hotline called in (outbound customer, consulted number,
        supervisor) answered or ended."""
        task = self._task(hook)
        status = hook.params.get("CallStatus", "")
        call_sid = hook.params.get("CallSid", "")
        role = hook.query.get("role", "")
        if task is None or not call_sid:
            return self.render([])
        if role == "customer":
            self._customer_status(task, call_sid, status, hook.params.get("CallDuration", ""))
        elif role == "transfer":
            self._consulted_status(task, call_sid, status)
        elif role == "monitor" and status in FINAL:
            self._monitor_ended(task, call_sid)
        return self.render([])

    def _customer_status(self, task: Task, call_sid: str, status: str, duration: str) -> None:
        interaction = task.interaction_id
        tenant_id = task.tenant_id
        if status == "in-progress" and interaction and task.assigned_agent:
            agent = task.assigned_agent
            self.ctx.routing.record("outbound answered", lambda: self.ctx.crm.record_answered(
                tenant_id, interaction, agent))
        if status not in FINAL:
            return
        if interaction:
            seconds = int(duration) if duration.isdigit() else None
            self.ctx.routing.record("outbound ended", lambda: self.ctx.crm.record_ended(
                tenant_id, interaction, status, seconds))
        if status in UNREACHED and task.status is TaskStatus.ASSIGNED:
            self.ctx.end_quietly(tenant_id, task.agent_call_sid)

    def _consulted_status(self, task: Task, call_sid: str, status: str) -> None:
        state = state_of(task)
        transfer = state.transfer if state else None
        if state is None or transfer is None or transfer.call_sid != call_sid:
            return
        state = self.ctx.filled(task, state)
        if status == "in-progress":
            if transfer.mode is TransferMode.WARM:
                self.ctx.save(task.tenant_id, task.task_id, calls.consulting)
            else:
                self._hand_over(task, state)  # cold: the number takes the caller
            return
        if status not in FINAL:
            return
        if state.phase is CallPhase.ENDED:
            if status in UNREACHED:  # a cold transfer nobody answered: end politely
                self.ctx.end_quietly(task.tenant_id, state.customer_sid)
            return
        now = self.ctx.now()
        self._hand_over(task, state)
        self.ctx.save(task.tenant_id, task.task_id, lambda s: calls.cancel_transfer(s, now)
                      if s.transfer and s.transfer.call_sid == call_sid else s)

    def _monitor_ended(self, task: Task, call_sid: str) -> None:
        state = state_of(task)
        if state is None or state.monitor is None or state.monitor.call_sid != call_sid:
            return
        supervisor = state.monitor.supervisor_id
        if task.status is TaskStatus.ASSIGNED:
            self.ctx.save(task.tenant_id, task.task_id, lambda s: calls.stop_monitor(
                s, supervisor) if s.monitor and s.monitor.call_sid == call_sid else s)

    def never_connected(self, task: Task, status: str) -> None:
        """An outbound call whose agent leg never came up is over before it began."""
        if task.interaction_id:
            interaction = task.interaction_id
            self.ctx.routing.record("outbound canceled", lambda: self.ctx.crm.record_ended(
                task.tenant_id, interaction, status, 0))
        if task.assigned_agent and task.status is TaskStatus.ASSIGNED:
            self.ctx.routing.complete(task.tenant_id, task.task_id, task.assigned_agent,
                                      recorded=True)

    def is_outbound(self, task: Task) -> bool:
        return task.kind is TaskKind.CALL and task.attributes.get("direction") == "outbound"
