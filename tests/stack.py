"""The whole local stack for e2e and browser tests: DynamoDB Local in memory, the carrier
simulator, `chalice local`, and the demo business seeded through real signup."""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from devtools.ddblocal import free_port
from devtools.seed import Demo
from devtools.stack import Stack, StackConfig

# Simulated waits (Gather timeouts, rings, hold loops) run at this fraction of real time.
TIME_SCALE = 0.1


class Api:
    """A small JSON client for Hotline's API, as the pages use it."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw) if raw else None
            except ValueError:
                return err.code, raw.decode(errors="replace")

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, payload = self.call(method, path, body)
        assert 200 <= status < 300, f"{method} {path} -> {status}: {payload}"
        return payload

    def login(self, email: str, password: str) -> Api:
        session = self.ok("POST", "/api/login", {"email": email, "password": password})
        return Api(self.base, session["token"])


@dataclass
class RunningStack:
    config: StackConfig
    demo: Demo
    api: Api
    sessions: dict[str, Api] = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return self.config.app_url

    @property
    def sim_url(self) -> str:
        return self.config.sim_url

    def activate(self) -> None:
        """Point this process at the stack (for tests that call the app's code in-process,
        like the sweep), whatever other test layer ran before."""
        from tests.conftest import activate

        activate(self.config.environ())

    def session(self, email: str, password: str) -> Api:
        """One login per user per test session: logins are rate-limited, as they should be."""
        if email not in self.sessions:
            self.sessions[email] = self.api.login(email, password)
        return self.sessions[email]

    def agent(self, index: int = 0) -> Api:
        return self.session(self.demo.agent_emails[index], self.demo.password_agent)

    def owner(self) -> Api:
        return self.session(self.demo.owner_email, self.demo.password_owner)


@pytest.fixture(autouse=True)
def stack_environment(request: pytest.FixtureRequest) -> None:
    """Tests that use the stack run with the process pointed at it."""
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").activate()


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    """One running Hotline for the whole session (tests use fresh caller numbers)."""
    saved = dict(os.environ)
    log_dir = Path(tempfile.mkdtemp(prefix="hotline-e2e-"))
    config = StackConfig(app_port=free_port(), sim_port=free_port(), ddb_port=free_port(),
                         data_dir=None, log_dir=log_dir, table_prefix="e2e",
                         time_scale=TIME_SCALE,
                         # Twilio waits 15 s for a webhook; scaled to 1.5 s (2 s at least)
                         # a loaded 2-core machine can miss it (an agent's connect
                         # that redirects the caller), so the tests' carrier waits 8 s
                         sim_webhook_timeout=8.0,
                         # outgoing webhooks to a receiver on 127.0.0.1 (as a local run);
                         # the journeys sign up a dozen businesses from this one address
                         extra_env={"HOTLINE_ALLOW_LOOPBACK_HTTP": "1",
                                    "HOTLINE_SIGNUPS_PER_SOURCE_HOUR": "50"})
    running = Stack(config)
    try:
        running.start()
        from devtools.seed import seed_demo

        demo = seed_demo()
        yield RunningStack(config=config, demo=demo, api=Api(config.app_url))
    except Exception:
        for log in sorted(log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        running.stop()
        os.environ.clear()
        os.environ.update(saved)


def new_caller() -> str:
    """A fresh caller number per test, so CRM lookups never collide."""
    import random

    return "+1628555" + f"{random.randrange(10_000):04d}"
