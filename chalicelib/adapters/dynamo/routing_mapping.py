"""Domain routing objects <-> PynamoDB models, and the index keys derived from them."""

from __future__ import annotations

import zlib
from typing import Any

from chalicelib.adapters.dynamo.models.routing import (
    TIMER_SHARDS,
    RoutingAgentModel,
    RoutingConfigModel,
    RoutingTaskModel,
)
from chalicelib.domain.routing.lifecycle import next_deadline
from chalicelib.domain.routing.model import (
    CHANNELS,
    Activity,
    Agent,
    QueueConfig,
    Reservation,
    ReservationStatus,
    Strategy,
    Target,
    Task,
    TaskKind,
    TaskStatus,
    Tier,
)
from chalicelib.domain.routing.workflow import target_document

MAX_PRIORITY = 999_999


def task_key(tenant_id: str, task_id: str) -> str:
    return f"{tenant_id}#{task_id}"


def queue_key(tenant_id: str, queue: str) -> str:
    return f"{tenant_id}#{queue}"


def queue_sort(task: Task) -> str:
    """Higher priority first, then first come, first served (the order of service)."""
    inverted = MAX_PRIORITY - max(0, min(MAX_PRIORITY, int(task.priority)))
    return f"{inverted:06d}#{int(task.enqueued_at * 1000):015d}#{task.task_id}"


def timer_shard(task_id: str) -> str:
    return str(zlib.crc32(task_id.encode()) % TIMER_SHARDS)


def _reservation_doc(r: Reservation) -> dict[str, Any]:
    return {"id": r.reservation_id, "agent": r.agent_id, "status": r.status.value,
            "created_at": r.created_at, "expires_at": r.expires_at, "via": r.via,
            "call_sid": r.call_sid, "ended_at": r.ended_at}


def _reservation(doc: dict[str, Any]) -> Reservation:
    return Reservation(reservation_id=doc["id"], agent_id=doc["agent"],
                       status=ReservationStatus(doc["status"]),
                       created_at=float(doc["created_at"]), expires_at=float(doc["expires_at"]),
                       via=doc.get("via", "desktop"), call_sid=doc.get("call_sid"),
                       ended_at=doc.get("ended_at"))


def _target(doc: dict[str, Any]) -> Target:
    return Target(queue=doc["queue"], expression=doc.get("expression", ""),
                  priority=doc.get("priority"), timeout=doc.get("timeout"))


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def task_model(task: Task, now: float) -> RoutingTaskModel:
    """The stored form of ``task`` (version + 1), with its index keys and next timer."""
    due = next_deadline(task, now)
    return RoutingTaskModel(
        task_key(task.tenant_id, task.task_id),
        tenant_id=task.tenant_id, task_id=task.task_id, version=task.version + 1,
        status=task.status.value, channel=task.channel, kind=task.kind.value,
        queue=task.queue, entry_queue=task.entry_queue, priority=task.priority,
        base_priority=task.base_priority, enqueued_at=task.enqueued_at,
        queue_sort=queue_sort(task),
        pending_key=(queue_key(task.tenant_id, task.queue)
                     if task.status is TaskStatus.PENDING else None),
        timer_shard=timer_shard(task.task_id) if due is not None else None,
        timer_at=due,
        targets=[target_document(t) for t in task.targets], target_index=task.target_index,
        target_entered_at=task.target_entered_at, attributes=dict(task.attributes),
        reservations=[_reservation_doc(r) for r in task.reservations],
        declined=dict(task.declined), call_sid=task.call_sid,
        interaction_id=task.interaction_id, caller=task.caller,
        business_number=task.business_number, assigned_agent=task.assigned_agent,
        assigned_at=task.assigned_at, connected_at=task.connected_at, ended_at=task.ended_at,
        wrapup_until=task.wrapup_until, completed_at=task.completed_at, outcome=task.outcome,
        leave_reason=task.leave_reason, not_before=task.not_before, attempts=task.attempts,
        max_wait_seconds=task.max_wait_seconds, overflow_at=task.overflow_at,
        agent_call_sid=task.agent_call_sid, customer_call_sid=task.customer_call_sid,
        wrapup_recorded=task.wrapup_recorded, call=task.call,
    )


