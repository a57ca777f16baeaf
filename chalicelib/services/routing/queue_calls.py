"""The queue's carrier callbacks: the waiting caller, the agent's leg, callbacks, voicemail.

Each handler takes a verified ``Webhook`` and returns TwiML. The caller waits alone in a
Twilio queue named after their task, so Twilio's FIFO never decides who is served: the
DynamoDB queue does, and an agent's ``<Dial><Queue>`` bridges that exact caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Protocol

from chalicelib.domain.errors import Conflict, Forbidden, HotlineError, InvalidInput, NotFound
from chalicelib.domain.routing import callflow as cf
from chalicelib.domain.routing import lifecycle
from chalicelib.domain.routing.estimates import (
    WaitEstimate,
    average_handle_seconds,
    expected_wait_seconds,
)
from chalicelib.domain.routing.expressions import parse
from chalicelib.domain.routing.model import (
    WAITING_STATUSES,
    Activity,
    QueueConfig,
    Reservation,
    ReservationStatus,
    Task,
    TaskKind,
    TaskStatus,
    task_of_reservation,
)
from chalicelib.services.routing.desk import AgentDesk
from chalicelib.services.routing.matcher import end_quietly
from chalicelib.services.routing.ports import Directory, RoutingUrls
from chalicelib.services.routing.service import RoutingService
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.routing.calls")

FINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
UNREACHED = frozenset({"busy", "no-answer", "failed", "canceled"})
CALLBACK_RETRY_SECONDS = 300.0
CALLBACK_ATTEMPTS = 3
AHEAD_CAP = 50

Render = Callable[[Sequence[cf.Instruction]], str]


class FlowResumer(Protocol):
    def resume_flow(self, tenant_id: str, call_sid: str, widget: str,
                    params: Mapping[str, str], key: str) -> str: ...


class AgentCalls(Protocol):
    """The agent's conference (``services/calls``): joining, leaving, outbound calls."""

    def agent_answered(self, task: Task, agent_id: str,
                       agent_sid: str | None) -> list[cf.Instruction]: ...
    def agent_left(self, task: Task) -> None: ...
    def callback_answered(self, task: Task, agent_sid: str | None) -> list[cf.Instruction]: ...
    def is_outbound(self, task: Task) -> bool: ...
    def never_connected(self, task: Task, status: str) -> None: ...


