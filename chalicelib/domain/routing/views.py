"""The JSON shapes of routing objects, as the agent desktop and the admin pages read them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.routing.model import CHANNELS, Agent, QueueConfig, Reservation, Task


def agent_view(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.agent_id, "name": agent.name, "activity": agent.activity.value,
        "tier": agent.tier.value, "skills": list(agent.skills),
        "attributes": dict(agent.attributes), "capacity": dict(agent.capacity),
        "load": {ch: agent.load(ch) for ch in CHANNELS}, "wrapup_seconds": agent.wrapup_seconds,
        "mobile": agent.mobile, "take_on_mobile": agent.take_on_mobile,
        "missed_in_row": agent.missed_in_row, "idle_since": agent.idle_since,
        "contacts_today": agent.contacts_today,
    }


def task_view(task: Task, now: float | None = None) -> dict[str, Any]:
    """``now``: count a hold in progress into ``call.hold_seconds``."""
    return {**_task_fields(task), **call_fields(task, now), **channel_fields(task)}


def channel_fields(task: Task) -> dict[str, Any]:
    """A message task's thread (docs/conversations.md); a voicemail's recording."""
    a = task.attributes
    if task.kind.value == "message":
        return {"conversation_id": str(a.get("thread_id") or task.task_id),
                "channel": str(a.get("message_channel") or task.channel),
                "message_count": int(a.get("message_count") or 0),
                "last_message_at": a.get("last_message_at")}
    if task.kind.value == "voicemail":
        return {"recording_url": f"/api/tasks/{task.task_id}/recording",
                "recording_duration": a.get("recording_duration"),
                "transcript": a.get("transcript")}
    return {}


def call_fields(task: Task, now: float | None) -> dict[str, Any]:
    """A voice task's conference (``call``), a transfer's context, the wrap-up deadline."""
    from chalicelib.domain.calls.documents import call_from, call_view

    extra: dict[str, Any] = {}
    if task.call:
        state = call_from(task.call)
        extra["call"] = call_view(state, now if now is not None else
                                  (state.hold_started_at or 0.0))
    if "transfer_from" in task.attributes:
        extra["transfer_from"] = task.attributes["transfer_from"]
    if "notes" in task.attributes:
        extra["notes"] = task.attributes["notes"]
    if task.status.value == "wrapping" and task.wrapup_until is not None:
        extra["wrapup_deadline"] = task.wrapup_until
    return extra


def _task_fields(task: Task) -> dict[str, Any]:
    return {
        "id": task.task_id, "status": task.status.value, "channel": task.channel,
        "kind": task.kind.value, "queue": task.queue, "entry_queue": task.entry_queue,
        "priority": task.priority, "caller": task.caller,
        "business_number": task.business_number, "attributes": dict(task.attributes),
        "interaction_id": task.interaction_id, "enqueued_at": task.enqueued_at,
        "assigned_agent": task.assigned_agent, "assigned_at": task.assigned_at,
        "connected_at": task.connected_at, "ended_at": task.ended_at,
        "wrapup_until": task.wrapup_until, "completed_at": task.completed_at,
        "outcome": task.outcome, "target": task.target_index,
    }


def offer_view(task: Task, reservation: Reservation, now: float) -> dict[str, Any]:
    return {
        "id": reservation.reservation_id, "status": reservation.status.value,
        "via": reservation.via, "created_at": reservation.created_at,
        "expires_at": reservation.expires_at,
        "expires_in": max(0.0, round(reservation.expires_at - now, 1)),
        "task": task_view(task),
    }


def queue_view(queue: QueueConfig) -> dict[str, Any]:
    return {
        "name": queue.name, "queue_id": queue.queue_id, "strategy": queue.strategy.value,
        "worker_expression": queue.worker_expression,
        "max_wait_seconds": queue.max_wait_seconds,
        "overflow_after_seconds": queue.overflow_after_seconds,
        "overflow_queue_length": queue.overflow_queue_length,
        "hold_music_url": queue.hold_music_url,
        "reservation_timeout_seconds": queue.reservation_timeout_seconds,
        "ring_all_limit": queue.ring_all_limit,
        "announce_position": queue.announce_position, "wait_message": queue.wait_message,
    }
