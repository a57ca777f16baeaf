"""The task, reservation and agent state machines, as pure transitions.

Task:        pending -> reserved -> assigned -> wrapping -> completed, or canceled
             (a rejected or timed-out reservation sends a reserved task back to pending)
Reservation: pending -> accepted | rejected | timeout | rescinded | canceled
Agent:       holds one entry per task it is offered or serves (its capacity in use);
             ``missed_in_row`` timeouts in a row set it away, as Flex does.

Each function checks the transition is legal (``Conflict`` if not) and returns the new
objects; the caller writes them back with version conditions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.routing.model import (
    WAITING_STATUSES,
    Activity,
    Agent,
    Reservation,
    ReservationStatus,
    Task,
    TaskKind,
    TaskStatus,
    reservation_id_for,
)

MAX_RESERVATION_HISTORY = 40


def utc_day(at: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at))


def _release(agent: Agent, task_id: str, now: float, *, finished: bool = False) -> Agent:
    """Give back the capacity a task held; a finished task makes an idle agent idle anew."""
    holds = {tid: ch for tid, ch in agent.holds.items() if tid != task_id}
    idle_since = now if finished and not holds else agent.idle_since
    return replace(agent, holds=holds, idle_since=idle_since)


def _next_sequence(task: Task) -> int:
    used = [int(r.reservation_id[34:]) for r in task.reservations]
    return max(used, default=0) + 1


def _trim(reservations: tuple[Reservation, ...]) -> tuple[Reservation, ...]:
    if len(reservations) <= MAX_RESERVATION_HISTORY:
        return reservations
    pending = [r for r in reservations if r.is_pending]
    done = [r for r in reservations if not r.is_pending]
    keep = done[-(MAX_RESERVATION_HISTORY - len(pending)):] if len(pending) < \
        MAX_RESERVATION_HISTORY else []
    keep_ids = {r.reservation_id for r in keep + pending}
    return tuple(r for r in reservations if r.reservation_id in keep_ids)


def offer_via(agent: Agent, task: Task) -> str:
    return ("mobile" if agent.offers_by_mobile and task.channel == "voice"
            and task.kind is TaskKind.CALL else "desktop")


def reserve(task: Task, agents: Sequence[Agent], now: float,
            timeout_for: Callable[[str], float]) -> tuple[Task, list[Agent]]:
    """Offer a pending task to one agent, or to several at once (ring-all)."""
    if task.status is not TaskStatus.PENDING:
        raise Conflict(f"task {task.task_id} is {task.status.value}, not pending")
    if not agents:
        raise Conflict("an offer needs at least one agent")
    sequence = _next_sequence(task)
    offers: list[Reservation] = []
    updated: list[Agent] = []
    for i, agent in enumerate(agents):
        if not agent.has_room(task.channel) or task.task_id in agent.holds:
            raise Conflict(f"agent {agent.agent_id} has no room for a {task.channel} task")
        via = offer_via(agent, task)
        offers.append(Reservation(reservation_id_for(task.task_id, sequence + i),
                                  agent.agent_id, ReservationStatus.PENDING, now,
                                  now + timeout_for(via), via=via))
        updated.append(replace(agent, holds={**agent.holds, task.task_id: task.channel},
                               last_offered_at=now))
    reserved = replace(task, status=TaskStatus.RESERVED,
                       reservations=_trim(task.reservations + tuple(offers)))
    return reserved, updated


def _with_reservations(task: Task, changes: Mapping[str, Reservation]) -> tuple[Reservation, ...]:
    return tuple(changes.get(r.reservation_id, r) for r in task.reservations)


def _ended(reservation: Reservation, status: ReservationStatus, now: float) -> Reservation:
    return replace(reservation, status=status, ended_at=now)


def _own_pending(task: Task, reservation_id: str, agent_id: str) -> Reservation:
    reservation = task.reservation(reservation_id)
    if reservation is None or reservation.agent_id != agent_id:
        raise NotFound(f"reservation {reservation_id} not found")
    if not reservation.is_pending:
        raise Conflict(f"this offer is already {reservation.status.value}")
    return reservation


def accept(task: Task, reservation_id: str, agent_id: str, agents: Mapping[str, Agent],
           now: float) -> tuple[Task, list[Agent]]:
    """The first accept wins: the task is assigned and every other offer is rescinded.

    ``agents`` holds every agent with a pending reservation on the task.
    """
    reservation = _own_pending(task, reservation_id, agent_id)
    if now >= reservation.expires_at:
        raise Conflict("this offer has timed out")
    if task.status is not TaskStatus.RESERVED:
        raise Conflict(f"task {task.task_id} is {task.status.value}")
    changes = {reservation_id: _ended(reservation, ReservationStatus.ACCEPTED, now)}
    updated: list[Agent] = []
    for other in task.pending_reservations():
        if other.reservation_id == reservation_id:
            continue
        changes[other.reservation_id] = _ended(other, ReservationStatus.RESCINDED, now)
        updated.append(_release(agents[other.agent_id], task.task_id, now))
    me = agents[agent_id]
    day = utc_day(now)
    contacts = me.contacts_today + 1 if me.contacts_day == day else 1
    updated.insert(0, replace(me, missed_in_row=0, last_assigned_at=now, contacts_day=day,
                              contacts_today=contacts))
    assigned = replace(task, status=TaskStatus.ASSIGNED, assigned_agent=agent_id,
                       assigned_at=now, not_before=None,
                       reservations=_with_reservations(task, changes))
    return assigned, updated


def decline(task: Task, reservation_id: str, agent: Agent, now: float,
            status: ReservationStatus, max_missed: int) -> tuple[Task, Agent]:
    """A rejection or a time-out: the agent's capacity returns, the task goes back to
    pending once no offer is left, and ``max_missed`` time-outs in a row set it away."""
    if status not in (ReservationStatus.REJECTED, ReservationStatus.TIMEOUT):
        raise ValueError(f"decline takes rejected or timeout, not {status.value}")
    reservation = _own_pending(task, reservation_id, agent.agent_id)
    released = _release(agent, task.task_id, now)
    if status is ReservationStatus.TIMEOUT:
        missed = agent.missed_in_row + 1
        away = missed >= max_missed and agent.activity is Activity.AVAILABLE
        released = replace(released, missed_in_row=missed,
                           activity=Activity.AWAY if away else agent.activity,
                           activity_changed_at=now if away else agent.activity_changed_at)
    else:
        released = replace(released, missed_in_row=0)
    reservations = _with_reservations(task, {reservation_id: _ended(reservation, status, now)})
    still_offered = any(r.is_pending for r in reservations)
    back = replace(task, reservations=reservations,
                   declined={**task.declined, agent.agent_id: now},
                   status=task.status if still_offered else TaskStatus.PENDING)
    return back, released


def cancel(task: Task, agents: Mapping[str, Agent], now: float, outcome: str,
           leave_reason: str | None = None) -> tuple[Task, list[Agent]]:
    """A waiting task ends unserved (abandoned, sent to voicemail, failed)."""
    if task.status not in WAITING_STATUSES:
        raise Conflict(f"task {task.task_id} is {task.status.value}; it cannot be canceled")
    changes: dict[str, Reservation] = {}
    updated: list[Agent] = []
    for reservation in task.pending_reservations():
        changes[reservation.reservation_id] = _ended(reservation, ReservationStatus.CANCELED, now)
        updated.append(_release(agents[reservation.agent_id], task.task_id, now))
    canceled = replace(task, status=TaskStatus.CANCELED, outcome=outcome, ended_at=now,
                       completed_at=now, leave_reason=leave_reason or task.leave_reason,
                       reservations=_with_reservations(task, changes))
    return canceled, updated


def requeue(task: Task, agent: Agent, now: float, *, not_before: float | None = None,
            counts_attempt: bool = False) -> tuple[Task, Agent]:
    """An assigned task whose agent leg never connected goes back to its place in line."""
    if task.status is not TaskStatus.ASSIGNED or task.assigned_agent != agent.agent_id:
        raise Conflict(f"task {task.task_id} is not assigned to {agent.agent_id}")
    back = replace(task, status=TaskStatus.PENDING, assigned_agent=None, assigned_at=None,
                   connected_at=None, agent_call_sid=None, customer_call_sid=None,
                   not_before=not_before, declined={**task.declined, agent.agent_id: now},
                   attempts=task.attempts + (1 if counts_attempt else 0))
    return back, _release(agent, task.task_id, now)


def connect(task: Task, agent_id: str, now: float) -> Task:
    """The agent's leg is up and about to be bridged with the customer."""
    if task.status is not TaskStatus.ASSIGNED or task.assigned_agent != agent_id:
        raise Conflict(f"task {task.task_id} is not assigned to {agent_id}")
    return replace(task, connected_at=task.connected_at or now)