class QueueCallService:
    def __init__(self, routing: RoutingService, desk: AgentDesk, directory: Directory,
                 urls: RoutingUrls, render: Render, flows: Callable[[], FlowResumer], *,
                 hold_music: str = cf.DEFAULT_HOLD_MUSIC,
                 conference: Callable[[], AgentCalls] | None = None) -> None:
        self.conference = conference
        self.routing = routing
        self.desk = desk
        self.directory = directory
        self.urls = urls
        self.render = render
        self.flows = flows
        self.hold_music = hold_music

    # --- finding the tenant and the task --------------------------------------------
    def _tenants(self, hook: Webhook) -> list[str]:
        """Whose task this is: the signed URL's ``t``, the signing account's tenant, or
        the owner of the dialled number. A task always lives in the account whose number
        the caller reached: a shared number forwards each caller to the business's own
        number (docs/shared-numbers.md), so no task crosses accounts."""
        named = hook.query.get("t", "")
        if hook.tenant is not None:
            own = hook.tenant.tenant_id
            if named and named != own:
                raise Forbidden("that task belongs to another business")
            return [own]
        if named:
            return [named]
        tenants: list[str] = []
        for field in ("To", "From"):
            number = self.directory.number(hook.params.get(field, ""))
            if number is not None:
                tenants.append(number.tenant_id)
        return list(dict.fromkeys(tenants))

    def _task(self, hook: Webhook) -> Task | None:
        task_id = hook.query.get("task", "")
        if not task_id:
            raise InvalidInput("the callback names no task", path="task")
        for tenant_id in self._tenants(hook):
            task = self.routing.store.get_task(tenant_id, task_id)
            if task is not None:
                return task
        return None

    def _reservation(self, hook: Webhook) -> tuple[Task, Reservation]:
        reservation_id = hook.query.get("r", "")
        task_id = task_of_reservation(reservation_id)
        for tenant_id in self._tenants(hook):
            task = self.routing.store.get_task(tenant_id, task_id)
            reservation = task.reservation(reservation_id) if task else None
            if task is not None and reservation is not None:
                return task, reservation
        raise NotFound(f"reservation {reservation_id} not found")

    def _queue(self, task: Task) -> QueueConfig:
        config = self.routing.config.get(task.tenant_id)
        try:
            return config.queue(task.queue)
        except NotFound:
            return config.queue(task.entry_queue)

    # --- the waiting caller ---------------------------------------------------------
    def wait(self, hook: Webhook) -> str:
        """waitUrl: position and expected wait, hold audio, and the keypress menu."""
        task = self._task(hook)
        if task is None or task.kind is not TaskKind.CALL or not task.is_active:
            return self.render([cf.Leave()])
        queue = self._queue(task)
        music = queue.hold_music_url or self.hold_music
        if task.status not in WAITING_STATUSES:
            return self.render([cf.Say(cf.ALREADY_ANSWERING), cf.Play(music)])
        now = self.routing.clock()
        if now - task.enqueued_at >= (task.max_wait_seconds or queue.max_wait_seconds):
            return self._leave_for_voicemail(task, cf.MAX_WAIT_REACHED)
        said = [cf.Say(queue.wait_message)] if queue.wait_message else []
        if queue.announce_position:
            said.append(cf.Say(self.estimate(task, queue, now).announcement()))
        return self.render([cf.GatherDigit(
            action=self.urls.choice(task.tenant_id, task.task_id),
            prompts=(*said, cf.Say(cf.MENU), cf.Play(music)))])

    def estimate(self, task: Task, queue: QueueConfig, now: float) -> WaitEstimate:
        store = self.routing.store
        ahead, capped = store.count_ahead(task, AHEAD_CAP)
        handle = average_handle_seconds(
            self.routing.config.store.handle_times(task.tenant_id, queue.name, now))
        rule = parse(queue.worker_expression)
        staffed = sum(1 for a in store.list_agents(task.tenant_id)
                      if a.activity is Activity.AVAILABLE and a.capacity.get(task.channel, 0)
                      and rule.matches(worker=a.scope(), task=task.scope()))
        return WaitEstimate(position=ahead + 1, position_capped=capped,
                            expected_seconds=expected_wait_seconds(ahead + 1, handle, staffed))

    def _leave_for_voicemail(self, task: Task, text: str) -> str:
        left = self.routing.cancel_waiting(task.tenant_id, task.task_id, "voicemail",
                                           leave_reason="voicemail")
        if left is None or left.status is not TaskStatus.CANCELED:
            return self.render([cf.Say(cf.ALREADY_ANSWERING)])
        return self.render([cf.Say(text), cf.Leave()])

    def choice(self, hook: Webhook) -> str:
        """The waiting caller pressed a key: 1 for a callback, 2 for voicemail."""
        task = self._task(hook)
        if task is None or task.kind is not TaskKind.CALL or not task.is_active:
            return self.render([cf.Leave()])
        digits = hook.params.get("Digits", "")
        if digits == cf.CALLBACK_KEY:
            try:
                kept = self.routing.update_task(task.tenant_id, task.task_id,
                                                lifecycle.request_callback)
            except Conflict:
                return self.render([cf.Say(cf.ALREADY_ANSWERING)])
            if kept is not None and kept.interaction_id:
                self.routing.record("callback requested", lambda: self.routing.crm.record_outcome(
                    task.tenant_id, str(kept.interaction_id), "callback-requested"))
            return self.render([cf.Say(cf.CALLBACK_CONFIRMED), cf.Leave()])
        if digits == cf.VOICEMAIL_KEY:
            return self._leave_for_voicemail(task, "")
        return self.render([cf.Say("Sorry, that is not one of the choices.")])

    def result(self, hook: Webhook) -> str:
        """The Enqueue action: the caller left the queue (QueueResult says how)."""
        outcome = hook.params.get("QueueResult", "")
        task = self._task(hook)
        if outcome == "hangup":
            if task is not None:
                self.routing.abandon(task.tenant_id, task.task_id)
            return self.render([cf.Hangup()])
        if task is not None and outcome == "leave" and task.leave_reason == "callback":
            return self.render([cf.Say(cf.CALLBACK_GOODBYE), cf.Hangup()])
        if task is not None and outcome == "leave" and task.leave_reason == "voicemail":
            return self.render([cf.Say(cf.VOICEMAIL_PROMPT),
                                cf.RecordMessage(self.urls.voicemail(task.tenant_id,
                                                                     task.task_id),
                                                 transcribe_callback=self.urls.transcription(
                                                     task.tenant_id)),
                                cf.Say(cf.NO_MESSAGE), cf.Hangup()])
        if task is not None and outcome == "bridged":
            self.routing.start_wrapup(task.tenant_id, task.task_id, known=task)
        elif task is not None and task.status in WAITING_STATUSES:
            self.routing.cancel_waiting(task.tenant_id, task.task_id,
                                        "redirected" if outcome == "redirected" else "failed")
        widget = hook.query.get("w", "")
        tenants = [task.tenant_id] if task else self._tenants(hook)
        if not widget or not tenants:
            return self.render([cf.Hangup()])
        return self.flows().resume_flow(tenants[0], hook.require("CallSid"), widget,
                                        hook.params, hook.idempotency_key)

    def voicemail(self, hook: Webhook) -> str:
        """The Record action: the message becomes a task in the queue."""
        task = self._task(hook)
        url = hook.params.get("RecordingUrl", "")
        duration = hook.params.get("RecordingDuration", "0")
        if task is None or not url or not duration.isdigit() or int(duration) <= 0:
            return self.render([cf.Say(cf.NO_MESSAGE), cf.Hangup()])
        self.routing.enqueue_task(
            tenant_id=task.tenant_id, key=f"{task.call_sid or task.task_id}|voicemail",
            channel="voicemail", kind=TaskKind.VOICEMAIL, queue=task.entry_queue,
            priority=task.base_priority, caller=task.caller,
            attributes={**task.attributes, "recording_url": url,
                        "recording_duration": int(duration), "caller": task.caller},
            business_number=task.business_number, interaction_id=task.interaction_id,
            enqueued_at=task.enqueued_at)
        if task.interaction_id:
            self.routing.record("voicemail", lambda: self.routing.crm.record_outcome(
                task.tenant_id, str(task.interaction_id), "voicemail", recording_url=url))
        return self.render([cf.Say(cf.VOICEMAIL_THANKS), cf.Hangup()])

    # --- the agent's leg ------------------------------------------------------------
    def agent_connect(self, hook: Webhook) -> str:
        """The agent's browser client answered: bridge the caller (or start the callback)."""
        task, reservation = self._reservation(hook)
        agent_id = reservation.agent_id
        if not (reservation.status is ReservationStatus.ACCEPTED
                and task.status is TaskStatus.ASSIGNED and task.assigned_agent == agent_id):
            return self.render([cf.Say(cf.CALLER_GONE), cf.Hangup()])
        now = self.routing.clock()
        call_sid = hook.params.get("CallSid") or task.agent_call_sid

        def connected(current: Task) -> Task | None:
            if current.status is not TaskStatus.ASSIGNED or current.assigned_agent != agent_id:
                return None
            return replace(lifecycle.connect(current, agent_id, now), agent_call_sid=call_sid)

        task = self.routing.update_task(task.tenant_id, task.task_id, connected) or task
        return self.render(self._bridge(task, agent_id, call_sid))

    def _bridge(self, task: Task, agent_id: str,
                agent_sid: str | None = None) -> list[cf.Instruction]:
        """Caller and agent meet in a conference named for the task (Flex's model)."""
        conference = self.conference() if self.conference else None
        if task.kind is TaskKind.CALLBACK:
            steps = self._call_customer(task, agent_id)
            if conference is None:
                return steps
            # the agent's leg does not end the conference (transfers take the agent out)
            return [*conference.callback_answered(task, agent_sid or task.agent_call_sid),
                    *(replace(step, end_on_exit=False, label="agent")
                      if isinstance(step, cf.DialConference) else step for step in steps)]
        outbound_or_transfer = (task.attributes.get("direction") == "outbound"
                                or "transfer_conference" in task.attributes)
        if task.interaction_id and not outbound_or_transfer:
            self.routing.record("answered", lambda: self.routing.crm.record_answered(
                task.tenant_id, str(task.interaction_id), agent_id))
        if conference is None:
            return [cf.DialQueue(task.task_id)]
        return conference.agent_answered(task, agent_id, agent_sid or task.agent_call_sid)

    def _call_customer(self, task: Task, agent_id: str) -> list[cf.Instruction]:
        """A callback: the agent is on the line; now ring the customer into a conference."""
        tenant_id = task.tenant_id
        if not task.customer_call_sid:
            try:
                call_sid = self.routing.telephony.place_call(
                    tenant_id, to=str(task.caller), from_=task.business_number or "",
                    url=self.urls.callback_customer(tenant_id, task.task_id),
                    status_callback=self.urls.callback_status(tenant_id, task.task_id),
                    timeout=30)
            except HotlineError as exc:
                log.warning("could not call back for %s: %s", task.task_id, exc.message)
                self._retry_callback(task, agent_id)
                return [cf.Say("We could not place the call. It stays in the queue."),
                        cf.Hangup()]
            self.routing.update_task(tenant_id, task.task_id, lambda t: replace(
                t, customer_call_sid=call_sid) if t.assigned_agent == agent_id else None)
        return [cf.Say(cf.CALLBACK_AGENT), cf.DialConference(task.task_id)]

    def _retry_callback(self, task: Task, agent_id: str) -> None:
        back = self.routing.requeue(task.tenant_id, task.task_id, agent_id,
                                    retry_after=CALLBACK_RETRY_SECONDS, counts_attempt=True)
        if back is not None and back.attempts >= CALLBACK_ATTEMPTS:
            self.routing.cancel_waiting(task.tenant_id, task.task_id, "callback-failed")

    def agent_status(self, hook: Webhook) -> str:
        """The agent's leg (desktop or mobile) ended."""
        status = hook.params.get("CallStatus", "")
        if status not in FINAL:
            return self.render([])
        task, reservation = self._reservation(hook)
        agent_id = reservation.agent_id
        if reservation.is_pending and reservation.via == "mobile":
            self.routing.decline(task.tenant_id, reservation.reservation_id, agent_id,
                                 ReservationStatus.TIMEOUT)
        elif (reservation.status is ReservationStatus.ACCEPTED
              and task.status is TaskStatus.ASSIGNED and task.assigned_agent == agent_id):
            conference = self.conference() if self.conference else None
            unreached = task.connected_at is None or status in UNREACHED
            if conference is not None and conference.is_outbound(task) and unreached:
                conference.never_connected(task, status)
            elif unreached or (task.kind is TaskKind.CALLBACK and not task.customer_call_sid):
                self.routing.requeue(task.tenant_id, task.task_id, agent_id)
            elif task.kind is TaskKind.CALL:
                if conference is not None:
                    conference.agent_left(task)
                self.routing.start_wrapup(task.tenant_id, task.task_id)
            elif conference is not None:  # a callback: the customer's leg ends, then wrap-up
                conference.agent_left(task)
        return self.render([])

    def whisper(self, hook: Webhook) -> str:
        """A part-timer answered their mobile: the offer, and press 1 to take it."""
        task, reservation = self._reservation(hook)
        if not reservation.is_pending:
            return self.render([cf.Say(cf.TAKEN_BY_OTHER), cf.Hangup()])
        tenant = self.directory.get(task.tenant_id)
        business = tenant.name if tenant else "your business"
        return self.render([
            cf.GatherDigit(action=self.urls.whisper_answer(task.tenant_id,
                                                           reservation.reservation_id),
                           prompts=(cf.Say(cf.whisper(business)),), timeout=8),
            cf.Hangup()])

    def whisper_answer(self, hook: Webhook) -> str:
        task, reservation = self._reservation(hook)
        agent_id = reservation.agent_id
        if hook.params.get("Digits", "") != cf.ACCEPT_KEY:
            if reservation.is_pending:
                self.routing.decline(task.tenant_id, reservation.reservation_id, agent_id,
                                     ReservationStatus.REJECTED)
            return self.render([cf.Hangup()])
        try:
            task = self.desk.settle(task.tenant_id, agent_id, reservation.reservation_id,
                                    call_sid=hook.params.get("CallSid") or None)
        except (Conflict, NotFound):
            return self.render([cf.Say(cf.TAKEN_BY_OTHER), cf.Hangup()])
        return self.render([cf.Say("Connecting."), *self._bridge(task, agent_id)])

    # --- callbacks ------------------------------------------------------------------
    def callback_customer(self, hook: Webhook) -> str:
        """The customer we called back answered: join the agent's conference."""
        task = self._task(hook)
        if task is None or task.kind is not TaskKind.CALLBACK or \
                task.status is not TaskStatus.ASSIGNED or not task.assigned_agent:
            return self.render([cf.Say("Sorry, we cannot connect you right now. Goodbye."),
                                cf.Hangup()])
        call_sid = hook.require("CallSid")
        agent_id = task.assigned_agent
        self._record_callback_call(task, call_sid)
        self.routing.record("callback answered", lambda: self.routing.crm.record_answered(
            task.tenant_id, call_sid, agent_id))
        tenant = self.directory.get(task.tenant_id)
        business = tenant.name if tenant else "us"
        return self.render([cf.Say(cf.CALLBACK_CUSTOMER.format(business=business)),
                            cf.DialConference(task.task_id)])

    def _record_callback_call(self, task: Task, call_sid: str) -> None:
        self.routing.record("callback call", lambda: self.routing.crm.record_started(
            task.tenant_id, call_sid, str(task.caller), task.business_number, "voice",
            "outbound"))

    def callback_status(self, hook: Webhook) -> str:
        """The customer's leg of a callback ended: wrap up, or retry later."""
        status = hook.params.get("CallStatus", "")
        task = self._task(hook)
        if status not in FINAL or task is None or task.kind is not TaskKind.CALLBACK:
            return self.render([])
        call_sid = hook.require("CallSid")
        duration = hook.params.get("CallDuration", "")
        self._record_callback_call(task, call_sid)
        self.routing.record("callback ended", lambda: self.routing.crm.record_ended(
            task.tenant_id, call_sid, status, int(duration) if duration.isdigit() else None))
        if task.status is not TaskStatus.ASSIGNED or not task.assigned_agent:
            return self.render([])
        if status in UNREACHED:
            end_quietly(self.routing.telephony, task.tenant_id, task.agent_call_sid)
            self._retry_callback(task, task.assigned_agent)
        else:
            self.routing.start_wrapup(task.tenant_id, task.task_id, known=task)
        return self.render([])
