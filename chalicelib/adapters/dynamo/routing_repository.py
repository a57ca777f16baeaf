"""Tasks and agents in DynamoDB: constant-cost reads for matching, and atomic commits.

Every change goes through ``commit``: one conditional put (a single item) or one
TransactWrite (several), each item conditioned on the version it was read at. A failed
condition raises ``StaleState`` naming the items that changed; nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import (
    cancellation_reasons,
    dynamo_call,
    error_code,
    translated,
)
from chalicelib.adapters.dynamo.models.routing import (
    TIMER_SHARDS,
    RoutingAgentModel,
    RoutingTaskModel,
)
from chalicelib.adapters.dynamo.routing_mapping import (
    agent_from,
    agent_model,
    queue_key,
    queue_sort,
    task_from,
    task_key,
    task_model,
)
from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict, Unavailable
from chalicelib.domain.routing.changes import AgentWrite, Committed, TaskWrite
from chalicelib.domain.routing.model import Activity, Agent, StaleState, Task

_RACE_CODES = {"ConditionalCheckFailed", "TransactionConflict"}
_READY_INDEXES = {
    "voice": RoutingAgentModel.ready_voice_index,
    "sms": RoutingAgentModel.ready_sms_index,
    "chat": RoutingAgentModel.ready_chat_index,
    "voicemail": RoutingAgentModel.ready_voicemail_index,
}


# --- the conditions, as named parts ---------------------------------------------------
def _task_is_new() -> Condition:
    return RoutingTaskModel.key.does_not_exist()


def _task_unchanged(write: TaskWrite) -> Condition:
    still_same_version = RoutingTaskModel.version == write.task.version
    still_in_state = RoutingTaskModel.status == (write.was.value if write.was else "")
    return still_same_version & still_in_state


def _agent_is_new() -> Condition:
    return RoutingAgentModel.agent_id.does_not_exist()


def _agent_unchanged(write: AgentWrite) -> Condition:
    still_same_version = RoutingAgentModel.version == write.agent.version
    if not write.must_be_available:
        return still_same_version
    still_available = RoutingAgentModel.activity == Activity.AVAILABLE.value
    return still_same_version & still_available


class RoutingRepository:
    def __init__(self, settings: Settings, page_size: int = 100) -> None:
        self._settings = settings
        self.page_size = page_size

    # --- writes ---------------------------------------------------------------------
    def commit(self, tasks: Sequence[TaskWrite] = (), agents: Sequence[AgentWrite] = (),
               *, now: float) -> Committed:
        """Write every change or none; raise StaleState if any item changed meanwhile."""
        items: list[tuple[str, RoutingTaskModel | RoutingAgentModel, Condition]] = []
        for tw in tasks:
            items.append((tw.label, task_model(tw.task, now),
                          _task_is_new() if tw.was is None else _task_unchanged(tw)))
        for aw in agents:
            items.append((aw.label, agent_model(aw.agent),
                          _agent_is_new() if aw.new else _agent_unchanged(aw)))
        if not items:
            return Committed({}, {})
        try:
            with translated("commit a routing change"):
                if len(items) == 1:
                    _, model, condition = items[0]
                    model.save(condition=condition)
                else:
                    with TransactWrite(connection=connection(self._settings)) as tx:
                        for _, model, condition in items:
                            tx.save(model, condition=condition)
        except (Conflict, Unavailable) as exc:
            raise self._stale(exc, [label for label, _, _ in items]) from exc.__cause__
        return Committed(
            tasks={tw.task.task_id: replace(tw.task, version=tw.task.version + 1)
                   for tw in tasks},
            agents={aw.agent.agent_id: replace(aw.agent, version=aw.agent.version + 1)
                    for aw in agents})

    @staticmethod
    def _stale(exc: Conflict | Unavailable, labels: list[str]) -> Exception:
        """A lost race (a failed condition or a concurrent transaction) is StaleState."""
        cause = exc.__cause__
        if not isinstance(cause, PynamoDBException):
            return exc
        if error_code(cause) == "TransactionConflictException":  # an item is mid-transaction
            return StaleState(f"changed meanwhile: {labels[0]}", (labels[0],))
        reasons = cancellation_reasons(cause)
        if reasons:
            stale = tuple(labels[i] for i, code in enumerate(reasons) if code in _RACE_CODES)
            if stale:
                return StaleState(f"changed meanwhile: {', '.join(stale)}", stale)
            return exc
        if isinstance(exc, Conflict):
            return StaleState(f"changed meanwhile: {labels[0]}", (labels[0],))
        return exc

    # --- tasks ----------------------------------------------------------------------
    @dynamo_call("get a routing task")
    def get_task(self, tenant_id: str, task_id: str) -> Task | None:
        try:
            return task_from(RoutingTaskModel.get(task_key(tenant_id, task_id),
                                                  consistent_read=True))
        except RoutingTaskModel.DoesNotExist:
            return None

    @dynamo_call("get routing tasks")
    def get_tasks(self, tenant_id: str, task_ids: Iterable[str]) -> list[Task]:
        keys = [task_key(tenant_id, tid) for tid in dict.fromkeys(task_ids)]
        if not keys:
            return []
        found = [task_from(m) for m in RoutingTaskModel.batch_get(keys, consistent_read=True)]
        return [t for t in found if t.tenant_id == tenant_id]

    @dynamo_call("read the head of a queue")
    def pending_page(self, tenant_id: str, queue: str, limit: int) -> list[Task]:
        """The next ``limit`` pending tasks in order of service: one Query, any queue size."""
        results = RoutingTaskModel.pending.query(queue_key(tenant_id, queue), limit=limit,
                                                 page_size=limit)
        return [task_from(m) for m in results]

    @dynamo_call("count tasks ahead")
    def count_ahead(self, task: Task, cap: int) -> tuple[int, bool]:
        """Pending tasks served before ``task`` (at most ``cap``; True if there are more)."""
        results = RoutingTaskModel.pending.query(
            queue_key(task.tenant_id, task.queue),
            range_key_condition=RoutingTaskModel.queue_sort < queue_sort(task),
            limit=cap, page_size=cap, attributes_to_get=["key"])
        count = sum(1 for _ in results)
        return count, results.last_evaluated_key is not None

    @dynamo_call("count waiting tasks")
    def count_waiting(self, tenant_id: str, queue: str, cap: int | None = None
                      ) -> tuple[int, bool]:
        """Pending tasks in a queue: exact when ``cap`` is None, else at most ``cap``."""
        if cap is None:
            return RoutingTaskModel.waiting.count(queue_key(tenant_id, queue)), False
        results = RoutingTaskModel.waiting.query(queue_key(tenant_id, queue), limit=cap,
                                                 page_size=cap)
        count = sum(1 for _ in results)
        return count, results.last_evaluated_key is not None

    @dynamo_call("find the oldest wait")
    def oldest_enqueued_at(self, tenant_id: str, queue: str) -> float | None:
        for m in RoutingTaskModel.waiting.query(queue_key(tenant_id, queue), limit=1,
                                                page_size=1, scan_index_forward=True):
            return float(m.enqueued_at)
        return None

    @dynamo_call("find due routing timers")
    def due_tasks(self, shard: int, now: float, limit: int) -> list[tuple[str, str]]:
        """(tenant id, task id) of tasks whose timer is due, oldest first."""
        results = RoutingTaskModel.timers.query(
            str(shard), range_key_condition=RoutingTaskModel.timer_at <= now, limit=limit,
            page_size=limit)
        due = []
        for m in results:
            tenant_id, _, task_id = m.key.rpartition("#")
            due.append((tenant_id, task_id))
        return due

    @property
    def timer_shards(self) -> int:
        return TIMER_SHARDS

    # --- agents ---------------------------------------------------------------------
    @dynamo_call("get a routing agent")
    def get_agent(self, tenant_id: str, agent_id: str) -> Agent | None:
        try:
            return agent_from(RoutingAgentModel.get(tenant_id, agent_id, consistent_read=True))
        except RoutingAgentModel.DoesNotExist:
            return None

    @dynamo_call("get routing agents")
    def get_agents(self, tenant_id: str, agent_ids: Iterable[str]) -> dict[str, Agent]:
        keys = [(tenant_id, aid) for aid in dict.fromkeys(agent_ids)]
        if not keys:
            return {}
        return {m.agent_id: agent_from(m)
                for m in RoutingAgentModel.batch_get(keys, consistent_read=True)}

    @dynamo_call("list routing agents")
    def list_agents(self, tenant_id: str) -> list[Agent]:
        return [agent_from(m) for m in RoutingAgentModel.query(tenant_id)]

    @dynamo_call("find ready agents")
    def ready_agents(self, tenant_id: str, channel: str, limit: int | None = None) -> list[Agent]:
        """Agents with free capacity on ``channel``, longest idle first: one Query."""
        index = _READY_INDEXES.get(channel)
        if index is None:
            return []
        size = limit or self.page_size
        return [agent_from(m) for m in index.query(tenant_id, limit=size, page_size=size)]
