"""What every call service shares: finding an agent's live call, saving its conference
state under the task's version, and reaching the conference over REST."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from chalicelib.domain.calls.documents import call_doc, call_from
from chalicelib.domain.calls.state import CallPhase, CallState
from chalicelib.domain.errors import Conflict, HotlineError, NotFound
from chalicelib.domain.routing import callflow as cf
from chalicelib.domain.routing.model import Task, TaskStatus
from chalicelib.services.calls.ports import (
    CallCrm,
    CallUrls,
    ConferenceCarrier,
    TenantVoiceStore,
)
from chalicelib.services.routing.service import RoutingService

log = logging.getLogger("hotline.calls")

SHOW_MONITORING = "show_monitoring_to_agents"


def state_of(task: Task) -> CallState | None:
    return call_from(task.call) if task.call else None


class CallContext:
    def __init__(self, routing: RoutingService, carrier: ConferenceCarrier, urls: CallUrls,
                 tenants: TenantVoiceStore, crm: CallCrm, *,
                 hold_music: str = cf.DEFAULT_HOLD_MUSIC) -> None:
        self.routing = routing
        self.crm = crm
        self.carrier = carrier
        self.urls = urls
        self.tenants = tenants
        self.default_hold_music = hold_music

    def now(self) -> float:
        return self.routing.clock()

    # --- finding the call -----------------------------------------------------------
    def my_task(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        task = self.routing.store.get_task(tenant_id, task_id)
        if task is None or task.assigned_agent != agent_id:
            raise NotFound(f"task {task_id} not found")
        return task

    def my_call(self, tenant_id: str, agent_id: str, task_id: str) -> tuple[Task, CallState]:
        """The agent's own live voice call, or Conflict saying why not."""
        task = self.my_task(tenant_id, agent_id, task_id)
        if task.channel != "voice":
            raise Conflict(f"task {task_id} is not a call")
        if task.status is not TaskStatus.ASSIGNED:
            raise Conflict(f"the call is over (the task is {task.status.value})")
        state = state_of(task)
        if state is None:
            raise Conflict("the call is not connected yet: answer it first")
        return task, self.filled(task, state)

    def live_call(self, tenant_id: str, task_id: str) -> tuple[Task, CallState]:
        """Any live call of the tenant (supervisors)."""
        task = self.routing.store.get_task(tenant_id, task_id)
        if task is None:
            raise NotFound(f"task {task_id} not found")
        state = state_of(task)
        if task.channel != "voice" or task.status is not TaskStatus.ASSIGNED or state is None \
                or state.phase is not CallPhase.CONNECTED:
            raise Conflict("that task has no live call")
        return task, self.filled(task, state)

    @staticmethod
    def filled(task: Task, state: CallState) -> CallState:
        """A callback's customer leg is known to the task before the conference state."""
        if state.customer_sid is None and task.customer_call_sid:
            return replace(state, customer_sid=task.customer_call_sid)
        return state

    # --- saving ---------------------------------------------------------------------
    def save(self, tenant_id: str, task_id: str,
             change: Callable[[CallState], CallState], *, create: str | None = None,
             known: Task | None = None) -> Task:
        """Apply ``change`` to the task's call state under its version (re-applied on a
        fresh read after a lost race). ``create``: the conference name, if none yet."""

        def apply(task: Task) -> Task | None:
            state = state_of(task)
            if state is None:
                if create is None:
                    raise Conflict("the call is not connected yet")
                state = CallState(conference=create)
            return replace(task, call=call_doc(change(self.filled(task, state))))

        saved = self.routing.update_task(tenant_id, task_id, apply, known=known)
        if saved is None:
            raise NotFound(f"task {task_id} not found")
        return saved

    # --- the conference -------------------------------------------------------------
    def conference_sid(self, task: Task, state: CallState) -> str:
        if state.conference_sid:
            return state.conference_sid
        sid = self.carrier.conference_sid(task.tenant_id, state.conference)
        if sid is None:
            raise Conflict("the conference is not live (the call may just have ended)")
        if task.status is TaskStatus.ASSIGNED:
            self.routing.update_task(task.tenant_id, task.task_id, lambda t: replace(
                t, call={**t.call, "conference_sid": sid}) if t.call else None)
        return sid

    def hold_music(self, task: Task) -> str:
        try:
            queue = self.routing.config.get(task.tenant_id).queue(task.entry_queue)
        except NotFound:
            return self.default_hold_music
        return queue.hold_music_url or self.default_hold_music

    def caller_id(self, tenant_id: str, task: Task | None = None) -> str:
        """The tenant's number: caller ID for every leg Hotline places."""
        if task is not None and task.business_number:
            return task.business_number
        tenant = self.tenants.get(tenant_id)
        number = str((tenant.profile if tenant else {}).get("number") or "")
        if not number:
            raise Conflict("this business has no phone number to call from")
        return number

    def shows_monitoring(self, tenant_id: str) -> bool:
        tenant = self.tenants.get(tenant_id)
        return bool(tenant and tenant.profile.get(SHOW_MONITORING))

    def set_hold(self, task: Task, state: CallState, on: bool) -> None:
        if not state.customer_sid:
            raise Conflict("the customer is not on the call yet")
        self.carrier.update_participant(
            task.tenant_id, self.conference_sid(task, state), state.customer_sid, hold=on,
            hold_url=self.hold_music(task) if on else None)

    def leave(self, task: Task, state: CallState, call_sid: str | None) -> None:
        """Take a leg out of the conference (its call then ends); already gone is fine."""
        if not call_sid:
            return
        try:
            self.carrier.remove_participant(task.tenant_id, self.conference_sid(task, state),
                                            call_sid)
        except HotlineError as exc:
            log.info("removing %s from %s: %s; ending the leg", call_sid, state.conference,
                     exc.message)
            self.end_quietly(task.tenant_id, call_sid)

    def end_quietly(self, tenant_id: str, call_sid: str | None) -> None:
        if not call_sid:
            return
        try:
            self.carrier.end_call(tenant_id, call_sid)
        except HotlineError as exc:
            log.warning("could not end call %s: %s", call_sid, exc.message)

    def record_holds(self, task: Task, state: CallState) -> None:
        if task.interaction_id and state.hold_count:
            now = self.now()
            self.routing.record("holds", lambda: self.crm.record_holds(
                task.tenant_id, str(task.interaction_id), state.hold_count,
                state.hold_total(now)))
