"""What write-time aggregation costs in DynamoDB: requests and write units per interaction,
per agent state change, and items read per report. Prints its figures; asserts nothing.

    .venv/bin/python -m bench.aggregates [--interactions 1000] [--seed 7]

A busy tenant's month (America/New_York, November 2026 with its DST change): 3 queues,
10 agents, 3 channels, mixed outcomes, 30 % of contacts from returning customers. Each
interaction is stored as the CRM stores it (not counted: the CRM writes it anyway), then
settled as the webhooks settle it (counted: the aggregation's own requests). DynamoDB
Local, in memory.
"""

from __future__ import annotations

import random
import sys
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dynamo_requests import counted, install, run_on_local_dynamodb  # noqa: E402

QUEUES = ("support", "sales", "billing")
CHANNELS = ("voice", "voice", "voice", "sms", "chat")
AGENTS = tuple(f"agent{n}" for n in range(10))
WRU_PRICE_PER_MILLION = 0.625  # us-east-1 on-demand, per million write request units
ITEM_KB = 1  # every aggregate and marker item is under 1 KB: 1 WRU (2 in a transaction)

_items = Counter[str]()


def _count_items() -> None:
    """Count the items each write request touches (a transaction's items cost 2 WRU each)."""
    from botocore.client import BaseClient

    install()
    inner = BaseClient._make_api_call

    def counting(client: Any, operation: str, params: Any) -> Any:
        if operation == "TransactWriteItems":
            _items["transact_items"] += len(params.get("TransactItems", []))
        elif operation in ("UpdateItem", "PutItem"):
            _items["single_writes"] += 1
        result = inner(client, operation, params)
        if operation == "Query":
            _items["query_items"] += int(result.get("Count", 0))
        return result

    BaseClient._make_api_call = counting


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def interaction(rng: random.Random, tenant_id: str, customers: list[str]) -> Any:
    from chalicelib.domain.crm import Interaction

    start = rng.uniform(ts("2026-11-01T05:00:00"), ts("2026-12-01T04:00:00"))
    channel = rng.choice(CHANNELS)
    phone = rng.choice(customers) if rng.random() < 0.3 and customers else (
        "+1415" + str(rng.randrange(10**6, 10**7)))
    customers.append(phone)
    sid = ("CA" if channel == "voice" else "SM") + uuid.uuid4().hex
    base = Interaction(tenant_id=tenant_id, interaction_id=sid,
                       contact_id="ct_" + phone[1:], contact_phone=phone, channel=channel,
                       direction="inbound", status="completed", started_at=start)
    roll = rng.random()
    if roll < 0.05 and channel == "voice":  # gone in the IVR
        return replace(base, ended_at=start + rng.uniform(5, 60))
    queued = start + (rng.uniform(5, 40) if channel == "voice" else 0)
    wait = rng.expovariate(1 / 25)
    fields: dict[str, Any] = {"queue": rng.choice(QUEUES), "queued_at": queued}
    if roll < 0.20:  # abandoned (some under 5 s: short abandons)
        fields.update(ended_at=queued + wait, outcome="abandoned")
    elif roll < 0.25:
        fields.update(ended_at=queued + wait + 30, outcome="voicemail")
    elif roll < 0.30:
        fields.update(ended_at=queued + wait, outcome="callback-requested")
    else:
        talk = rng.uniform(60, 400)
        answered = queued + wait
        fields.update(answered_at=answered, agent_id=rng.choice(AGENTS),
                      ended_at=answered + talk, hold_seconds=rng.choice((0, 0, 30)),
                      wrapped_up_at=answered + talk + rng.uniform(5, 60),
                      transfers=[{"to": "billing"}] if rng.random() < 0.05 else None)
    return replace(base, **fields)