def start_wrapup(task: Task, wrapup_seconds: int, now: float) -> Task:
    if task.status is not TaskStatus.ASSIGNED:
        raise Conflict(f"task {task.task_id} is {task.status.value}, not assigned")
    return replace(task, status=TaskStatus.WRAPPING, ended_at=now,
                   wrapup_until=now + max(0, wrapup_seconds))


def complete(task: Task, agent: Agent, now: float, *, recorded: bool) -> tuple[Task, Agent]:
    """Wrap-up is over: the task completes and the agent's capacity returns."""
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.WRAPPING):
        raise Conflict(f"task {task.task_id} is {task.status.value}; nothing to wrap up")
    if task.assigned_agent != agent.agent_id:
        raise NotFound(f"task {task.task_id} not found")
    done = replace(task, status=TaskStatus.COMPLETED, completed_at=now,
                   ended_at=task.ended_at or now, wrapup_recorded=recorded)
    return done, _release(agent, task.task_id, now, finished=True)


def escalate(task: Task, now: float) -> Task | None:
    """Past its target's timeout, a pending task moves to the next target (or None)."""
    target = task.target
    if (task.status is not TaskStatus.PENDING or target is None or target.timeout is None
            or task.target_index + 1 >= len(task.targets)
            or now < task.target_entered_at + target.timeout):
        return None
    following = task.targets[task.target_index + 1]
    priority = following.priority if following.priority is not None else task.base_priority
    return replace(task, target_index=task.target_index + 1, queue=following.queue,
                   priority=priority, target_entered_at=now, declined={})


