"""Routing benchmark: DynamoDB requests per match with 10 to 10,000 tasks waiting, and
matches per second on this machine (DynamoDB Local, in memory).

    .venv/bin/python bench/routing.py

Requests are counted at botocore's API-call boundary (bench/dynamo_requests.py).
The budget is constant: the count must not grow with the queue.
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dynamo_requests import counted, local_dynamodb

SIZES = (10, 100, 1_000, 10_000)
MATCHES_PER_SIZE = 20
THROUGHPUT_MATCHES = 200


def build(settings: Any) -> tuple[Any, Any]:
    from chalicelib.adapters.dynamo.routing_config_repository import RoutingConfigRepository
    from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
    from chalicelib.services.routing.matcher import Matcher
    from chalicelib.services.routing.ports import ConfigCache, RoutingUrls
    from chalicelib.services.routing.service import RoutingService
    from tests.integration.routing.fakes import FakeCrm, FakeTelephony

    store = RoutingRepository(settings)
    telephony = FakeTelephony()
    matcher = Matcher(store, telephony, RoutingUrls(settings.public_url))
    service = RoutingService(store, ConfigCache(RoutingConfigRepository(), ttl=3600), matcher,
                             telephony, FakeCrm())
    return store, service


def fill_queue(tenant_id: str, count: int, now: float) -> None:
    """``count`` pending calls, written in batches (setup, not measured)."""
    from chalicelib.adapters.dynamo.models.routing import RoutingTaskModel
    from chalicelib.adapters.dynamo.routing_mapping import task_model
    from chalicelib.domain.routing.model import Target, Task, TaskKind, TaskStatus, task_id_for

    with RoutingTaskModel.batch_write() as batch:
        for n in range(count):
            task = Task(tenant_id=tenant_id, task_id=task_id_for(tenant_id, f"CA{n}"),
                        channel="voice", kind=TaskKind.CALL, status=TaskStatus.PENDING,
                        queue="support", entry_queue="support", priority=n % 3,
                        enqueued_at=now + n / 1000, targets=(Target("support"),),
                        target_entered_at=now)
            batch.save(task_model(task, now))


def add_agents(store: Any, tenant_id: str, count: int, now: float) -> None:
    from chalicelib.domain.routing.changes import AgentWrite
    from chalicelib.domain.routing.model import Activity, Agent

    for n in range(count):
        agent = Agent(tenant_id=tenant_id, agent_id=f"agent{n:04d}", activity=Activity.AVAILABLE,
                      idle_since=now - n)
        store.commit(agents=[AgentWrite(agent, new=True)], now=now)


def requests_per_match(settings: Any, size: int) -> dict[str, Any]:
    store, service = build(settings)
    tenant_id = "tn_bench_" + uuid.uuid4().hex[:8]
    now = time.time()
    service.config.store.save_queue(_queue(tenant_id), new=True)
    fill_queue(tenant_id, size, now - size)
    matches = min(MATCHES_PER_SIZE, size // 2)  # the queue stays at least half full
    add_agents(store, tenant_id, matches, now)
    service.config.get(tenant_id)  # warm the per-container config cache, as a warm Lambda
    counts, operations = [], Counter[str]()
    for _ in range(matches):
        with counted() as calls:
            offered = service.match(tenant_id, "support", max_offers=1)
        assert len(offered) == 1, "the match made no offer"
        counts.append(sum(calls.values()))
        operations.update(calls)
    return {"size": size, "median": statistics.median(counts), "max": max(counts),
            "per_match": {op: n / matches for op, n in sorted(operations.items())}}


def matches_per_second(settings: Any) -> float:
    store, service = build(settings)
    tenant_id = "tn_bench_" + uuid.uuid4().hex[:8]
    now = time.time()
    service.config.store.save_queue(_queue(tenant_id), new=True)
    fill_queue(tenant_id, THROUGHPUT_MATCHES, now - THROUGHPUT_MATCHES)
    add_agents(store, tenant_id, THROUGHPUT_MATCHES, now)
    service.config.get(tenant_id)
    started = time.perf_counter()
    made = 0
    while made < THROUGHPUT_MATCHES:
        made += len(service.match(tenant_id, "support", max_offers=1))
    return made / (time.perf_counter() - started)


def _queue(tenant_id: str) -> Any:
    from chalicelib.domain.routing.model import QueueConfig, new_queue_id

    return replace(QueueConfig(tenant_id=tenant_id, name="support",
                               queue_id=new_queue_id(tenant_id, "support")),
                   overflow_after_seconds=None, overflow_queue_length=None)


def main() -> None:
    with local_dynamodb() as settings:
        print("DynamoDB requests per match (one offer), warm container:")
        print(f"{'waiting':>8} {'median':>7} {'max':>5}  per match, by operation")
        for size in SIZES:
            row = requests_per_match(settings, size)
            ops = ", ".join(f"{op} {n:g}" for op, n in row["per_match"].items())
            print(f"{row['size']:>8} {row['median']:>7g} {row['max']:>5}  {ops}")
        rate = matches_per_second(settings)
        print(f"\nmatches per second (one offer each, sequential, DynamoDB Local): {rate:.0f}")


if __name__ == "__main__":
    main()
