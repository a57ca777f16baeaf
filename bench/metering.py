"""What metering costs in DynamoDB per 1,000 interactions, and what the spending cap's
figure costs per read. Prints its figures; asserts nothing.

    .venv/bin/python -m bench.metering [--interactions 1000] [--seed 7]

A busy tenant's month (America/New_York, November 2026): 60 % calls (the caller's
inbound leg and the agent's browser leg, one in ten recorded), 30 % SMS conversations
(the customer's text, the flow's acknowledgement and an agent's reply), 10 % web chats.
Every callback is delivered twice (Twilio retries): the second adds nothing. DynamoDB
Local, in memory, the same repository the webhooks use.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dynamo_requests import counted, install, run_on_local_dynamodb  # noqa: E402

WRU_PRICE_PER_MILLION = 0.625  # us-east-1 on-demand, per million write request units
RRU_PRICE_PER_MILLION = 0.125
_items = Counter[str]()


def _count_items() -> None:
    """Items per write request (a transaction's items cost 2 WRU each, up to 1 KB)."""
    from botocore.client import BaseClient

    install()
    inner = BaseClient._make_api_call

    def counting(client: Any, operation: str, params: Any) -> Any:
        if operation == "TransactWriteItems":
            _items["transact_items"] += len(params.get("TransactItems", []))
            _items["transactions"] += 1
        try:
            return inner(client, operation, params)
        except Exception:
            if operation == "TransactWriteItems":
                _items["cancelled"] += 1
            raise

    BaseClient._make_api_call = counting


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def events(rng: random.Random, count: int) -> list[tuple[str, tuple[Any, ...]]]:
    """(method, args) of every billable event of ``count`` interactions."""
    out: list[tuple[str, tuple[Any, ...]]] = []
    for _ in range(count):
        at = rng.uniform(ts("2026-11-01T06:00:00"), ts("2026-12-01T04:00:00"))
        roll = rng.random()
        if roll < 0.6:
            talk = rng.uniform(20, 600)
            out.append(("meter_call_leg", ("CA" + uuid.uuid4().hex, "inbound",
                                           talk + rng.uniform(10, 90), at)))
            out.append(("meter_call_leg", ("CA" + uuid.uuid4().hex, "outbound-api", talk, at)))
            if rng.random() < 0.1:
                out.append(("meter_recording", ("RE" + uuid.uuid4().hex, talk, at)))
        elif roll < 0.9:
            sid = "SM" + uuid.uuid4().hex
            text = "Hi, can I get three jugs delivered on Tuesday?" * rng.randint(1, 4)
            out.append(("meter_message", (sid, "sms", "inbound", text, at)))
            out.append(("meter_message", (sid + "#reply0", "sms", "outbound",
                                          "Thanks for texting Aqua Pure!", at)))
            out.append(("meter_message", ("SM" + uuid.uuid4().hex, "sms", "outbound",
                                          "Tuesday works 😀", at)))
        else:
            out.append(("meter_chat", ("ch_" + uuid.uuid4().hex[:20], at)))
    return out


def run(settings: Any, count: int, seed: int) -> None:
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.adapters.dynamo.usage_repository import UsageRepository
    from chalicelib.domain.identity import PhoneNumber, Tenant
    from chalicelib.services.billing.service import BillingService

    _count_items()
    tenants = TenantRepository(settings)
    tenant = Tenant(tenant_id="tn_bench_" + uuid.uuid4().hex[:6], name="Bench",
                    timezone="America/New_York", twilio_account_sid="AC" + "1" * 32,
                    twilio_auth_token="t", created_at=time.time())
    tenants.save(tenant)
    tenants.save_number(PhoneNumber(number="+14155550100", tenant_id=tenant.tenant_id))
    cache = {tenant.tenant_id: tenant}  # the webhooks read tenants from a cached directory
    clock = [ts("2026-11-20T12:00:00")]
    billing = BillingService(UsageRepository(settings), cache.get, tenants.numbers_of,
                             clock=lambda: clock[0])
    todo = events(random.Random(seed), count)
    with counted() as calls:
        for method, args in todo:
            getattr(billing, method)(tenant.tenant_id, *args)
    items, transactions = _items["transact_items"], _items["transactions"]
    _items.clear()
    with counted() as again:
        for method, args in todo:
            getattr(billing, method)(tenant.tenant_id, *args)
    wru = 2 * items  # every item is well under 1 KB
    print(f"interactions: {count} (one tenant, November 2026); billable events: {len(todo)}")
    print(f"  DynamoDB requests per event: {sum(calls.values()) / len(todo):.2f} "
          f"({dict(calls)})")
    print(f"  items per transaction: {items / max(1, transactions):.2f} "
          "(the record, created only if absent, + ADD to the month's counters)")
    print(f"  write units: {wru / len(todo):.1f} WRU per event, "
          f"{wru * 1000 / count:,.0f} WRU per 1,000 interactions = "
          f"${wru * 1000 / count * WRU_PRICE_PER_MILLION / 1e6:.4f}")
    print(f"  retried once each: {sum(again.values()) / len(todo):.2f} requests per event, "
          f"{_items['cancelled']} cancelled transactions, nothing added")
    clock[0] = ts("2026-11-20T12:00:00")
    with counted() as first_spend:
        billing.spent(tenant.tenant_id, clock[0])
    with counted() as spend:
        for _ in range(100):
            billing.spent(tenant.tenant_id, clock[0])
    print(f"spending cap's figure, spent(): first in a container {sum(first_spend.values())} "
          f"requests ({dict(first_spend)}: the numbers check, hourly); then "
          f"{sum(spend.values()) / 100:.2f} request each ({dict(spend)}), one item of "
          f"<1 KB = 0.5 RRU eventually consistent; 1,000 outbound actions = 500 RRU = "
          f"${500 * RRU_PRICE_PER_MILLION / 1e6:.6f}")
    counters = UsageRepository(settings).counters(tenant.tenant_id, "2026-11")
    records = UsageRepository(settings).records(tenant.tenant_id, "2026-11")
    print(f"month's counters: {counters}")
    print(f"records stored: {len(records)} (a record per event + the number); the invoice "
          "reads the one counters item, never the records")
    start = time.perf_counter()
    invoice = billing.invoice(tenant.tenant_id, "2026-11")
    print(f"invoice total {invoice.total} {invoice.currency} "
          f"({(time.perf_counter() - start) * 1000:.1f} ms on this machine)")


def main(argv: list[str] | None = None) -> int:
    return run_on_local_dynamodb(__doc__.split("\n\n")[0], run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
