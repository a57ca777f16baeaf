"""The routing store on DynamoDB Local: versioned commits, sparse indexes, and DynamoDB's
failures translated into domain errors (Stubber for throttling)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from botocore.stub import Stubber

from chalicelib.adapters.dynamo import base
from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
from chalicelib.domain.errors import Conflict, Unavailable
from chalicelib.domain.routing.changes import AgentWrite, TaskWrite
from chalicelib.domain.routing.lifecycle import reserve
from chalicelib.domain.routing.model import (
    Activity,
    Agent,
    StaleState,
    Target,
    Task,
    TaskKind,
    TaskStatus,
    task_id_for,
)

NOW = 1_600_000_000.0


def new_task(tenant_id: str, key: str, **changes: Any) -> Task:
    task = Task(tenant_id=tenant_id, task_id=task_id_for(tenant_id, key), channel="voice",
                kind=TaskKind.CALL, status=TaskStatus.PENDING, queue="support",
                entry_queue="support", priority=0, enqueued_at=NOW,
                targets=(Target("support"),), target_entered_at=NOW)
    return replace(task, **changes)


def new_agent(tenant_id: str, agent_id: str, **changes: Any) -> Agent:
    return replace(Agent(tenant_id=tenant_id, agent_id=agent_id,
                         activity=Activity.AVAILABLE), **changes)


@pytest.fixture
def store(settings: Any) -> RoutingRepository:
    return RoutingRepository(settings)


def test_a_commit_bumps_versions_and_a_stale_write_is_refused(
        store: RoutingRepository, tenant_id: str) -> None:
    created = store.commit([TaskWrite(new_task(tenant_id, "CA1"), was=None)], now=NOW)
    task = created.tasks[task_id_for(tenant_id, "CA1")]
    assert task.version == 1

    store.commit([TaskWrite(replace(task, priority=5), was=TaskStatus.PENDING)], now=NOW)
    with pytest.raises(StaleState) as caught:
        store.commit([TaskWrite(replace(task, priority=9), was=TaskStatus.PENDING)], now=NOW)

    assert caught.value.stale == (f"task:{task.task_id}",)
    stored = store.get_task(tenant_id, task.task_id)
    assert stored is not None and stored.priority == 5 and stored.version == 2


def test_a_transaction_writes_everything_or_nothing(
        store: RoutingRepository, tenant_id: str) -> None:
    task = store.commit([TaskWrite(new_task(tenant_id, "CA2"), was=None)],
                        now=NOW).tasks[task_id_for(tenant_id, "CA2")]
    alex = store.commit(agents=[AgentWrite(new_agent(tenant_id, "alex"), new=True)],
                        now=NOW).agents["alex"]
    store.commit(agents=[AgentWrite(replace(alex, name="changed"))], now=NOW)
    reserved, agents = reserve(task, [alex], NOW, lambda via: 15.0)

    with pytest.raises(StaleState) as caught:
        store.commit([TaskWrite(reserved, was=TaskStatus.PENDING)],
                     [AgentWrite(agents[0], must_be_available=True)], now=NOW)

    assert caught.value.stale == ("agent:alex",)
    untouched = store.get_task(tenant_id, task.task_id)
    assert untouched is not None and untouched.status is TaskStatus.PENDING
    assert untouched.version == 1


def test_only_pending_tasks_are_in_the_queue_index_in_order_of_service(
        store: RoutingRepository, tenant_id: str) -> None:
    writes = [TaskWrite(new_task(tenant_id, f"CA1{n}", enqueued_at=NOW + n,
                                 priority=10 if n == 3 else 0), was=None) for n in range(5)]
    for write in writes:
        store.commit([write], now=NOW)
    ids = [w.task.task_id for w in writes]
    busy = store.get_task(tenant_id, ids[1])
    assert busy is not None
    store.commit([TaskWrite(replace(busy, status=TaskStatus.RESERVED), was=TaskStatus.PENDING)],
                 now=NOW)

    page = store.pending_page(tenant_id, "support", 10)

    assert [t.task_id for t in page] == [ids[3], ids[0], ids[2], ids[4]]
    assert store.count_waiting(tenant_id, "support") == (4, False)
    assert store.count_waiting(tenant_id, "support", cap=2) == (2, True)
    assert store.oldest_enqueued_at(tenant_id, "support") == NOW
    last = store.get_task(tenant_id, ids[4])
    assert last is not None and store.count_ahead(last, 50) == (3, False)


def test_only_agents_with_room_are_in_the_ready_index_longest_idle_first(
        store: RoutingRepository, tenant_id: str) -> None:
    store.commit(agents=[
        AgentWrite(new_agent(tenant_id, "a", idle_since=30.0), new=True),
        AgentWrite(new_agent(tenant_id, "b", idle_since=10.0), new=True),
        AgentWrite(new_agent(tenant_id, "c", idle_since=5.0, activity=Activity.BREAK), new=True),
        AgentWrite(new_agent(tenant_id, "d", idle_since=1.0, holds={"TK1": "voice"}), new=True),
    ], now=NOW)

    assert [a.agent_id for a in store.ready_agents(tenant_id, "voice")] == ["b", "a"]
    assert [a.agent_id for a in store.ready_agents(tenant_id, "chat")] == ["d", "b", "a"]


def test_due_timers_are_found_without_a_scan(store: RoutingRepository, tenant_id: str) -> None:
    task = store.commit([TaskWrite(new_task(tenant_id, "CA4"), was=None)],
                        now=NOW).tasks[task_id_for(tenant_id, "CA4")]
    alex = store.commit(agents=[AgentWrite(new_agent(tenant_id, "alex"), new=True)],
                        now=NOW).agents["alex"]
    reserved, agents = reserve(task, [alex], NOW, lambda via: 15.0)
    store.commit([TaskWrite(reserved, was=TaskStatus.PENDING)], [AgentWrite(agents[0])], now=NOW)

    def due(at: float) -> list[tuple[str, str]]:
        found = []
        for shard in range(store.timer_shards):
            found += store.due_tasks(shard, at, 100)
        return [d for d in found if d[0] == tenant_id]

    assert due(NOW + 14) == []
    assert due(NOW + 15) == [(tenant_id, task.task_id)]


def test_another_tenants_task_is_invisible(store: RoutingRepository, tenant_id: str) -> None:
    store.commit([TaskWrite(new_task(tenant_id, "CA5"), was=None)], now=NOW)

    assert store.get_task("tn_someone_else", task_id_for(tenant_id, "CA5")) is None
    assert store.get_tasks("tn_someone_else", [task_id_for(tenant_id, "CA5")]) == []


def test_throttling_becomes_unavailable(settings: Any, store: RoutingRepository,
                                       tenant_id: str) -> None:
    client = base.connection(settings).client
    with Stubber(client) as stub:
        stub.add_client_error("get_item", service_error_code="ThrottlingException",
                              http_status_code=400)
        with pytest.raises(Unavailable, match="throttling"):
            store.get_task(tenant_id, "TK" + "0" * 32)


def test_a_throttled_transaction_is_unavailable_not_a_lost_race(
        settings: Any, store: RoutingRepository, tenant_id: str) -> None:
    writes = [TaskWrite(new_task(tenant_id, f"CA6{n}"), was=None) for n in range(2)]
    client = base.connection(settings).client
    with Stubber(client) as stub:
        stub.add_client_error("transact_write_items",
                              service_error_code="ProvisionedThroughputExceededException",
                              http_status_code=400)
        with pytest.raises(Unavailable) as caught:
            store.commit(writes, now=NOW)

    assert not isinstance(caught.value, Conflict)


def test_a_failed_condition_becomes_a_conflict(settings: Any, store: RoutingRepository,
                                               tenant_id: str) -> None:
    client = base.connection(settings).client
    with Stubber(client) as stub:
        stub.add_client_error("put_item", service_error_code="ConditionalCheckFailedException",
                              http_status_code=400)
        with pytest.raises(Conflict):
            store.commit([TaskWrite(new_task(tenant_id, "CA7"), was=None)], now=NOW)


def test_a_transaction_that_lost_to_a_concurrent_one_is_a_lost_race_naming_the_item(
        settings: Any, store: RoutingRepository, tenant_id: str) -> None:
    writes = [TaskWrite(new_task(tenant_id, f"CA8{n}"), was=None) for n in range(2)]
    client = base.connection(settings).client
    with Stubber(client) as stub:
        stub.add_client_error(
            "transact_write_items", service_error_code="TransactionCanceledException",
            http_status_code=400, modeled_fields={"CancellationReasons": [
                {"Code": "None"}, {"Code": "TransactionConflict"}]})
        with pytest.raises(StaleState) as caught:
            store.commit(writes, now=NOW)

    assert caught.value.stale == (writes[1].label,)


def test_a_put_on_an_item_inside_another_transaction_is_a_lost_race(
        settings: Any, store: RoutingRepository, tenant_id: str) -> None:
    client = base.connection(settings).client
    with Stubber(client) as stub:
        stub.add_client_error("put_item", service_error_code="TransactionConflictException",
                              http_status_code=400)
        with pytest.raises(StaleState):
            store.commit([TaskWrite(new_task(tenant_id, "CA9"), was=None)], now=NOW)