def run(settings: Any, count: int, seed: int) -> None:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.domain.identity import Tenant
    from chalicelib.domain.metrics.aggregates import Filter
    from chalicelib.services.directory import CachedDirectory
    from chalicelib.services.reports.reading import AggregateReading
    from chalicelib.services.reports.recorder import MetricsRecorder
    from chalicelib.services.reports.service import ReportsService

    rng = random.Random(seed)
    tenants = TenantRepository(settings)
    tenant = Tenant(tenant_id="tn_bench" + uuid.uuid4().hex[:6], name="Busy",
                    timezone="America/New_York", twilio_account_sid="AC" + "1" * 32,
                    twilio_auth_token="x")
    tenants.save(tenant)
    crm = CrmRepository()
    metrics = MetricsRepository(settings)
    recorder = MetricsRecorder(metrics, CachedDirectory(tenants), lookup=crm)
    customers: list[str] = []
    made = [interaction(rng, tenant.tenant_id, customers) for _ in range(count)]
    for item in made:
        crm.create_interaction(item)
    _count_items()
    _items.clear()
    with counted() as calls:
        for item in sorted(made, key=lambda i: i.started_at):
            recorder.settle(tenant.tenant_id, item)
    settle_items = Counter(_items)
    _items.clear()
    with counted() as again:  # every webhook retried once: nothing is added
        for item in made:
            recorder.settle(tenant.tenant_id, item)
    _items.clear()
    changes = 0
    with counted() as agent_calls:
        for day in range(1, 31):
            for agent in AGENTS:
                start = ts(f"2026-11-{day:02d}T13:00:00")
                recorder.agent_time(tenant.tenant_id, agent, "available", start,
                                    start + 4 * 3600)
                recorder.agent_time(tenant.tenant_id, agent, "available",
                                    start + 5 * 3600, start + 9 * 3600)
                changes += 2
    agent_items = Counter(_items)
    _items.clear()

    total = sum(calls.values())
    wru = 2 * settle_items["transact_items"] + settle_items["single_writes"]
    print(f"interactions settled: {count} (one busy tenant, November 2026, "
          f"{len(QUEUES)} queues, {len(AGENTS)} agents)")
    print(f"  DynamoDB requests per interaction: {total / count:.2f}  "
          f"({', '.join(f'{op} {n / count:.2f}' for op, n in sorted(calls.items()))})")
    print(f"  items written in transactions per interaction: "
          f"{settle_items['transact_items'] / count:.2f} (x 2 WRU each); "
          f"single conditional updates (longest wait): "
          f"{settle_items['single_writes'] / count:.2f}")
    print(f"  write units per 1,000 interactions: {wru * 1000 / count:,.0f} WRU "
          f"= ${wru * 1000 / count * WRU_PRICE_PER_MILLION / 1e6:.4f} "
          f"(on-demand, ${WRU_PRICE_PER_MILLION}/million WRU)")
    print(f"  reads per interaction (FCR look-up of the customer's contacts): "
          f"{calls['Query'] / count:.2f} Query")
    print(f"  retried once each: {sum(again.values()) / count:.2f} requests per interaction, "
          f"nothing added")
    agent_wru = 2 * agent_items["transact_items"]
    print(f"agent state changes (occupancy's staffed time): {changes}")
    print(f"  requests per change: {sum(agent_calls.values()) / changes:.2f}; items per "
          f"change: {agent_items['transact_items'] / changes:.2f}; "
          f"{agent_wru / changes:.1f} WRU per change")

    reading = AggregateReading(metrics)
    reports = ReportsService(reading, InteractionHistory(), _NoAgents(), tenants)
    cases = (("monthly summary", lambda: reports.summary(
                tenant.tenant_id, "2026-11-01", "2026-11-30", Filter())),
             ("monthly summary, one queue", lambda: reports.summary(
                tenant.tenant_id, "2026-11-01", "2026-11-30", Filter(queue="support"))),
             ("month by day", lambda: reports.intervals(
                tenant.tenant_id, "2026-11-01", "2026-11-30", Filter(), "day")),
             ("one day by 15 minutes", lambda: reports.intervals(
                tenant.tenant_id, "2026-11-17", "2026-11-17", Filter(), "15m")),
             ("month per agent", lambda: reports.agents_report(
                tenant.tenant_id, "2026-11-01", "2026-11-30", Filter())))
    print("reports (items read from the aggregates; the raw interactions: "
          f"{count}):")
    for name, call in cases:
        reading.queries = reading.items_read = 0
        with counted() as read_calls:
            body = call()
        print(f"  {name:<28} {reading.queries:>3} Query, {reading.items_read:>4} items "
              f"({sum(read_calls.values())} requests)"
              + (f"  offered {body['offered']}" if "offered" in body else ""))


class _NoAgents:
    def list_agents(self, tenant_id: str) -> list[Any]:
        return []


def main(argv: list[str] | None = None) -> int:
    return run_on_local_dynamodb(__doc__.split("\n\n")[0], run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
