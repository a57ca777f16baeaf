"""The stack and the call the journey benchmarks drive (bench/journey.py, bench/cost.py).

    with call_stack("journey") as stack:   # DynamoDB Local, the app, the simulator, in process
        install_your_meters()               # botocore / Chalice hooks, after seeding
        one_call(stack, "+16285550001")

Everything runs in this process, so each DynamoDB request can be attributed to the HTTP
request that made it: DynamoDB Local (in memory), the app on Chalice's local server built
as ``devtools/app_server.py`` builds it (so ``current_request`` is per thread, as in
``./dev up`` and the e2e stack), and the carrier simulator at ``time_scale``.

The call is the foundation journey as ``tests/e2e/test_first_call_journey.py`` drives it:
a caller dials the demo number and presses 2, waits in the queue; the agent's browser
phone is a Voice device registered with the simulator (from the token route, as the page
does); the agent goes available, accepts the offer and answers on the device; caller and
agent meet in the task's conference; the caller hangs up, the agent's leg ends, and the
agent wraps up.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.ddblocal import free_port
from devtools.stack import PLATFORM_ACCOUNT_SID, PLATFORM_AUTH_TOKEN, StackConfig

ENDED = ("completed", "busy", "no-answer", "failed", "canceled")


@dataclass
class CallStack:
    config: StackConfig
    phone: Any   # sim.client.SimClient
    agent: Any   # tests.stack.Api, logged in as the demo's first agent
    device: str  # the agent's registered browser phone in the simulator
    demo: Any    # devtools.seed.Demo


@contextmanager
def call_stack(prefix: str, *, time_scale: float = 0.1,
               timeout: float = 30.0) -> Iterator[CallStack]:
    """Start everything, seed the demo, log the agent in and register their device."""
    from devtools.ddblocal import DynamoDBLocal

    work = Path(tempfile.mkdtemp(prefix=f"hotline-{prefix}-"))
    config = StackConfig(app_port=free_port(), sim_port=free_port(), ddb_port=free_port(),
                         data_dir=None, log_dir=work, table_prefix=prefix,
                         time_scale=time_scale)
    ddb = DynamoDBLocal(config.ddb_port)
    ddb.start()
    server = sim = None
    try:
        os.environ.update(config.environ())
        from chalicelib.adapters.dynamo.tables import create_all
        from chalicelib.config import Settings
        from devtools.app_server import build
        from sim.client import SimClient
        from sim.server import start_simulator

        create_all(Settings.from_environ(config.environ()))
        server = build("127.0.0.1", config.app_port, "local")
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sim = start_simulator(config.sim_port, None, PLATFORM_ACCOUNT_SID,
                              PLATFORM_AUTH_TOKEN, config.time_scale)
        from devtools.seed import seed_demo
        from tests.stack import Api

        demo = seed_demo()
        phone = SimClient(sim.url, timeout=timeout)
        agent = Api(config.app_url).login(demo.agent_emails[0], demo.password_agent)
        token = agent.ok("POST", "/api/voice/token")
        device = phone.register(token["account_sid"], token["identity"])
        yield CallStack(config, phone, agent, device, demo)
    finally:
        if sim is not None:
            sim.stop()
        if server is not None:
            server.shutdown()
        ddb.stop()


def one_call(stack: CallStack, caller: str) -> tuple[str, str]:
    """One whole call of the foundation journey: (the caller's call sid, the agent's leg)."""
    phone, agent = stack.phone, stack.agent
    call = phone.call(caller, stack.demo.number)
    phone.wait_for_text(call, "press 2")
    phone.press(call, "2")
    phone.wait_for_call(call, lambda c: c.get("queue"), what="queued")
    agent.ok("PUT", "/api/me/activity", {"activity": "available"})
    offer = phone.wait_for(lambda: next(
        (r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["caller"] == caller), None), what="an offer")
    agent.ok("POST", f"/api/reservations/{offer['id']}/accept")
    leg = phone.accept(stack.device)
    # Caller and agent meet in the task's conference.
    phone.wait_for(lambda: (c := phone.get(call).get("conference")) and any(
        p["call_sid"] == leg for p in c["participants"]), what="caller and agent together")
    phone.hangup(call)
    phone.wait_ended(call)
    phone.wait_for(lambda: phone.get(leg)["status"] in ENDED, what="the agent's leg to end")
    task = phone.wait_for(lambda: next((t for t in agent.ok("GET", "/api/me/tasks")["tasks"]
                                        if t["status"] == "wrapping"), None), what="wrap-up")
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup",
             {"disposition": "Resolved", "notes": "bench"})
    return call, leg
