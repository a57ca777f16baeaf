"""`./dev up`: run Hotline locally, seed the demo business, print the URLs.

Ports: HOTLINE_PORT (app, 8000), HOTLINE_SIM_PORT (simulator, 8001),
HOTLINE_DDB_PORT (DynamoDB Local, 8002). Data: HOTLINE_DATA_DIR (.hotline/).
Ctrl-C stops every child process.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import IO

from devtools.seed import Demo
from devtools.stack import ROOT, Stack, StackConfig, StackError

SWEEP_EVERY_SECONDS = 2.0
log = logging.getLogger("hotline.local")


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    if not raw.isdigit():
        sys.exit(f"{name} must be a port number, got {raw!r}")
    return int(raw)


def take_lock(data_dir: Path) -> IO[str]:
    """One local run per data dir: a second one says so and exits."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / "run.lock", "a+")  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "?"
        sys.exit(f"Hotline is already running from {data_dir} (pid {pid}). "
                 "Stop it with Ctrl-C in its terminal, or set HOTLINE_DATA_DIR and the "
                 "HOTLINE_*PORT variables to run a second one.")
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def sweep_forever(stop: threading.Event) -> None:
    """Stand-in for the scheduled Lambda: reservation timeouts, callbacks, wrap-ups."""
    from chalicelib.routes.schedule import run_sweep

    while not stop.wait(SWEEP_EVERY_SECONDS):
        try:
            run_sweep()
        except Exception:  # keep sweeping; the next tick retries
            log.exception("sweep failed")


def banner(config: StackConfig, demo: Demo) -> str:
    app, sim = config.app_url, config.sim_url
    lines = [
        "",
        "Hotline is running locally.",
        "",
        f"  Agent desktop      {app}/agent",
        f"  Supervisor         {app}/supervisor   (wallboard, live calls)",
        f"  Reports            {app}/reports",
        f"  Contacts           {app}/contacts",
        f"  Admin              {app}/admin        (queues, agents, hours, numbers, users, flows)",
        f"  Bill               {app}/bill",
        f"  Integrations       {app}/integrations (API keys, outgoing webhooks)",
        f"  Operator console   {app}/operator     (tenants, terms, bills)",
        f"  Web chat widget    {app}/chat/widget.js",
        f"  Sign up            {app}/signup",
        f"  Password reset     {app}/reset        (the mail is written to the app's log)",
        f"  API                {app}/api/...   (OpenAPI: {app}/api/openapi.json)",
        f"  Phone (simulator)  {sim}/",
        f"  DynamoDB Local     {config.ddb_url}",
        "",
        f"  Demo business      {demo.tenant_id}, number {demo.number}",
        "",
        # "<who> login  <email> / <password>": two spaces after the label, labels aligned
        f"     Owner login  {demo.owner_email} / {demo.password_owner}",
        f"  Operator login  {demo.operator_email} / {demo.password_operator}",
    ]
    for email in demo.agent_emails:
        lines.append(f"     Agent login  {email} / {demo.password_agent}")
    lines += [
        "",
        f"  Call the demo number from the phone page: {sim}/",
        f"  Data lives in {config.data_dir}; logs in {config.log_dir}.",
        "  Press Ctrl-C to stop everything.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    data_dir = Path(os.environ.get("HOTLINE_DATA_DIR", str(ROOT / ".hotline"))).resolve()
    lock = take_lock(data_dir)
    config = StackConfig(app_port=_port("HOTLINE_PORT", 8000),
                         sim_port=_port("HOTLINE_SIM_PORT", 8001),
                         ddb_port=_port("HOTLINE_DDB_PORT", 8002),
                         data_dir=data_dir, log_dir=data_dir / "logs")
    stack = Stack(config)
    stopping = threading.Event()
    sweeper = threading.Thread(target=sweep_forever, args=(stopping,), daemon=True)

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print("Starting DynamoDB Local, the carrier simulator and the app...", flush=True)
        stack.start()
        from devtools.seed import seed_demo

        demo = seed_demo()  # imports the app's code: only after the stack's env is set
        sweeper.start()
        print(banner(config, demo), flush=True)
        while not stopping.wait(0.5):
            for child in stack.children:
                if child.poll() is not None:
                    print(f"A child process exited ({child.args[:3]}); see {config.log_dir}.",
                          file=sys.stderr)
                    stopping.set()
    except StackError as exc:
        print(f"Could not start Hotline: {exc}. Logs: {config.log_dir}", file=sys.stderr)
        return 1
    finally:
        print("Stopping...", flush=True)
        stopping.set()
        if sweeper.is_alive():
            sweeper.join(timeout=10)  # the sweep in flight finishes before its database stops
        stack.stop()
        lock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
