"""Routing use cases: tasks in, matching, and the transitions everyone shares.

The voice path calls ``enqueue_call`` and ``on_call_ended``; the agent desk, the sweep
and the carrier callbacks (``routing_desk``, ``routing_sweep``, ``queue_calls``) use
the transitions below. Each transition reads, decides with the pure rules of
``domain/routing``, and commits with version conditions; a lost race is retried from a
fresh read a few times, then reported as Conflict.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from chalicelib.domain.errors import Conflict, HotlineError, NotFound
from chalicelib.domain.routing import lifecycle
from chalicelib.domain.routing.changes import AgentWrite, TaskWrite
from chalicelib.domain.routing.expressions import parse
from chalicelib.domain.routing.model import (
    WAITING_STATUSES,
    Activity,
    Agent,
    ReservationStatus,
    StaleState,
    Target,
    Task,
    TaskKind,
    TaskStatus,
    new_task_id,
    task_id_for,
    task_of_reservation,
)
from chalicelib.services.routing.matcher import Matcher, end_quietly
from chalicelib.services.routing.ports import (
    Clock,
    ConfigCache,
    CrmRecorder,
    RoutingStore,
    Telephony,
)

log = logging.getLogger("hotline.routing")

T = TypeVar("T")


@dataclass
class Step:
    """What one committed transition left to do: agents to rematch, legs to hang up."""

    task: Task | None
    freed: list[Agent] = field(default_factory=list)
    hangups: list[str] = field(default_factory=list)
    requeued: bool = False


class RoutingService:
    def __init__(self, store: RoutingStore, config: ConfigCache, matcher: Matcher,
                 telephony: Telephony, crm: CrmRecorder, *, clock: Clock = time.time,
                 max_missed: int = 3, attempts: int = 4) -> None:
        self.store = store
        self.config = config
        self.matcher = matcher
        self.telephony = telephony
        self.crm = crm
        self.clock = clock
        self.max_missed = max_missed
        self.attempts = attempts

    # --- helpers --------------------------------------------------------------------
    def retrying(self, step: Callable[[], T]) -> T:
        """Run ``step`` (read, decide, commit) again from a fresh read after a lost race."""
        for attempt in range(self.attempts):
            try:
                return step()
            except StaleState:
                if attempt + 1 == self.attempts:
                    raise
        raise Conflict("could not apply the change")  # attempts == 0

    def record(self, action: str, call: Callable[[], Any]) -> None:
        """A CRM write after the routing change: logged if it fails, never undoing it."""
        try:
            call()
        except HotlineError as exc:
            log.warning("CRM %s failed: %s: %s", action, type(exc).__name__, exc.message)

    def task(self, tenant_id: str, task_id: str) -> Task:
        found = self.store.get_task(tenant_id, task_id)
        if found is None:
            raise NotFound(f"task {task_id} not found")
        return found

    def finish(self, tenant_id: str, step: Step, queues: Iterable[str] = ()) -> Task | None:
        """After a commit: hang up legs no longer needed, then offer freed capacity."""
        for call_sid in step.hangups:
            end_quietly(self.telephony, tenant_id, call_sid)
        wanted = set(queues)
        if step.task is not None and step.task.status is TaskStatus.PENDING:
            wanted.add(step.task.queue)
        self.rematch(tenant_id, wanted, step.freed)
        return step.task

    # --- matching -------------------------------------------------------------------
    def match(self, tenant_id: str, queue_name: str, max_offers: int = 3) -> list[Task]:
        queue = self.config.get(tenant_id).queue(queue_name)
        return self.matcher.match_queue(tenant_id, queue, self.clock(), max_offers)

    def queues_of(self, tenant_id: str, agent: Agent) -> list[str]:
        """The queues whose worker expression admits ``agent`` (task-free terms only)."""
        config = self.config.get(tenant_id)
        return [q.name for q in config.queues.values()
                if parse(q.worker_expression).matches(worker=agent.scope(), task={})]

    def rematch(self, tenant_id: str, queues: Iterable[str], freed: Iterable[Agent]) -> None:
        """Matching when an agent frees up or a task returns: errors are logged, since
        the sweep and the next event will match again."""
        wanted = list(dict.fromkeys(queues))
        for agent in freed:
            if agent.activity is Activity.AVAILABLE:
                wanted.extend(q for q in self.queues_of(tenant_id, agent) if q not in wanted)
        for name in wanted:
            try:
                self.match(tenant_id, name)
            except HotlineError as exc:
                log.warning("matching %s failed: %s: %s", name, type(exc).__name__, exc.message)

    # --- tasks in -------------------------------------------------------------------
    def call_task_id(self, tenant_id: str, call_sid: str, queue: str) -> str:
        """The id ``enqueue_call`` will give this call's task, once ``queue`` is known to
        exist (NotFound otherwise): the voice webhook names it in its TwiML and commits
        before the task is created."""
        self.config.get(tenant_id).queue(queue)
        return task_id_for(tenant_id, call_sid)

    def enqueue_call(self, *, tenant_id: str, call_sid: str, interaction_id: str, queue: str,
                     priority: int = 0, timeout: int | None = None,
                     attributes: dict[str, Any] | None = None, caller: str | None = None,
                     business_number: str | None = None) -> Task:
        """A caller enters the queue; idempotent per CallSid (a retried webhook finds the
        same task). An unknown queue raises NotFound (the flow takes failedToEnqueue)."""
        return self.enqueue_task(
            tenant_id=tenant_id, key=call_sid, channel="voice", kind=TaskKind.CALL,
            queue=queue, priority=priority, attributes=attributes, caller=caller,
            business_number=business_number, interaction_id=interaction_id,
            call_sid=call_sid, max_wait=timeout)

    def enqueue_message(self, *, tenant_id: str, conversation_id: str, interaction_id: str,
                        queue: str, priority: int = 0, timeout: int | None = None,
                        attributes: dict[str, Any] | None = None, contact: str | None = None,
                        business_number: str | None = None, channel: str = "sms") -> Task:
        """A conversation (SMS or chat) for an agent: one task while it is open; a message
        after it closed opens a new one. Idempotent per message."""
        current = self.store.get_task(tenant_id, task_id_for(tenant_id, conversation_id))
        key = conversation_id
        if current is not None:
            if current.is_active:
                return current
            key = f"{conversation_id}|{interaction_id}"
        return self.enqueue_task(
            tenant_id=tenant_id, key=key, channel=channel if channel in ("sms", "chat")
            else "sms", kind=TaskKind.MESSAGE, queue=queue, priority=priority,
            attributes={**(attributes or {}), "conversation_id": conversation_id},
            caller=contact, business_number=business_number, interaction_id=interaction_id,
            max_wait=timeout)

    def enqueue_task(self, *, tenant_id: str, key: str | None, channel: str, kind: TaskKind,
                     queue: str, priority: int = 0, attributes: dict[str, Any] | None = None,
                     caller: str | None = None, business_number: str | None = None,
                     interaction_id: str | None = None, call_sid: str | None = None,
                     max_wait: int | None = None, enqueued_at: float | None = None) -> Task:
        """Any task (a call, a voicemail, a message); ``key`` makes it idempotent."""
        config = self.config.get(tenant_id)
        entry = config.queue(queue)
        now = self.clock()
        task_id = task_id_for(tenant_id, key) if key else new_task_id()
        since = now if enqueued_at is None else enqueued_at
        wait_limit = entry.max_wait_seconds if not max_wait else min(max_wait,
                                                                    entry.max_wait_seconds)
        draft = Task(
            tenant_id=tenant_id, task_id=task_id, channel=channel, kind=kind,
            status=TaskStatus.PENDING, queue=entry.name, entry_queue=entry.name,
            priority=int(priority), base_priority=int(priority), enqueued_at=since,
            attributes=dict(attributes or {}), call_sid=call_sid,
            interaction_id=interaction_id, caller=caller, business_number=business_number,
            target_entered_at=now, max_wait_seconds=wait_limit if kind is TaskKind.CALL else None,
            overflow_at=(since + entry.overflow_after_seconds
                         if entry.overflow_after_seconds is not None else None))
        targets = tuple(t for t in config.workflow.route(draft.scope(), entry.name)
                        if t.queue in config.queues) or (Target(queue=entry.name),)
        first = targets[0]
        task = replace(draft, targets=targets, queue=first.queue,
                       priority=first.priority if first.priority is not None else draft.priority)
        try:
            created = self.store.commit([TaskWrite(task, was=None)], now=now).tasks[task_id]
        except StaleState:
            return self.task(tenant_id, task_id)
        log.info("task %s (%s) queued in %s", task_id, kind.value, task.queue)
        self.rematch(tenant_id, [created.queue], [])
        return self.store.get_task(tenant_id, task_id) or created

    # --- shared transitions ---------------------------------------------------------
    def cancel_waiting(self, tenant_id: str, task_id: str, outcome: str,
                       leave_reason: str | None = None) -> Task | None:
        """A waiting task ends unserved; its offers are withdrawn. No-op once served."""
        now = self.clock()

        def step() -> Step:
            task = self.store.get_task(tenant_id, task_id)
            if task is None or task.status not in WAITING_STATUSES:
                return Step(task)
            offers = task.pending_reservations()
            agents = self.store.get_agents(tenant_id, [r.agent_id for r in offers])
            canceled, released = lifecycle.cancel(task, agents, now, outcome, leave_reason)
            committed = self.store.commit([TaskWrite(canceled, was=task.status)],
                                          [AgentWrite(a) for a in released], now=now)
            return Step(committed.tasks[task_id], list(committed.agents.values()),
                        [r.call_sid for r in offers if r.call_sid])

        return self.finish(tenant_id, self.retrying(step))

    def abandon(self, tenant_id: str, task_id: str) -> Task | None:
        """The caller hung up while waiting: cancel and record the abandonment."""
        before = self.store.get_task(tenant_id, task_id)
        if before is None or before.status not in WAITING_STATUSES:
            return before
        task = self.cancel_waiting(tenant_id, task_id, "abandoned")
        if task is not None and task.outcome == "abandoned" and task.interaction_id:
            self.record("abandoned", lambda: self.crm.record_outcome(
                tenant_id, str(task.interaction_id), "abandoned"))
        return task

    def decline(self, tenant_id: str, reservation_id: str, agent_id: str,
                status: ReservationStatus) -> Task:
        """Reject (by the agent) or time out (by the sweep, or an unanswered mobile)."""
        task_id = task_of_reservation(reservation_id)
        now = self.clock()

        def step() -> Step:
            task = self.task(tenant_id, task_id)
            reservation = task.reservation(reservation_id)
            agent = self.store.get_agent(tenant_id, agent_id)
            if reservation is None or reservation.agent_id != agent_id or agent is None:
                raise NotFound(f"reservation {reservation_id} not found")
            back, released = lifecycle.decline(task, reservation_id, agent, now, status,
                                               self.max_missed)
            committed = self.store.commit([TaskWrite(back, was=task.status)],
                                          [AgentWrite(released)], now=now)
            hangups = [reservation.call_sid] if reservation.call_sid else []
            return Step(committed.tasks[task_id], list(committed.agents.values()), hangups)

        done = self.retrying(step)
        log.info("reservation %s %s", reservation_id, status.value)
        return self.finish(tenant_id, done) or self.task(tenant_id, task_id)

    def requeue(self, tenant_id: str, task_id: str, agent_id: str, *,
                retry_after: float | None = None, counts_attempt: bool = False) -> Task | None:
        """An accepted task whose agent never connected returns to its place in line."""
        now = self.clock()

        def step() -> Step:
            task = self.store.get_task(tenant_id, task_id)
            agent = self.store.get_agent(tenant_id, agent_id)
            if (task is None or agent is None or task.status is not TaskStatus.ASSIGNED
                    or task.assigned_agent != agent_id):
                return Step(task)
            back, released = lifecycle.requeue(
                task, agent, now, counts_attempt=counts_attempt,
                not_before=None if retry_after is None else now + retry_after)
            committed = self.store.commit([TaskWrite(back, was=task.status)],
                                          [AgentWrite(released)], now=now)
            return Step(committed.tasks[task_id], list(committed.agents.values()),
                        requeued=True)

        return self.finish(tenant_id, self.retrying(step))

    def update_task(self, tenant_id: str, task_id: str,
                    change: Callable[[Task], Task | None],
                    known: Task | None = None) -> Task | None:
        """Apply ``change`` (None: leave as is) with a version condition, retrying.

        ``known`` is a snapshot the caller just read: the first attempt starts from it
        instead of reading again. The commit is conditioned on its version, so a stale
        snapshot only costs the retry, which reads afresh.
        """
        now = self.clock()
        snapshot = [known] if known is not None else []

        def step() -> Task | None:
            task = snapshot.pop() if snapshot else self.store.get_task(tenant_id, task_id)
            if task is None:
                return None
            changed = change(task)
            if changed is None or changed == task:
                return task
            return self.store.commit([TaskWrite(changed, was=task.status)],
                                     now=now).tasks[task_id]

        return self.retrying(step)

    def touch(self, task: Task) -> Task | None:
        """Rewrite ``task`` as read, so its timer moves on (a no-op if it changed since)."""
        try:
            return self.store.commit([TaskWrite(task, was=task.status)],
                                     now=self.clock()).tasks[task.task_id]
        except StaleState:
            return self.store.get_task(task.tenant_id, task.task_id)

    def start_wrapup(self, tenant_id: str, task_id: str,
                     known: Task | None = None) -> Task | None:
        """The conversation ended: the agent wraps up (completes at once with no wrap-up).
        ``known``: the task as the caller just read it (see ``update_task``)."""
        now = self.clock()
        task = known if known is not None else self.store.get_task(tenant_id, task_id)
        if task is None or task.status is not TaskStatus.ASSIGNED or not task.assigned_agent:
            return task
        agent = self.store.get_agent(tenant_id, task.assigned_agent)
        seconds = agent.wrapup_seconds if agent else 0
        wrapped = self.update_task(tenant_id, task_id, lambda t: lifecycle.start_wrapup(
            t, seconds, now) if t.status is TaskStatus.ASSIGNED else None, known=task)
        if wrapped is not None and seconds <= 0 and wrapped.assigned_agent:
            return self.complete(tenant_id, task_id, wrapped.assigned_agent)
        return wrapped

    def complete(self, tenant_id: str, task_id: str, agent_id: str, *,
                 recorded: bool = False) -> Task:
        """Wrap-up over: the task completes, the handle time is counted, capacity returns."""
        now = self.clock()

        def finish_task() -> Step:
            task = self.task(tenant_id, task_id)
            if task.assigned_agent != agent_id:
                raise NotFound(f"task {task_id} not found")
            agent = self.store.get_agent(tenant_id, agent_id)
            if agent is None:
                raise NotFound(f"agent {agent_id} not found")
            done, released = lifecycle.complete(task, agent, now, recorded=recorded)
            committed = self.store.commit([TaskWrite(done, was=task.status)],
                                          [AgentWrite(released)], now=now)
            return Step(committed.tasks[task_id], list(committed.agents.values()))

        done = self.retrying(finish_task)
        task = done.task
        if task is not None and task.assigned_at is not None:
            handle, queue = now - task.assigned_at, task.queue
            self.record("handle time", lambda: self.config.store.add_handle_time(
                tenant_id, queue, now, handle))
        return self.finish(tenant_id, done) or self.task(tenant_id, task_id)

    # --- the call's end -------------------------------------------------------------
    def on_call_ended(self, tenant_id: str, call_sid: str, call_status: str) -> Task | None:
        """The caller's call is over: a waiting task is abandoned, a served one wraps up.
        A callback keeps its place: the caller hung up on purpose."""
        task = self.store.get_task(tenant_id, task_id_for(tenant_id, call_sid))
        if task is None or task.kind is not TaskKind.CALL:
            return task
        if task.status in WAITING_STATUSES:
            return self.abandon(tenant_id, task.task_id)
        if task.status is TaskStatus.ASSIGNED:
            return self.start_wrapup(tenant_id, task.task_id, known=task)
        return task
