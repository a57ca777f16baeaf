"""Agent calls through the carrier simulator, with headless Voice devices registered as
the desktop's local adapter does: offers no device answers, hold, transfers (cold, warm
completed and cancelled, to a queue with notes), keypad digits into a far-side IVR, an
outbound call, and a supervisor whispering and barging."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sim.client import SimClient
from tests.e2e.desk import (
    Agent,
    conference,
    headset,
    offer_for,
    participant,
    queue_caller,
    take,
    wait_together,
    wrap_up_all,
)
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(stack: RunningStack) -> SimClient:
    return SimClient(stack.sim_url, timeout=25.0)


@dataclass
class Team:
    owner: Api
    alex: Api
    sam: Api


@pytest.fixture
def team(stack: RunningStack) -> Iterator[Team]:
    """Both demo agents offline, default routing, before and after each test."""
    people = Team(stack.owner(), stack.agent(0), stack.agent(1))

    def reset() -> None:
        people.owner.ok("PUT", "/api/workflow", {"filters": []})
        for agent in (people.alex, people.sam):
            agent.ok("PUT", "/api/me/activity", {"activity": "offline"})
            for task in agent.ok("GET", "/api/me/tasks")["tasks"]:  # a failed test's leftovers
                if task["status"] == "assigned":
                    agent.call("POST", f"/api/tasks/{task['id']}/hangup")
                agent.call("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "reset"})

    reset()
    yield people
    reset()


def interaction(stack: RunningStack, phone: SimClient, caller: str, call_sid: str,
                ready: str) -> dict[str, Any]:
    """The caller's CRM record of this call, once ``ready`` is set on it."""
    owner = stack.owner()
    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    return dict(phone.wait_for(lambda: next(
        (i for i in owner.ok("GET", f"/api/contacts/{contact['id']}/interactions")[
            "interactions"] if i["id"] == call_sid and i.get(ready)), None),
        what=f"the CRM record with {ready}"))


def available(*agents: Agent | Api) -> None:
    for agent in agents:
        api = agent.api if isinstance(agent, Agent) else agent
        api.ok("PUT", "/api/me/activity", {"activity": "available"})


