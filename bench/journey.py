"""DynamoDB requests per webhook and API call over the foundation journey. Prints only.

    .venv/bin/python -m bench.journey

Runs DynamoDB Local, the app (Chalice's local server) and the carrier simulator in this
process (``bench/call_stack.py``), so every DynamoDB request can be attributed to the HTTP
request that made it. A caller dials the demo number, picks support, waits; the agent's
browser phone (a device registered with the simulator) answers the offer the agent
accepts, caller and agent meet in the task's conference, the caller hangs up and the
agent wraps up; then the table of requests per route is printed, for a first call (cold
caches) and a second one (warm).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.call_stack import call_stack, one_call  # noqa: E402
from bench.dynamo_requests import counted  # noqa: E402

SETTLE_SECONDS = 0.5  # the last status callbacks land before a table is printed


def count_by_route() -> dict[str, list[Counter[str]]]:
    """Wrap Chalice's dispatcher: each request's DynamoDB calls, by route."""
    from chalice.app import Chalice

    per_request: dict[str, list[Counter[str]]] = defaultdict(list)
    lock = threading.Lock()
    original_dispatch = Chalice.__call__

    def dispatch(app: Any, event: dict[str, Any], context: Any) -> Any:
        ctx = event.get("requestContext", {})
        route = f"{ctx.get('httpMethod', '?')} {ctx.get('resourcePath', '?')}"
        with counted() as calls:
            try:
                return original_dispatch(app, event, context)
            finally:
                with lock:
                    per_request[route].append(calls)

    Chalice.__call__ = dispatch  # type: ignore[assignment]
    return per_request


def print_table(label: str, per_request: dict[str, list[Counter[str]]]) -> None:
    print(f"\nDynamoDB requests per request, {label} (min-max where a route repeats):")
    print(f"  {'route':<46} {'count':>5} {'requests':>9}  operations (mean)")
    total = 0
    for route, samples in sorted(per_request.items()):
        totals = [sum(c.values()) for c in samples]
        total += sum(totals)
        ops: Counter[str] = Counter()
        for c in samples:
            ops.update(c)
        spread = (f"{min(totals)}-{max(totals)}" if min(totals) != max(totals)
                  else str(totals[0]))
        detail = ", ".join(f"{op} {n / len(samples):.1f}" for op, n in sorted(ops.items()))
        print(f"  {route:<46} {len(samples):>5} {spread:>9}  {detail}")
    requests = sum(len(samples) for samples in per_request.values())
    print(f"  {'whole call':<46} {requests:>5} {total:>9}")


def main() -> int:
    with call_stack("journey") as stack:
        per_request = count_by_route()
        for label, caller in (("first call (cold caches)", "+16285550001"),
                              ("second call (warm)", "+16285550002")):
            per_request.clear()
            one_call(stack, caller)
            time.sleep(SETTLE_SECONDS)
            print_table(label, dict(per_request))
    return 0


if __name__ == "__main__":
    sys.exit(main())
