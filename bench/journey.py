"""DynamoDB requests per webhook and API call over the foundation journey. Prints only.

    .venv/bin/python -m bench.journey

Runs DynamoDB Local, the app (Chalice's local server) and the carrier simulator in this
process, so every DynamoDB request can be attributed to the HTTP request that made it.
A caller dials the demo number, picks support, waits, an agent accepts and is bridged,
both hang up and the agent wraps up; then the table of requests per route is printed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dynamo_requests import counted  # noqa: E402
from devtools.ddblocal import free_port  # noqa: E402
from devtools.stack import PLATFORM_ACCOUNT_SID, PLATFORM_AUTH_TOKEN, StackConfig  # noqa: E402


def count_by_route() -> dict[str, list[Counter[str]]]:
    """Wrap Chalice's dispatcher: each request's DynamoDB calls, by route."""
    from chalice.app import Chalice

    per_request: dict[str, list[Counter[str]]] = defaultdict(list)
    original_dispatch = Chalice.__call__

    def dispatch(app: Any, event: dict[str, Any], context: Any) -> Any:
        ctx = event.get("requestContext", {})
        route = f"{ctx.get('httpMethod', '?')} {ctx.get('resourcePath', '?')}"
        with counted() as calls:
            try:
                return original_dispatch(app, event, context)
            finally:
                per_request[route].append(calls)

    Chalice.__call__ = dispatch  # type: ignore[method-assign]
    return per_request


def one_call(phone: Any, agent: Any, number: str, caller: str) -> None:
    call = phone.call(caller, number)
    phone.wait_for_text(call, "press 2")
    phone.press(call, "2")
    phone.wait_for_call(call, lambda c: c.get("queue"), what="queued")
    agent.ok("PUT", "/api/me/activity", {"activity": "available"})
    offer = phone.wait_for(lambda: next(iter(agent.ok("GET", "/api/me/reservations")[
        "reservations"]), None), what="an offer")
    agent.ok("POST", f"/api/reservations/{offer['id']}/accept")
    phone.wait_for_call(call, lambda c: c.get("bridged_with"), what="bridged")
    phone.hangup(call)
    phone.wait_ended(call)
    task = phone.wait_for(lambda: next((t for t in agent.ok("GET", "/api/me/tasks")["tasks"]
                                        if t["status"] == "wrapping"), None), what="wrap-up")
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup",
             {"disposition": "Resolved", "notes": "bench"})


def print_table(label: str, per_request: dict[str, list[Counter[str]]]) -> None:
    print(f"\nDynamoDB requests per request, {label} (min-max where a route repeats):")
    print(f"  {'route':<46} {'count':>5} {'requests':>9}  operations (mean)")
    for route, samples in sorted(per_request.items()):
        totals = [sum(c.values()) for c in samples]
        ops: Counter[str] = Counter()
        for c in samples:
            ops.update(c)
        spread = (f"{min(totals)}-{max(totals)}" if min(totals) != max(totals)
                  else str(totals[0]))
        detail = ", ".join(f"{op} {n / len(samples):.1f}" for op, n in sorted(ops.items()))
        print(f"  {route:<46} {len(samples):>5} {spread:>9}  {detail}")


def main() -> int:
    from devtools.ddblocal import DynamoDBLocal

    work = Path(tempfile.mkdtemp(prefix="hotline-journey-"))
    config = StackConfig(app_port=free_port(), sim_port=free_port(), ddb_port=free_port(),
                         data_dir=None, log_dir=work, table_prefix="journey", time_scale=0.1)
    ddb = DynamoDBLocal(config.ddb_port)
    ddb.start()
    os.environ.update(config.environ())
    from chalice.config import Config
    from chalice.local import create_local_server

    from chalicelib.adapters.dynamo.tables import create_all
    from chalicelib.config import Settings
    from sim.client import SimClient
    from sim.server import start_simulator

    create_all(Settings.from_environ(config.environ()))
    import app

    server = create_local_server(app.app, Config(chalice_stage="local"), "127.0.0.1",
                                 config.app_port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sim = start_simulator(config.sim_port, None, PLATFORM_ACCOUNT_SID, PLATFORM_AUTH_TOKEN,
                          config.time_scale)
    try:
        from devtools.seed import seed_demo
        from tests.stack import Api

        demo = seed_demo()
        per_request = count_by_route()
        phone = SimClient(sim.url, timeout=20)
        agent = Api(config.app_url).login(demo.agent_emails[0], demo.password_agent)
        for label, caller in (("first call (cold caches)", "+16285550001"),
                              ("second call (warm)", "+16285550002")):
            per_request.clear()
            one_call(phone, agent, demo.number, caller)
            print_table(label, per_request)
    finally:
        sim.stop()
        server.shutdown()
        ddb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
