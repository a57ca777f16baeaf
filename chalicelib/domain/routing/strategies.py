"""Who may serve a task, and whom to offer it to.

Eligibility: the agent is available with free capacity on the task's channel, matches
the queue's worker expression and the current workflow target's expression, did not
just decline this task, and is full-time, or part-time while the queue overflows.

Strategies, per queue: longest-idle (the default), round-robin (least recently
assigned), fewest contacts today, and ring-all (offer to every eligible agent at once;
the first accept wins). Full-time agents always come before part-time ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain.routing.expressions import parse
from chalicelib.domain.routing.lifecycle import utc_day
from chalicelib.domain.routing.model import Agent, QueueConfig, Strategy, Task, TaskKind, Tier

REOFFER_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class Overflow:
    """Part-timers are offered work once the oldest wait passes T or the queue passes N."""

    oldest_wait_seconds: float
    waiting: int

    def active(self, queue: QueueConfig) -> bool:
        by_wait = (queue.overflow_after_seconds is not None
                   and self.oldest_wait_seconds >= queue.overflow_after_seconds)
        by_length = (queue.overflow_queue_length is not None
                     and self.waiting > queue.overflow_queue_length)
        return by_wait or by_length


def eligible(agent: Agent, task: Task, queue: QueueConfig, now: float, *, overflow: bool,
             reoffer_after: float = REOFFER_AFTER_SECONDS) -> bool:
    if not agent.has_room(task.channel) or task.task_id in agent.holds:
        return False
    declined_at = task.declined.get(agent.agent_id)
    if declined_at is not None and now - declined_at < reoffer_after:
        return False
    if agent.tier is Tier.PART_TIME and not overflow:
        return False
    if agent.offers_by_mobile and not (task.channel == "voice" and task.kind is TaskKind.CALL):
        return False
    worker, task_scope = agent.scope(), task.scope()
    if not parse(queue.worker_expression).matches(worker=worker, task=task_scope):
        return False
    target = task.target
    return target is None or parse(target.expression).matches(worker=worker, task=task_scope)


def only_part_timers(agents: Iterable[Agent]) -> bool:
    """Only part-timers could serve: the overflow rule decides (and costs two reads)."""
    listed = list(agents)
    return bool(listed) and all(a.tier is Tier.PART_TIME for a in listed)


def _contacts_today(agent: Agent, day: str) -> int:
    return agent.contacts_today if agent.contacts_day == day else 0


def choose(candidates: list[Agent], strategy: Strategy, now: float,
           ring_all_limit: int = 10) -> list[Agent]:
    """The agent(s) to offer the task to, per the queue's strategy ([] if none)."""
    if not candidates:
        return []
    full_time = [a for a in candidates if a.tier is Tier.FULL_TIME]
    pool = full_time or candidates
    if strategy is Strategy.RING_ALL:
        return sorted(pool, key=lambda a: (a.idle_since, a.agent_id))[:max(1, ring_all_limit)]
    if strategy is Strategy.ROUND_ROBIN:
        return [min(pool, key=lambda a: (a.last_assigned_at, a.agent_id))]
    if strategy is Strategy.FEWEST_CONTACTS:
        day = utc_day(now)
        return [min(pool, key=lambda a: (_contacts_today(a, day), a.idle_since, a.agent_id))]
    return [min(pool, key=lambda a: (a.idle_since, a.agent_id))]