def task_from(m: RoutingTaskModel) -> Task:
    return Task(
        tenant_id=m.tenant_id, task_id=m.task_id, channel=m.channel, kind=TaskKind(m.kind),
        status=TaskStatus(m.status), queue=m.queue, entry_queue=m.entry_queue,
        priority=int(m.priority), enqueued_at=float(m.enqueued_at),
        targets=tuple(_target(t) for t in (m.targets or [])),
        target_index=int(m.target_index or 0),
        target_entered_at=float(m.target_entered_at or 0), base_priority=int(m.base_priority),
        attributes=dict(m.attributes or {}), call_sid=m.call_sid,
        interaction_id=m.interaction_id, caller=m.caller, business_number=m.business_number,
        reservations=tuple(_reservation(r) for r in (m.reservations or [])),
        assigned_agent=m.assigned_agent, assigned_at=_float(m.assigned_at),
        connected_at=_float(m.connected_at), ended_at=_float(m.ended_at),
        wrapup_until=_float(m.wrapup_until), completed_at=_float(m.completed_at),
        outcome=m.outcome, leave_reason=m.leave_reason,
        declined={k: float(v) for k, v in (m.declined or {}).items()},
        not_before=_float(m.not_before), attempts=int(m.attempts or 0),
        max_wait_seconds=None if m.max_wait_seconds is None else int(m.max_wait_seconds),
        overflow_at=_float(m.overflow_at), agent_call_sid=m.agent_call_sid,
        customer_call_sid=m.customer_call_sid, wrapup_recorded=bool(m.wrapup_recorded),
        call=dict(m.call) if m.call else None,
        version=int(m.version),
    )


def agent_model(agent: Agent) -> RoutingAgentModel:
    """The stored form of ``agent`` (version + 1); ``ready_<channel>`` marks free capacity."""
    model = RoutingAgentModel(
        agent.tenant_id, agent.agent_id, version=agent.version + 1, name=agent.name,
        activity=agent.activity.value, tier=agent.tier.value, skills=list(agent.skills),
        attributes=dict(agent.attributes), capacity=dict(agent.capacity),
        holds=dict(agent.holds), wrapup_seconds=agent.wrapup_seconds, mobile=agent.mobile,
        take_on_mobile=agent.take_on_mobile, idle_since=agent.idle_since,
        last_assigned_at=agent.last_assigned_at, last_offered_at=agent.last_offered_at,
        contacts_day=agent.contacts_day, contacts_today=agent.contacts_today,
        missed_in_row=agent.missed_in_row, activity_changed_at=agent.activity_changed_at,
    )
    ready = set(agent.ready_channels())
    for channel in CHANNELS:
        setattr(model, f"ready_{channel}", agent.tenant_id if channel in ready else None)
    return model


def agent_from(m: RoutingAgentModel) -> Agent:
    return Agent(
        tenant_id=m.tenant_id, agent_id=m.agent_id, name=m.name or "",
        activity=Activity(m.activity), tier=Tier(m.tier), skills=tuple(m.skills or ()),
        attributes=dict(m.attributes or {}),
        capacity={k: int(v) for k, v in (m.capacity or {}).items()},
        holds=dict(m.holds or {}), wrapup_seconds=int(m.wrapup_seconds or 0), mobile=m.mobile,
        take_on_mobile=bool(m.take_on_mobile), idle_since=float(m.idle_since or 0),
        last_assigned_at=float(m.last_assigned_at or 0),
        last_offered_at=float(m.last_offered_at or 0), contacts_day=m.contacts_day or "",
        contacts_today=int(m.contacts_today or 0), missed_in_row=int(m.missed_in_row or 0),
        activity_changed_at=float(m.activity_changed_at or 0), version=int(m.version),
    )


QUEUE_PREFIX = "cfg#queue#"
WORKFLOW_ITEM = "cfg#workflow"


def queue_doc(queue: QueueConfig) -> dict[str, Any]:
    return {"name": queue.name, "queue_id": queue.queue_id, "strategy": queue.strategy.value,
            "worker_expression": queue.worker_expression,
            "max_wait_seconds": queue.max_wait_seconds,
            "overflow_after_seconds": queue.overflow_after_seconds,
            "overflow_queue_length": queue.overflow_queue_length,
            "hold_music_url": queue.hold_music_url,
            "reservation_timeout_seconds": queue.reservation_timeout_seconds,
            "ring_all_limit": queue.ring_all_limit,
            "announce_position": queue.announce_position, "wait_message": queue.wait_message}


def queue_model(queue: QueueConfig) -> RoutingConfigModel:
    return RoutingConfigModel(queue.tenant_id, QUEUE_PREFIX + queue.name,
                              version=queue.version + 1, body=queue_doc(queue),
                              queue_id=queue.queue_id)


def queue_from(m: RoutingConfigModel) -> QueueConfig:
    body = dict(m.body or {})
    return QueueConfig(
        tenant_id=m.tenant_id, name=body["name"], queue_id=body["queue_id"],
        strategy=Strategy(body.get("strategy", Strategy.LONGEST_IDLE.value)),
        worker_expression=body.get("worker_expression") or "",
        max_wait_seconds=int(body.get("max_wait_seconds", 900)),
        overflow_after_seconds=body.get("overflow_after_seconds"),
        overflow_queue_length=body.get("overflow_queue_length"),
        hold_music_url=body.get("hold_music_url"),
        reservation_timeout_seconds=body.get("reservation_timeout_seconds"),
        ring_all_limit=int(body.get("ring_all_limit", 10)), version=int(m.version),
        announce_position=bool(body.get("announce_position", True)),
        wait_message=body.get("wait_message") or None)


