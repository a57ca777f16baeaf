"""The agent desktop's fake views for the call tests: a caller, an offer, a task and its
call block, as the backend's task routes answer them."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.fake_api import FakeApi, FakeSite, Received

CALLER = "+14155550123"
AGENT = "u_agent"
CONTACT = {"id": "ct_1", "phone": CALLER, "name": "Dana Customer", "email": None,
           "notes": "Prefers mornings", "interaction_count": 1}
DIRECTORY = {"queues": [{"name": "support"}, {"name": "sales"}],
             "agents": [{"agent_id": "u_sam", "name": "Sam Agent", "activity": "available",
                         "available": True},
                        {"agent_id": "u_kim", "name": "Kim Agent", "activity": "break",
                         "available": False}]}


def offer(**task: Any) -> dict[str, Any]:
    return {"id": "WR1", "status": "pending", "expires_in": 30.0,
            "task": {"id": "TK1", "channel": "voice", "queue": "support", "caller": CALLER,
                     "enqueued_at": time.time() - 8, **task}}


def task(status: str = "assigned", **call: Any) -> dict[str, Any]:
    view: dict[str, Any] = {"id": "TK1", "status": status, "channel": "voice",
                            "queue": "support", "caller": CALLER,
                            "assigned_at": time.time() - 20}
    if status == "assigned":
        view["call"] = {"state": "connected", "conference": "TK1", "on_hold": False,
                        "muted": False, "hold_count": 0, "hold_seconds": 0, "transfer": None,
                        "monitored": None, **call}
    return view


def tasks(*views: dict[str, Any]) -> dict[str, Any]:
    return {"tasks": list(views)}


def wait_registered(desk: Page, site: FakeSite) -> None:
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    assert site.sim.registered(AGENT) is not None


def on_task(api: FakeApi, view: dict[str, Any]) -> None:
    api.reply("GET", "api/me/tasks", tasks(view))


def answer_with(api: FakeApi, path: str, view: dict[str, Any]) -> None:
    """POST path moves the task to `view` and returns it, as the backend's task routes do."""
    def handler(_request: Received) -> tuple[int, Any]:
        on_task(api, view)
        return 200, view
    api.handle("POST", path, handler)


def posted(api: FakeApi, *paths: str, seconds: float = 10.0) -> list[int]:
    """How many POSTs each path received, once every one has arrived or the time is up.

    A button's label can flip from a poll before its own request reaches the fake API, so
    a test that counts requests waits for them rather than reading the log at once."""
    deadline = time.monotonic() + seconds
    while True:
        counts = [len(api.requests("POST", path)) for path in paths]
        if all(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.05)
