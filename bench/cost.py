"""Platform cost per 1,000 calls of the demo journey, at AWS list prices. Prints only.

    .venv/bin/python -m bench.cost [--calls N]

Runs the journey of ``bench/call_stack.py`` (DynamoDB Local, the app on Chalice's local
server and the carrier simulator, in this process), as ``bench/journey.py`` does: a caller
dials the demo number, presses 2, waits; the agent accepts and answers on their browser
phone (a device registered with the simulator), caller and agent meet in the task's
conference, the caller hangs up, the agent wraps up. The first call warms the caches and
is reported apart; the next N are measured.

Measured, per call:
- DynamoDB read and write request units: a botocore event hook sets
  ``ReturnConsumedCapacity=TOTAL`` on every DynamoDB request that takes it and sums the
  ``ConsumedCapacity`` DynamoDB Local answers. A conditional write that fails
  (ConditionalCheckFailed) returns no capacity but is still billed: it is counted at 1 WRU.
- Lambda invocations (one per HTTP request the app handles: API Gateway -> Lambda) and
  their duration, billed per invocation rounded up to 1 ms, at the memory in
  ``.chalice/config.json``.
- API Gateway REST requests (the same count).

The once-a-minute routing sweep Lambda is a fixed monthly cost, not per call: it is
printed apart. Prices and their sources are in PRICES and in docs/cost.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.call_stack import call_stack, one_call  # noqa: E402

REGION = "us-east-1"
# List prices, US East (N. Virginia), USD; see docs/cost.md for the sources.
PRICES = {
    "dynamodb_wru_per_million": 0.625,    # on-demand, after the Nov 2024 cut
    "dynamodb_rru_per_million": 0.125,
    "lambda_request_per_million": 0.20,
    "lambda_gb_second": 0.0000166667,     # x86_64 (Chalice's default architecture)
    "apigw_rest_per_million": 3.50,       # first 333 million a month
    "twilio_inbound_local_per_min": 0.0085,
    "twilio_client_per_min": 0.004,
    "connect_voice_per_min": 0.038,       # channel price; telephony billed on top
    "connect_voice_per_min_legacy": 0.018,
}
BUDGET_PER_1000 = 0.04  # DESIGN.md: platform cost under $0.04 per 1,000 calls
SWEEP_SECONDS = 55.0    # routing_sweep: sweeps for ~50 s of each minute (schedule.py)
SETTLE_SECONDS = 0.5  # the last status callbacks land before a call is measured
READ_OPERATIONS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}


@dataclass
class Usage:
    rru: float = 0.0
    wru: float = 0.0
    failed_conditional_writes: int = 0
    dynamo_requests: Counter[str] = field(default_factory=Counter)
    units_by: defaultdict[str, float] = field(  # "WRU Operation table" -> units
        default_factory=lambda: defaultdict(float))
    invocations: Counter[str] = field(default_factory=Counter)
    billed_ms: int = 0
    wall_ms: float = 0.0

    def add(self, other: Usage) -> None:
        self.rru += other.rru
        self.wru += other.wru
        self.failed_conditional_writes += other.failed_conditional_writes
        self.dynamo_requests.update(other.dynamo_requests)
        for key, units in other.units_by.items():
            self.units_by[key] += units
        self.invocations.update(other.invocations)
        self.billed_ms += other.billed_ms
        self.wall_ms += other.wall_ms


class Meter:
    """Sums consumed capacity and Lambda time into ``self.usage`` (swap it per call)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.usage = Usage()
        self._hooked: weakref.WeakSet[Any] = weakref.WeakSet()

    # -- DynamoDB, through botocore's event system ------------------------------------
    def install(self) -> None:
        from botocore.client import BaseClient

        meter, original = self, BaseClient._make_api_call

        def call(client: Any, operation: str, params: Any) -> Any:
            if client.meta.service_model.service_name == "dynamodb":
                meter.hook(client)
            return original(client, operation, params)

        BaseClient._make_api_call = call

    def hook(self, client: Any) -> None:
        if client in self._hooked:
            return
        self._hooked.add(client)
        events = client.meta.events
        events.register("before-parameter-build.dynamodb", self._ask_for_capacity)
        events.register("after-call.dynamodb", self._count_capacity)
        events.register("after-call-error.dynamodb", self._count_failure)

    @staticmethod
    def _ask_for_capacity(params: dict[str, Any], model: Any, **_: Any) -> None:
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params["ReturnConsumedCapacity"] = "TOTAL"

    def _count_capacity(self, http_response: Any, parsed: dict[str, Any], model: Any,
                        **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity")
        entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
        units = sum(float(e.get("CapacityUnits", 0.0)) for e in entries)
        code = (parsed.get("Error") or {}).get("Code", "")
        kind = "RRU" if model.name in READ_OPERATIONS else "WRU"
        with self.lock:
            self.usage.dynamo_requests[model.name] += 1
            if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                self.usage.failed_conditional_writes += 1
                self.usage.units_by[f"WRU {model.name} (failed condition)"] += 1
                return
            if kind == "RRU":
                self.usage.rru += units
            else:
                self.usage.wru += units
            for entry in entries:
                table = str(entry.get("TableName", "?")).removeprefix("cost-")
                self.usage.units_by[f"{kind} {model.name} {table}"] += float(
                    entry.get("CapacityUnits", 0.0))

    def _count_failure(self, **_: Any) -> None:
        return None  # network errors: no request reached DynamoDB's meter

    # -- Lambda: one invocation per request Chalice dispatches --------------------------
    def wrap_dispatch(self) -> None:
        from chalice.app import Chalice

        meter, original = self, Chalice.__call__

        def dispatch(app: Any, event: dict[str, Any], context: Any) -> Any:
            ctx = event.get("requestContext", {})
            route = f"{ctx.get('httpMethod', '?')} {ctx.get('resourcePath', '?')}"
            started = time.perf_counter()
            try:
                return original(app, event, context)
            finally:
                took = (time.perf_counter() - started) * 1000
                with meter.lock:
                    meter.usage.invocations[route] += 1
                    meter.usage.wall_ms += took
                    meter.usage.billed_ms += max(1, math.ceil(took))

        Chalice.__call__ = dispatch  # type: ignore[assignment]

    def take(self) -> Usage:
        with self.lock:
            usage, self.usage = self.usage, Usage()
        return usage


def lambda_memory_mb() -> int:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    return int(config.get("lambda_memory_size", 128))


def platform_cost(usage: Usage, calls: int, memory_mb: int) -> dict[str, float]:
    """Dollars per 1,000 calls, by service."""
    scale = 1000 / calls
    wru = usage.wru + usage.failed_conditional_writes
    invocations = sum(usage.invocations.values())
    gb_seconds = usage.billed_ms / 1000 * memory_mb / 1024
    return {
        "DynamoDB writes": wru * scale * PRICES["dynamodb_wru_per_million"] / 1e6,
        "DynamoDB reads": usage.rru * scale * PRICES["dynamodb_rru_per_million"] / 1e6,
        "Lambda requests": invocations * scale * PRICES["lambda_request_per_million"] / 1e6,
        "Lambda duration": gb_seconds * scale * PRICES["lambda_gb_second"],
        "API Gateway REST": invocations * scale * PRICES["apigw_rest_per_million"] / 1e6,
    }


def billed_minutes(phone: Any, legs: list[tuple[str, str]]) -> tuple[int, int]:
    """Twilio bills each leg by the whole minute: (caller legs, agent client legs) of the
    measured calls, each given as (caller's call sid, agent's leg sid)."""
    def minutes(sid: str) -> int:
        return max(1, math.ceil(int(phone.get(sid).get("duration") or 0) / 60))

    return (sum(minutes(caller) for caller, _ in legs),
            sum(minutes(agent) for _, agent in legs))


def print_report(cold: Usage, measured: Usage, calls: int, memory_mb: int,
                 minutes: tuple[int, int]) -> None:
    per_call = {k: v / calls for k, v in measured.invocations.items()}
    invocations = sum(measured.invocations.values()) / calls
    print(f"\nPlatform cost of the demo journey, {calls} measured call(s) after one warm-up "
          f"call; AWS list prices, {REGION}, USD.")
    print(f"\nPer call: {measured.rru / calls:.1f} RRU, "
          f"{(measured.wru + measured.failed_conditional_writes) / calls:.1f} WRU "
          f"(of which {measured.failed_conditional_writes / calls:.1f} failed conditional "
          f"writes at 1 WRU), {sum(measured.dynamo_requests.values()) / calls:.1f} DynamoDB "
          f"requests; {invocations:.1f} Lambda invocations / API Gateway requests, "
          f"{measured.billed_ms / calls:.0f} billed Lambda ms at {memory_mb} MB "
          f"({measured.wall_ms / max(1, sum(measured.invocations.values())):.1f} ms mean).")
    print(f"Warm-up call: {cold.rru:.1f} RRU, {cold.wru + cold.failed_conditional_writes:.1f} "
          f"WRU, {sum(cold.invocations.values())} invocations, {cold.billed_ms} billed ms.")
    print("\nInvocations per call, by route:")
    for route, n in sorted(per_call.items(), key=lambda kv: -kv[1]):
        print(f"  {route:<52} {n:5.1f}")
    print("\nDynamoDB requests per call, by operation:")
    for op, n in sorted(measured.dynamo_requests.items()):
        print(f"  {op:<20} {n / calls:5.1f}")

    print("\nCapacity units per call, by operation and table (largest first):")
    for key, units in sorted(measured.units_by.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {key:<52} {units / calls:6.1f}")

    cost = platform_cost(measured, calls, memory_mb)
    total = sum(cost.values())
    print("\nPlatform cost per 1,000 calls:")
    prices = {"DynamoDB writes": f"${PRICES['dynamodb_wru_per_million']}/M WRU on-demand",
              "DynamoDB reads": f"${PRICES['dynamodb_rru_per_million']}/M RRU on-demand",
              "Lambda requests": f"${PRICES['lambda_request_per_million']}/M requests",
              "Lambda duration": f"${PRICES['lambda_gb_second']}/GB-s x86_64, {memory_mb} MB",
              "API Gateway REST": f"${PRICES['apigw_rest_per_million']}/M requests"}
    for name, dollars in cost.items():
        print(f"  {name:<18} ${dollars:8.4f}   ({prices[name]})")
    print(f"  {'total':<18} ${total:8.4f}   budget (DESIGN.md) ${BUDGET_PER_1000:.2f}: "
          f"{'MET' if total < BUDGET_PER_1000 else 'NOT MET'}")
    without_apigw = total - cost["API Gateway REST"]
    print(f"  {'without API GW':<18} ${without_apigw:8.4f}   (API Gateway alone is "
          f"{cost['API Gateway REST'] / total:.0%} of it)")

    sweep_gb_s = 60 * 24 * 30 * SWEEP_SECONDS * memory_mb / 1024
    sweep = (sweep_gb_s * PRICES["lambda_gb_second"]
             + 60 * 24 * 30 * PRICES["lambda_request_per_million"] / 1e6)
    print(f"\nFixed, not per call: the routing sweep Lambda, once a minute for ~{SWEEP_SECONDS:.0f}"
          f" s at {memory_mb} MB = ${sweep:.2f} a month (30 days), whatever the traffic.")

    inbound, client = minutes
    twilio = (inbound * PRICES["twilio_inbound_local_per_min"]
              + client * PRICES["twilio_client_per_min"]) / calls * 1000
    connect = inbound * PRICES["connect_voice_per_min"] / calls * 1000
    legacy = inbound * PRICES["connect_voice_per_min_legacy"] / calls * 1000
    print(f"\nCarrier and comparison, the same calls ({inbound / calls:.1f} billed caller "
          f"minute(s) and {client / calls:.1f} agent client minute(s) per call; Twilio "
          "rounds each leg up to the minute), per 1,000 calls:")
    print(f"  Twilio voice          ${twilio:8.2f}   (inbound local "
          f"${PRICES['twilio_inbound_local_per_min']}/min + Voice SDK client leg "
          f"${PRICES['twilio_client_per_min']}/min)")
    print(f"  Amazon Connect voice  ${connect:8.2f}   (${PRICES['connect_voice_per_min']}/min "
          f"channel price, telephony extra; ${legacy:.2f} at the earlier "
          f"${PRICES['connect_voice_per_min_legacy']}/min service fee)")
    print(f"  Hotline platform      ${total:8.4f}   ({total / twilio:.2%} of the Twilio voice "
          "cost of the same calls)")
    per_min = total / 1000 / max(1e-9, inbound / calls)
    print(f"  Hotline platform per call-minute: ${per_min:.6f} "
          f"(vs Connect's ${PRICES['connect_voice_per_min']}/min)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3, help="measured calls (default 3)")
    args = parser.parse_args()

    meter = Meter()
    with call_stack("cost") as stack:
        meter.install()
        meter.wrap_dispatch()
        meter.take()  # seeding, login and the device are not part of a call
        one_call(stack, "+16285550100")
        time.sleep(SETTLE_SECONDS)
        cold = meter.take()
        measured = Usage()
        legs = []
        for n in range(1, args.calls + 1):
            legs.append(one_call(stack, f"+162855501{n:02d}"))
            time.sleep(SETTLE_SECONDS)  # the last status callbacks land
            measured.add(meter.take())
        print_report(cold, measured, args.calls, lambda_memory_mb(),
                     billed_minutes(stack.phone, legs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
