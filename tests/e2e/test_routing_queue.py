"""Routing through the carrier simulator: escalation after a timeout, overflow to a
part-timer's mobile with the whisper, a callback that keeps its place, voicemail from the
queue, and an abandoned call. Every call goes through the demo's real default flow
(press 2 for support) into Hotline's DynamoDB queue."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sim.client import SimClient
from tests.e2e.desk import headset, take, wait_together
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e

SUPPORT_DEFAULTS = {"overflow_after_seconds": 60, "overflow_queue_length": 3,
                    "strategy": "longest-idle"}


@pytest.fixture
def phone(stack: RunningStack) -> SimClient:
    return SimClient(stack.sim_url, timeout=20.0)


@dataclass
class People:
    """Logged-in sessions, made once (logins are rate-limited, as they should be)."""

    owner: Api
    agents: list[Api]


@pytest.fixture(scope="module")
def people(stack: RunningStack) -> People:
    return People(stack.owner(), [stack.agent(i) for i in range(len(stack.demo.agent_emails))])


@pytest.fixture
def quiet(people: People) -> Iterator[None]:
    """Both demo agents offline and the default routing, before and after each test."""
    def reset() -> None:
        people.owner.ok("PUT", "/api/workflow", {"filters": []})
        people.owner.ok("PUT", "/api/queues/support", SUPPORT_DEFAULTS)
        for agent in people.agents:
            agent.ok("PUT", "/api/me/activity", {"activity": "offline"})

    reset()
    yield
    reset()


def queue_caller(stack: RunningStack, phone: SimClient, caller: str) -> str:
    """Dial the demo number and press 2 (support); return once the caller waits in line."""
    sid = phone.call(caller, stack.demo.number)
    phone.press(sid, "2")
    phone.wait_for_call(sid, lambda c: c.get("queue"), what="the caller to be queued")
    return sid


def offer_for(agent: Api, caller: str) -> dict[str, Any] | None:
    return next((r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
                 if r["task"]["caller"] == caller), None)


def sweep() -> dict[str, Any]:
    """What the scheduled Lambda (or the local runner) does every few seconds."""
    from chalicelib.routes.schedule import run_sweep

    return run_sweep()


def available_part_timer(stack: RunningStack, owner: Api, name: str,
                         prefix: str) -> tuple[Api, str]:
    """A new part-time agent with a mobile, available, and a queue that overflows at once."""
    mobile = prefix + f"{uuid.uuid4().int % 10_000:04d}"
    email = f"pat-{uuid.uuid4().hex[:8]}@aquapure.example"
    owner.ok("POST", "/api/users", {"name": name, "email": email,
                                    "password": "part-time-password", "role": "agent",
                                    "mobile": mobile, "tier": "part-time"})
    pat = stack.api.login(email, "part-time-password")
    pat.ok("PUT", "/api/me/activity", {"activity": "available"})
    owner.ok("PUT", "/api/queues/support", {"overflow_after_seconds": None,
                                            "overflow_queue_length": 0})
    return pat, mobile


ENDED = ("completed", "busy", "no-answer", "failed", "canceled")


def finish(agent: Api, phone: SimClient, *sids: str) -> None:
    """Hang up what is still live, then wrap up every task the agent holds."""
    for sid in sids:
        if phone.get(sid)["status"] not in ENDED:
            phone.hangup(sid)

    def wrapped_up() -> bool:
        tasks = agent.ok("GET", "/api/me/tasks")["tasks"]
        for task in tasks:
            if task["status"] == "wrapping" or task["channel"] != "voice":
                agent.call("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "e2e"})
        return not tasks

    phone.wait_for(wrapped_up, what="the agent's tasks to be wrapped up")


def test_a_call_escalates_to_the_next_target_after_its_timeout(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    caller, owner, alex = new_caller(), people.owner, people.agents[0]
    owner.ok("PUT", "/api/workflow", {"filters": [{
        "name": "specialists first", "expression": f'from == "{caller}"',
        "targets": [{"queue": "support", "expression": 'skills HAS "e2e-specialist"',
                     "timeout": 2},
                    {"queue": "support"}]}]})
    alex.ok("PUT", "/api/me/activity", {"activity": "available"})

    with headset(phone, alex) as desk:
        sid = queue_caller(stack, phone, caller)
        queued_at = time.monotonic()
        assert offer_for(alex, caller) is None  # alex is no specialist: first target skips him

        time.sleep(max(0.0, 2.2 - (time.monotonic() - queued_at)))
        offer = phone.wait_for(lambda: sweep() and offer_for(alex, caller),
                               what="the escalated offer to alex")
        assert offer["task"]["target"] == 1
        _, leg = take(phone, desk, caller)
        wait_together(phone, sid, leg)
        assert phone.get(leg)["to"].startswith("client:")
        finish(alex, phone, sid)


def test_overflow_rings_a_part_timers_mobile_with_a_whisper(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    caller = new_caller()
    pat, mobile = available_part_timer(stack, people.owner, "Pat Parttime", "+1628777")
    try:
        sid = queue_caller(stack, phone, caller)

        leg = phone.wait_for_leg(to=mobile, status="ringing")
        phone.answer(leg["call_sid"])
        phone.wait_for_text(leg["call_sid"], "press 1 to accept")
        assert "hotline call for aqua pure water delivery" in phone.text(leg["call_sid"]).lower()
        phone.press(leg["call_sid"], "1")

        wait_together(phone, sid, leg["call_sid"])  # the mobile joins the caller's conference
        finish(pat, phone, sid)
    finally:
        pat.ok("PUT", "/api/me/activity", {"activity": "offline"})


def test_an_unanswered_whisper_never_bridges_the_caller(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    caller = new_caller()
    pat, mobile = available_part_timer(stack, people.owner, "Pat Voicemail", "+1628778")
    try:
        sid = queue_caller(stack, phone, caller)
        leg = phone.wait_for_leg(to=mobile, status="ringing")
        phone.answer(leg["call_sid"])  # as a voicemail box would: it never presses 1

        phone.wait_ended(leg["call_sid"], timeout=30)
        assert phone.get(sid)["conference"] is None
        assert phone.get(sid)["status"] == "in-progress"  # still waiting in line
        phone.hangup(sid)
    finally:
        pat.ok("PUT", "/api/me/activity", {"activity": "offline"})


def test_a_callback_keeps_the_callers_place_and_is_called_back(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    alex = people.agents[0]
    first, second, third = new_caller(), new_caller(), new_caller()
    first_sid = queue_caller(stack, phone, first)
    second_sid = queue_caller(stack, phone, second)
    third_sid = queue_caller(stack, phone, third)

    phone.wait_for_text(second_sid, "press 1 to be called back")
    phone.press(second_sid, "1")
    phone.wait_for_text(second_sid, "we will call you back")
    phone.wait_ended(second_sid)

    with headset(phone, alex) as desk:
        alex.ok("PUT", "/api/me/activity", {"activity": "available"})
        _, leg = take(phone, desk, first)
        wait_together(phone, first_sid, leg)
        finish(alex, phone, first_sid)

        callback = phone.wait_for(lambda: offer_for(alex, second),
                                  what="the callback, next in line")
        assert callback["task"]["kind"] == "callback"
        assert offer_for(alex, third) is None
        alex.ok("POST", f"/api/reservations/{callback['id']}/accept")
        assert desk.device is not None
        phone.accept(desk.device)  # the agent answers first, then the customer is called
        customer = phone.wait_for_leg(to=second, status="ringing")
        phone.answer(customer["call_sid"])
        phone.wait_for_text(customer["call_sid"], "returning your call")
        phone.wait_for_event(customer["call_sid"], "conference", event="join")
        task = phone.wait_for(lambda: next((t for t in alex.ok("GET", "/api/me/tasks")["tasks"]
                                            if t["caller"] == second), None),
                              what="the callback task")
        alex.ok("POST", f"/api/tasks/{task['id']}/hold")  # a callback is a conference too
        phone.wait_for_event(customer["call_sid"], "hold")
        alex.ok("POST", f"/api/tasks/{task['id']}/resume")

        phone.hangup(customer["call_sid"])
        finish(alex, phone, third_sid)


def test_voicemail_from_the_queue_becomes_a_task_and_a_crm_record(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    caller, owner, alex = new_caller(), people.owner, people.agents[0]
    sid = queue_caller(stack, phone, caller)

    phone.wait_for_text(sid, "press 2 to leave a voicemail")
    phone.press(sid, "2")
    phone.wait_listening(sid, "record")
    phone.say(sid, "please call me about my water delivery", wait=False)
    phone.press(sid, "#")
    phone.wait_for_text(sid, "thank you for your message")
    phone.wait_ended(sid)

    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    record = phone.wait_for(lambda: next(
        (i for i in owner.ok("GET", f"/api/contacts/{contact['id']}/interactions")[
            "interactions"] if i["id"] == sid and i["outcome"] == "voicemail"), None),
        what="the voicemail outcome in the CRM")
    assert record["recording_url"]
    alex.ok("PUT", "/api/me/activity", {"activity": "available"})
    offer = phone.wait_for(lambda: offer_for(alex, caller), what="the voicemail offer")
    assert offer["task"]["kind"] == "voicemail" and offer["task"]["channel"] == "voicemail"
    assert offer["task"]["attributes"]["recording_url"] == record["recording_url"]
    alex.ok("POST", f"/api/reservations/{offer['id']}/accept")
    alex.ok("POST", f"/api/tasks/{offer['task']['id']}/wrapup",
            {"disposition": "Called back", "notes": "listened to the voicemail"})


def test_a_caller_who_hangs_up_in_the_queue_is_recorded_as_abandoned(
        stack: RunningStack, phone: SimClient, people: People, quiet: None) -> None:
    caller, owner = new_caller(), people.owner
    sid = queue_caller(stack, phone, caller)

    phone.hangup(sid)

    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    phone.wait_for(lambda: any(
        i["id"] == sid and i["outcome"] == "abandoned"
        for i in owner.ok("GET", f"/api/contacts/{contact['id']}/interactions")[
            "interactions"]), what="the abandonment in the CRM")
    queues = {q["name"]: q for q in owner.ok("GET", "/api/queues")["queues"]}
    assert queues["support"]["waiting"] == 0