def test_an_offer_no_device_answers_goes_back_to_the_queue_and_to_the_next_agent(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    caller = new_caller()
    available(team.alex)
    sid = queue_caller(stack, phone, caller)
    offer = phone.wait_for(lambda: offer_for(team.alex, caller), what="alex's offer")
    team.alex.ok("POST", f"/api/reservations/{offer['id']}/accept")
    alex_id = team.alex.ok("GET", "/api/me")["id"]
    leg = phone.wait_for_leg(to=f"client:{alex_id}")
    with headset(phone, team.sam) as sam:
        available(sam)
        phone.wait_status(leg["call_sid"], "no-answer", timeout=30)
        assert phone.get(sid)["conference"] is None
        _, sam_leg = take(phone, sam, caller)  # back in line: offered to sam
        wait_together(phone, sid, sam_leg)
        wrap_up_all(phone, sam, sid)


def test_hold_music_until_resume_then_mute_and_hang_up_from_the_desktop(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    caller = new_caller()
    with headset(phone, team.alex) as alex:
        available(alex)
        sid = queue_caller(stack, phone, caller)
        task, leg = take(phone, alex, caller)
        wait_together(phone, sid, leg)
        held = alex.api.ok("POST", f"/api/tasks/{task['id']}/hold")
        assert held["call"]["on_hold"] is True
        phone.wait_for(lambda: (p := participant(phone, sid, sid)) and p["hold"],
                       what="the caller on hold")
        status, again = alex.api.call("POST", f"/api/tasks/{task['id']}/hold")
        assert status == 409 and "already on hold" in again["message"]
        back = alex.api.ok("POST", f"/api/tasks/{task['id']}/resume")
        assert back["call"]["on_hold"] is False and back["call"]["hold_count"] == 1
        kinds = [e["kind"] for e in phone.transcript(sid)
                 if e["kind"] in ("hold", "unhold", "play")]
        assert "hold" in kinds and "unhold" in kinds[kinds.index("hold"):]
        hold_event = phone.transcript(sid, "hold")[-1]
        assert hold_event["url"]  # the hold music played between the two

        alex.api.ok("POST", f"/api/tasks/{task['id']}/mute")
        phone.wait_for(lambda: participant(phone, sid, leg)["muted"], what="alex muted")
        alex.api.ok("POST", f"/api/tasks/{task['id']}/unmute")
        phone.wait_for(lambda: not participant(phone, sid, leg)["muted"], what="alex unmuted")
        ended = alex.api.ok("POST", f"/api/tasks/{task['id']}/hangup")
        assert ended["status"] == "wrapping" and ended["call"]["state"] == "ended"
        phone.wait_ended(sid)  # the desktop's hang-up ends the caller's call too
        wrap_up_all(phone, alex, sid)
        record = interaction(stack, phone, caller, sid, "wrapped_up_at")
        assert record["hold_count"] == 1 and record["hold_seconds"] > 0
        assert record["handle_seconds"] >= record["hold_seconds"]


def test_a_cold_transfer_hands_the_caller_to_a_second_agent(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    caller = new_caller()
    with headset(phone, team.alex) as alex, headset(phone, team.sam) as sam:
        available(alex)
        sid = queue_caller(stack, phone, caller)
        task, alex_leg = take(phone, alex, caller)
        wait_together(phone, sid, alex_leg)
        available(sam)
        moved = alex.api.ok("POST", f"/api/tasks/{task['id']}/transfer",
                            {"to": {"agent": sam.user_id}, "mode": "cold"})
        assert moved["status"] == "wrapping"
        phone.wait_ended(alex_leg)
        offer = phone.wait_for(lambda: offer_for(sam.api, caller), what="sam's offer")
        assert offer["task"]["transfer_from"]["agent_id"] == alex.user_id
        _, sam_leg = take(phone, sam, caller)
        room = wait_together(phone, sid, sam_leg)
        assert room["name"] == task["id"]
        phone.wait_for(lambda: not participant(phone, sid, sid)["hold"],
                       what="the caller off hold with sam")
        wrap_up_all(phone, alex)
        wrap_up_all(phone, sam, sid)


def warm_transfer(stack: RunningStack, phone: SimClient, alex: Agent, sam: Agent,
                  finish: str) -> None:
    caller = new_caller()
    sam.api.ok("PUT", "/api/me/activity", {"activity": "offline"})
    available(alex)
    sid = queue_caller(stack, phone, caller)
    task, alex_leg = take(phone, alex, caller)
    wait_together(phone, sid, alex_leg)
    available(sam)
    ringing = alex.api.ok("POST", f"/api/tasks/{task['id']}/transfer",
                          {"to": {"agent": sam.user_id}, "mode": "warm"})
    assert ringing["call"]["transfer"]["state"] == "ringing"
    _, sam_leg = take(phone, sam, caller)
    wait_together(phone, sid, sam_leg)
    assert participant(phone, sid, sid)["hold"]  # the caller waits on hold
    phone.wait_for(lambda: alex.task(caller)["call"]["transfer"]["state"] == "consulting",
                   what="the consult")
    if finish == "cancel":
        back = alex.api.ok("POST", f"/api/tasks/{task['id']}/transfer/cancel")
        assert back["call"]["transfer"] is None and not back["call"]["on_hold"]
        phone.wait_ended(sam_leg)
        assert participant(phone, sid, alex_leg) is not None
        wrap_up_all(phone, sam)
        wrap_up_all(phone, alex, sid)
        return
    done = alex.api.ok("POST", f"/api/tasks/{task['id']}/transfer/complete")
    assert done["status"] == "wrapping"
    phone.wait_ended(alex_leg)
    phone.wait_for(lambda: not participant(phone, sid, sid)["hold"],
                   what="the caller off hold with sam")
    assert participant(phone, sid, sam_leg) is not None
    wrap_up_all(phone, alex)
    wrap_up_all(phone, sam, sid)
    record = interaction(stack, phone, caller, sid, "transfers")
    assert record["transfers"][0]["from"] == alex.user_id
    assert record["transfers"][0]["to"] == {"agent": sam.user_id}
    assert (record["transfers"][0]["kind"], record["transfers"][0]["mode"]) == ("agent", "warm")


def test_a_warm_transfer_is_completed_once_and_cancelled_once(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    with headset(phone, team.alex) as alex, headset(phone, team.sam) as sam:
        warm_transfer(stack, phone, alex, sam, "cancel")
        warm_transfer(stack, phone, alex, sam, "complete")


def test_a_transfer_to_a_queue_arrives_with_the_first_agents_notes(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    caller = new_caller()
    with headset(phone, team.alex) as alex, headset(phone, team.sam) as sam:
        available(alex)
        sid = queue_caller(stack, phone, caller)
        task, alex_leg = take(phone, alex, caller)
        wait_together(phone, sid, alex_leg)
        alex.api.ok("POST", f"/api/tasks/{task['id']}/transfer",
                    {"to": {"queue": "orders"}, "mode": "cold",
                     "notes": "Wants two extra jugs on Friday"})
        available(sam)
        offer = phone.wait_for(lambda: offer_for(sam.api, caller), what="the orders offer")
        assert offer["task"]["queue"] == "orders"
        assert offer["task"]["notes"] == "Wants two extra jugs on Friday"
        assert offer["task"]["transfer_from"]["name"]
        _, sam_leg = take(phone, sam, caller)
        wait_together(phone, sid, sam_leg)
        wrap_up_all(phone, alex)
        wrap_up_all(phone, sam, sid)


def test_an_outbound_call_rings_the_agent_then_the_number_with_the_business_caller_id(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    customer = new_caller()
    with headset(phone, team.alex) as alex:
        task = alex.api.ok("POST", "/api/calls", {"to": customer})["task"]
        alex_leg = phone.accept(alex.device)
        far = phone.wait_for_leg(to=customer, status="ringing")
        assert far["from"] == stack.demo.number
        phone.answer(far["call_sid"])
        room = wait_together(phone, far["call_sid"], alex_leg)
        assert room["name"] == task["id"]
        phone.hangup(far["call_sid"])
        phone.wait_ended(alex_leg)
        owner = stack.owner()
        [contact] = owner.ok("GET", f"/api/contacts?phone={customer}")["contacts"]
        record = phone.wait_for(lambda: next(
            (i for i in owner.ok("GET", f"/api/contacts/{contact['id']}/interactions")[
                "interactions"] if i["id"] == task["id"] and i["ended_at"]), None),
            what="the outbound call in the CRM")
        assert record["direction"] == "outbound" and record["agent_id"] == alex.user_id
        wrap_up_all(phone, alex)


def test_keypad_digits_reach_an_ivr_on_the_far_side(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    with headset(phone, team.alex) as alex:
        # The far side is an IVR: the demo number's own menu ("press 2 for support").
        task = alex.api.ok("POST", "/api/calls", {"to": stack.demo.number})["task"]
        phone.accept(alex.device)
        ivr = phone.wait_for(lambda: next((c for c in phone.calls(
            to=stack.demo.number, direction="inbound") if c["from"] == stack.demo.number
            and c["status"] == "in-progress"), None), what="the IVR answering")
        phone.wait_listening(ivr["call_sid"], "gather")
        alex.api.ok("POST", f"/api/tasks/{task['id']}/dtmf", {"digits": "2"})
        phone.wait_for_event(ivr["call_sid"], "gather-end", digits="2")
        phone.wait_for_call(ivr["call_sid"], lambda c: c.get("queue"),
                            what="the IVR's caller to be queued")
        alex.api.ok("POST", f"/api/tasks/{task['id']}/hangup")
        wrap_up_all(phone, alex, ivr["call_sid"])


def test_a_supervisor_whispers_to_the_agent_only_then_barges_in(
        stack: RunningStack, phone: SimClient, team: Team) -> None:
    caller = new_caller()
    with headset(phone, team.alex) as alex, headset(phone, team.owner) as boss:
        available(alex)
        sid = queue_caller(stack, phone, caller)
        task, alex_leg = take(phone, alex, caller)
        wait_together(phone, sid, alex_leg)
        live = boss.api.ok("GET", "/api/supervisor/calls")["calls"]
        assert any(c["task_id"] == task["id"] for c in live)
        status, _ = alex.api.call("POST", f"/api/tasks/{task['id']}/monitor",
                                  {"mode": "listen"})
        assert status == 403

        boss.api.ok("POST", f"/api/tasks/{task['id']}/monitor", {"mode": "whisper"})
        coach_leg = phone.accept(boss.device)
        coach = phone.wait_for(lambda: participant(phone, sid, coach_leg),
                               what="the supervisor in the conference")
        assert coach["coaching"] is True and coach["call_sid_to_coach"] == alex_leg
        phone.device_say(boss.device, "offer the loyalty discount")
        phone.wait_for(lambda: any("loyalty discount" in line
                                   for line in phone.heard(alex.device)),
                       what="the agent hearing the whisper")
        assert "loyalty discount" not in str(phone.transcript(sid))

        boss.api.ok("POST", f"/api/tasks/{task['id']}/monitor", {"mode": "barge"})
        phone.wait_for(lambda: not participant(phone, sid, coach_leg)["coaching"],
                       what="the supervisor barging in")
        phone.device_say(boss.device, "this is the manager speaking")
        phone.wait_for(lambda: "manager speaking" in str(phone.transcript(sid)),
                       what="the caller hearing the supervisor")
        boss.api.ok("DELETE", f"/api/tasks/{task['id']}/monitor")
        phone.wait_ended(coach_leg)
        assert conference(phone, sid) is not None
        wrap_up_all(phone, alex, sid)
        record = interaction(stack, phone, caller, sid, "monitoring")
        assert [(m["supervisor_id"], m["mode"]) for m in record["monitoring"]] == [
            (boss.user_id, "whisper"), (boss.user_id, "barge")]
