"""The agent's desk: presence, offers, accepting, rejecting, and wrapping up.

Accepting a call rings the agent's browser client (``client:<user id>``); its connect
callback bridges that exact caller. The first accept wins; rivals' offers (ring-all)
are rescinded in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from chalicelib.domain.errors import Conflict, HotlineError, InvalidInput, NotFound, Unavailable
from chalicelib.domain.routing import lifecycle
from chalicelib.domain.routing.changes import AgentWrite, TaskWrite
from chalicelib.domain.routing.model import (
    SETTABLE_ACTIVITIES,
    Activity,
    Agent,
    Reservation,
    ReservationStatus,
    Task,
    TaskStatus,
    task_of_reservation,
)
from chalicelib.services.routing.ports import RoutingUrls
from chalicelib.services.routing.service import RoutingService, Step

log = logging.getLogger("hotline.routing")

CALL_CHANNELS = frozenset({"voice"})


@dataclass(frozen=True)
class Offer:
    task: Task
    reservation: Reservation


class AgentDesk:
    def __init__(self, routing: RoutingService, urls: RoutingUrls, *,
                 dial_timeout: int = 30,
                 may_go_available: Callable[[str], None] | None = None) -> None:
        self.may_go_available = may_go_available  # the tenant gate (services/tenancy)
        self.routing = routing
        self.store = routing.store
        self.urls = urls
        self.dial_timeout = dial_timeout

    def me(self, tenant_id: str, agent_id: str) -> Agent:
        agent = self.store.get_agent(tenant_id, agent_id)
        if agent is None:
            raise NotFound("you have no routing profile yet; ask an admin to set one up")
        return agent

    # --- presence -------------------------------------------------------------------
    def set_activity(self, tenant_id: str, agent_id: str, activity: str) -> Agent:
        choices = sorted(a.value for a in SETTABLE_ACTIVITIES)
        if activity not in choices:
            raise InvalidInput(f"activity must be one of {', '.join(choices)}", path="activity")
        wanted = Activity(activity)
        if wanted is Activity.AVAILABLE and self.may_go_available is not None:
            self.may_go_available(tenant_id)  # 403 tenant_inactive once not active
        now = self.routing.clock()

        left: list[Agent] = []  # the agent as it was, when this changed its activity

        def step() -> Agent:
            agent = self.me(tenant_id, agent_id)
            changed = lifecycle.set_activity(agent, wanted, now)
            if changed == agent:
                return agent
            left[:] = [agent]
            return self.store.commit(agents=[AgentWrite(changed)], now=now).agents[agent_id]

        agent = self.routing.retrying(step)
        if left:  # reports: the staffed time that just ended (docs/metrics.md)
            before = left[0]
            self.routing.record("agent time", lambda: self.routing.crm.record_agent_time(
                tenant_id, agent_id, before.activity.value, before.activity_changed_at, now))
        if wanted is Activity.AVAILABLE:
            self.routing.rematch(tenant_id, [], [agent])
            return self.me(tenant_id, agent_id)
        for offer in self.offers(tenant_id, agent_id):
            try:
                self.routing.decline(tenant_id, offer.reservation.reservation_id, agent_id,
                                     ReservationStatus.REJECTED)
            except Conflict as exc:
                log.info("offer %s already settled: %s", offer.reservation.reservation_id,
                         exc.message)
        return self.me(tenant_id, agent_id)

    # --- offers ---------------------------------------------------------------------
    def offers(self, tenant_id: str, agent_id: str) -> list[Offer]:
        """Pending offers, with each task's attributes and caller for the CRM card."""
        agent = self.me(tenant_id, agent_id)
        now = self.routing.clock()
        found = []
        for task in self.store.get_tasks(tenant_id, agent.holds):
            reservation = task.pending_for(agent_id)
            if reservation is not None and reservation.expires_at > now:
                found.append(Offer(task, reservation))
        return sorted(found, key=lambda o: o.reservation.created_at)

    def tasks(self, tenant_id: str, agent_id: str) -> list[Task]:
        """The agent's assigned and wrapping tasks."""
        agent = self.me(tenant_id, agent_id)
        return [t for t in self.store.get_tasks(tenant_id, agent.holds)
                if t.assigned_agent == agent_id
                and t.status in (TaskStatus.ASSIGNED, TaskStatus.WRAPPING)]

    def reject(self, tenant_id: str, agent_id: str, reservation_id: str) -> Task:
        return self.routing.decline(tenant_id, reservation_id, agent_id,
                                    ReservationStatus.REJECTED)

    def accept(self, tenant_id: str, agent_id: str, reservation_id: str) -> Task:
        """Accept on the desktop; a call rings the agent's browser client next."""
        task = self.settle(tenant_id, agent_id, reservation_id)
        if task.channel in CALL_CHANNELS:
            task = self._ring_desktop(task, reservation_id, agent_id)
        elif task.interaction_id:  # reports: a message or chat is answered when accepted
            answered = str(task.interaction_id)
            self.routing.record("answered", lambda: self.routing.crm.record_answered(
                tenant_id, answered, agent_id))
        return task

    def settle(self, tenant_id: str, agent_id: str, reservation_id: str,
               call_sid: str | None = None) -> Task:
        """Accept the offer in one transaction; ``call_sid``: the agent's leg is already up
        (a part-timer who pressed 1 on their mobile)."""
        task_id = task_of_reservation(reservation_id)
        now = self.routing.clock()

        def step() -> Step:
            task = self.routing.task(tenant_id, task_id)
            mine = task.reservation(reservation_id)
            if mine is None or mine.agent_id != agent_id:
                raise NotFound(f"reservation {reservation_id} not found")
            rivals = [r for r in task.pending_reservations()
                      if r.reservation_id != reservation_id]
            agents = self.store.get_agents(tenant_id, [agent_id, *(r.agent_id for r in rivals)])
            if agent_id not in agents:
                raise NotFound(f"reservation {reservation_id} not found")
            assigned, updated = lifecycle.accept(task, reservation_id, agent_id, agents, now)
            if call_sid:
                assigned = replace(assigned, agent_call_sid=call_sid,
                                   connected_at=assigned.connected_at or now)
            committed = self.store.commit([TaskWrite(assigned, was=task.status)],
                                          [AgentWrite(a) for a in updated], now=now)
            return Step(committed.tasks[task_id],
                        [committed.agents[r.agent_id] for r in rivals],
                        [r.call_sid for r in rivals if r.call_sid])

        done = self.routing.retrying(step)
        log.info("reservation %s accepted by %s", reservation_id, agent_id)
        return self.routing.finish(tenant_id, done) or self.routing.task(tenant_id, task_id)

    def _ring_desktop(self, task: Task, reservation_id: str, agent_id: str) -> Task:
        tenant_id = task.tenant_id
        try:
            call_sid = self.routing.telephony.place_call(
                tenant_id, to=f"client:{agent_id}", from_=task.business_number or "",
                url=self.urls.agent_connect(tenant_id, reservation_id),
                status_callback=self.urls.agent_status(tenant_id, reservation_id),
                timeout=self.dial_timeout)
        except HotlineError as exc:
            log.warning("could not ring %s for %s: %s", agent_id, task.task_id, exc.message)
            self.routing.requeue(tenant_id, task.task_id, agent_id)
            raise Unavailable("could not ring your desktop; the call went back to the queue"
                              ) from exc
        if task.interaction_id:  # reports: ring time runs from here to the answer
            ringing = str(task.interaction_id)
            self.routing.record("ringing", lambda: self.routing.crm.record_ringing(
                tenant_id, ringing))

        def remember(current: Task) -> Task | None:
            if current.assigned_agent != agent_id or current.agent_call_sid:
                return None
            return replace(current, agent_call_sid=call_sid)

        return self.routing.update_task(tenant_id, task.task_id, remember) or task

    # --- wrap-up --------------------------------------------------------------------
    def wrapup(self, tenant_id: str, agent_id: str, task_id: str, disposition: str,
               notes: str) -> Task:
        """Complete the task (a conditional transaction: the first wrap-up, or the
        sweep's end of wrap-up, wins), then record the disposition and notes in the CRM
        (the same fields each time: a retry after a failed CRM write writes them again),
        then mark the wrap-up recorded."""
        task = self.routing.task(tenant_id, task_id)
        if task.assigned_agent != agent_id:
            raise NotFound(f"task {task_id} not found")
        if task.status is TaskStatus.COMPLETED and task.wrapup_recorded:
            raise Conflict("this task is already wrapped up")
        if task.status not in (TaskStatus.ASSIGNED, TaskStatus.WRAPPING, TaskStatus.COMPLETED):
            raise Conflict(f"task {task_id} is {task.status.value}; nothing to wrap up")
        if (task.status is TaskStatus.ASSIGNED and task.channel in CALL_CHANNELS
                and task.connected_at is not None):
            raise Conflict("end the call before wrapping up")
        if not (disposition or "").strip():
            raise InvalidInput("disposition is required", path="disposition")
        if task.status is not TaskStatus.COMPLETED:
            try:
                task = self.routing.complete(tenant_id, task_id, agent_id)
            except Conflict:
                task = self.routing.task(tenant_id, task_id)  # the sweep completed it first
                if task.status is not TaskStatus.COMPLETED or task.wrapup_recorded:
                    raise
        if task.interaction_id:
            self.routing.crm.record_wrapup(tenant_id, task.interaction_id, agent_id,
                                           disposition, notes)
        marked = self.routing.update_task(
            tenant_id, task_id,
            lambda t: None if t.wrapup_recorded else replace(t, wrapup_recorded=True))
        return marked or task
