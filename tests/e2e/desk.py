"""What an agent's desktop does in the e2e tests, headless: a Voice device registered
with the simulator (as the page's local adapter does), offers accepted on the API and
answered on the device, and the conference read back from the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sim.client import SimClient
from tests.stack import Api, RunningStack

ENDED = ("completed", "busy", "no-answer", "failed", "canceled")


@dataclass
class Agent:
    api: Api
    user_id: str
    device: str | None = None

    def task(self, caller: str) -> dict[str, Any] | None:
        return next((t for t in self.api.ok("GET", "/api/me/tasks")["tasks"]
                     if t["caller"] == caller), None)


def offer_for(api: Api, caller: str) -> dict[str, Any] | None:
    return next((r for r in api.ok("GET", "/api/me/reservations")["reservations"]
                 if r["task"]["caller"] == caller), None)


@contextmanager
def headset(phone: SimClient, api: Api) -> Iterator[Agent]:
    """The agent's browser phone: the token route says local mode, and the device is
    registered for the agent's identity in the business's account (then unregistered)."""
    token = api.ok("POST", "/api/voice/token")
    assert token["mode"] == "sim" and token["sim_url"] and token["account_sid"]
    device = phone.register(token["account_sid"], token["identity"])
    try:
        yield Agent(api, token["identity"], device)
    finally:
        phone.unregister(device)


def take(phone: SimClient, agent: Agent, caller: str) -> tuple[dict[str, Any], str]:
    """Accept the caller's offer and answer it on the device: (the task, the agent's leg)."""
    offer = phone.wait_for(lambda: offer_for(agent.api, caller),
                           what=f"an offer of {caller} to {agent.user_id}")
    agent.api.ok("POST", f"/api/reservations/{offer['id']}/accept")
    assert agent.device is not None
    leg = phone.accept(agent.device)
    task = phone.wait_for(lambda: (t := agent.task(caller)) and t.get("call", {}).get(
        "state") == "connected" and t, what=f"{agent.user_id}'s call to be connected")
    return task, leg


def conference(phone: SimClient, sid: str) -> dict[str, Any] | None:
    found = phone.get(sid).get("conference")
    return dict(found) if found else None


def participant(phone: SimClient, sid: str, leg: str) -> dict[str, Any] | None:
    found = conference(phone, sid)
    return next((p for p in (found or {}).get("participants", [])
                 if p["call_sid"] == leg), None)


def wait_together(phone: SimClient, caller_sid: str, leg: str) -> dict[str, Any]:
    """Until the caller and ``leg`` are in one conference; returns it."""
    return phone.wait_for(lambda: (c := conference(phone, caller_sid)) and any(
        p["call_sid"] == leg for p in c["participants"]) and c,
        what=f"the caller and {leg} in one conference")


def wrap_up_all(phone: SimClient, agent: Agent, *sids: str) -> None:
    """Hang up what is still live, then wrap up every task the agent holds."""
    for sid in sids:
        if phone.get(sid)["status"] not in ENDED:
            phone.hangup(sid)

    def wrapped_up() -> bool:
        tasks = agent.api.ok("GET", "/api/me/tasks")["tasks"]
        for task in tasks:
            if task["status"] == "wrapping" or task["channel"] != "voice":
                agent.api.call("POST", f"/api/tasks/{task['id']}/wrapup",
                               {"disposition": "e2e", "notes": ""})
        return not tasks

    phone.wait_for(wrapped_up, what=f"{agent.user_id}'s tasks to be wrapped up")


def queue_caller(stack: RunningStack, phone: SimClient, caller: str) -> str:
    """Dial the demo number and press 2 (support); return once the caller waits in line."""
    sid = phone.call(caller, stack.demo.number)
    phone.press(sid, "2")
    phone.wait_for_call(sid, lambda c: c.get("queue"), what="the caller to be queued")
    return sid