def request_callback(task: Task) -> Task:
    """The caller keeps their place and hangs up; an agent will call them back."""
    if task.kind is TaskKind.CALLBACK:
        return task
    if task.kind is not TaskKind.CALL or task.status not in WAITING_STATUSES:
        raise Conflict("an agent is already on the way")
    return replace(task, kind=TaskKind.CALLBACK, leave_reason="callback",
                   outcome="callback-requested")


def set_activity(agent: Agent, activity: Activity, now: float) -> Agent:
    if activity is agent.activity:
        return agent
    changed = replace(agent, activity=activity, activity_changed_at=now)
    if activity is Activity.AVAILABLE:
        changed = replace(changed, idle_since=now, missed_in_row=0)
    return changed


def next_deadline(task: Task, now: float) -> float | None:
    """When the sweep must look at this task next (None: nothing is due)."""
    if task.status is TaskStatus.RESERVED:
        expiries = [r.expires_at for r in task.pending_reservations()]
        return min(expiries) if expiries else None
    if task.status is TaskStatus.WRAPPING:
        return task.wrapup_until
    if task.status is not TaskStatus.PENDING:
        return None
    moments: list[float] = []
    target = task.target
    if (target is not None and target.timeout is not None
            and task.target_index + 1 < len(task.targets)):
        moments.append(task.target_entered_at + target.timeout)
    for moment in (task.overflow_at, task.not_before, liveness_check(task)):
        if moment is not None:
            moments.append(moment)
    future = [m for m in moments if m > now]
    return min(future) if future else None


ABANDON_GRACE_SECONDS = 60.0


def liveness_check(task: Task) -> float | None:
    """A live caller past the queue's maximum wait should have left; check the call then."""
    if task.kind is not TaskKind.CALL or task.max_wait_seconds is None:
        return None
    return task.enqueued_at + task.max_wait_seconds + ABANDON_GRACE_SECONDS * (1 + task.attempts)
