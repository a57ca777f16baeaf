"""Small builders for routing objects in tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.domain.routing.model import (
    Activity,
    Agent,
    QueueConfig,
    Strategy,
    Target,
    Task,
    TaskKind,
    TaskStatus,
    Tier,
    task_id_for,
)

TENANT = "tn_test"


def agent(agent_id: str = "alex", **changes: Any) -> Agent:
    base = Agent(tenant_id=TENANT, agent_id=agent_id, name=agent_id.title(),
                 activity=Activity.AVAILABLE, tier=Tier.FULL_TIME, skills=("support",))
    return replace(base, **changes)


def task(key: str = "CA1", **changes: Any) -> Task:
    base = Task(tenant_id=TENANT, task_id=task_id_for(TENANT, key), channel="voice",
                kind=TaskKind.CALL, status=TaskStatus.PENDING, queue="support",
                entry_queue="support", priority=0, enqueued_at=1000.0,
                targets=(Target(queue="support"),), target_entered_at=1000.0,
                call_sid=key, interaction_id=key, caller="+15550001111",
                business_number="+15559990000")
    return replace(base, **changes)


def queue(name: str = "support", **changes: Any) -> QueueConfig:
    base = QueueConfig(tenant_id=TENANT, name=name, queue_id="WQ" + "0" * 32,
                       strategy=Strategy.LONGEST_IDLE)
    return replace(base, **changes)
