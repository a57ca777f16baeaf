"""Voicemail through the carrier simulator: a caller presses 3 in the demo's IVR and
leaves a message; it becomes a task in support; the agent plays it (the bytes from the
simulator's RecordingUrl, with their content type), reads Twilio's transcript, calls the
customer back and wraps up. Another business's agent cannot fetch the recording."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from sim.client import SimClient
from tests.e2e.desk import headset, wait_together, wrap_up_all
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(stack: RunningStack) -> SimClient:
    return SimClient(stack.sim_url, timeout=40.0)


@pytest.fixture
def agent(stack: RunningStack) -> Iterator[Api]:
    api, other = stack.agent(0), stack.agent(1)
    other.ok("PUT", "/api/me/activity", {"activity": "offline"})
    api.ok("PUT", "/api/me/activity", {"activity": "available"})
    yield api
    api.ok("PUT", "/api/me/activity", {"activity": "offline"})


def fetch(api: Api, path: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(api.base + path, headers={
        "Authorization": f"Bearer {api.token}", "Accept": "audio/*"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def leave_voicemail(stack: RunningStack, phone: SimClient, caller: str, words: str) -> str:
    sid = phone.call(caller, stack.demo.number)
    phone.wait_listening(sid)
    phone.press(sid, "3")
    phone.wait_listening(sid, "record")
    phone.say(sid, words)
    phone.press(sid, "#")
    phone.wait_for_text(sid, "Thank you for your message")
    return sid


def voicemail_offer(phone: SimClient, api: Api, caller: str) -> dict[str, Any]:
    return phone.wait_for(lambda: next(
        (r for r in api.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["caller"] == caller and r["task"]["kind"] == "voicemail"), None),
        what=f"a voicemail offer from {caller}")


def test_an_ivr_voicemail_becomes_a_task_is_played_and_called_back(stack, phone, agent):
    # given a caller who pressed 3 and left a message
    caller = new_caller()
    leave_voicemail(stack, phone, caller, "Please call me back about my delivery")
    # when it is offered to the agent, who accepts it
    offer = voicemail_offer(phone, agent, caller)
    assert offer["task"]["queue"] == "support" and offer["task"]["channel"] == "voicemail"
    task = agent.ok("POST", f"/api/reservations/{offer['id']}/accept")
    assert task["recording_url"] == f"/api/tasks/{task['id']}/recording"
    assert task["recording_duration"] >= 1
    # then the recording plays: a real WAV, with its content type
    status, content_type, audio = fetch(agent, task["recording_url"])
    assert status == 200 and content_type.startswith("audio/")
    assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 8000
    # and Twilio's transcript reaches the task
    view = phone.wait_for(lambda: (t := agent.ok("GET", f"/api/tasks/{task['id']}"))
                          ["transcript"] and t, what="the transcript")
    assert view["transcript"] == "Please call me back about my delivery"
    # and the agent calls the customer back, then wraps the voicemail up
    with headset(phone, stack.agent(0)) as alex:
        call = alex.api.ok("POST", "/api/calls", {"to": caller})["task"]
        alex_leg = phone.accept(alex.device)
        far = phone.wait_for_leg(to=caller, status="ringing")
        assert far["from"] == stack.demo.number
        phone.answer(far["call_sid"])
        wait_together(phone, far["call_sid"], alex_leg)
        phone.hangup(far["call_sid"])
        phone.wait_ended(alex_leg)
        assert call["id"] != task["id"]
        done = agent.ok("POST", f"/api/tasks/{task['id']}/wrapup",
                        {"disposition": "Voicemail returned"})
        assert done["status"] == "completed"
        wrap_up_all(phone, alex)
    me = agent.ok("GET", "/api/me/routing")
    assert me["load"]["voicemail"] == 0


def test_the_recording_route_refuses_other_businesses(stack, phone, agent):
    # given a voicemail task held by the demo's agent
    caller = new_caller()
    leave_voicemail(stack, phone, caller, "Hello")
    offer = voicemail_offer(phone, agent, caller)
    task = agent.ok("POST", f"/api/reservations/{offer['id']}/accept")
    # when another business's owner asks for its recording
    signed = stack.api.ok("POST", "/api/signup", {
        "business_name": "Rival Waters", "name": "Rita",
        "email": f"rival-{uuid.uuid4().hex[:8]}@example.com",
        "password": "correct horse battery", "timezone": "America/New_York",
        "area_code": "415"})
    status, _, body = fetch(Api(stack.app_url, signed["token"]), task["recording_url"])
    # then it is refused, and no audio leaves
    assert status in (403, 404) and b"RIFF" not in body
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Wrong number"})


def test_a_voicemail_from_the_queue_is_played_and_transcribed_too(stack, phone):
    # given a caller waiting in support with nobody available, who presses 2 to record
    alex, sam = stack.agent(0), stack.agent(1)
    for api in (alex, sam):
        api.ok("PUT", "/api/me/activity", {"activity": "offline"})
    caller = new_caller()
    sid = phone.call(caller, stack.demo.number)
    phone.press(sid, "2")
    phone.wait_for_text(sid, "press 2 to leave a voicemail")
    phone.press(sid, "2")
    phone.wait_listening(sid, "record")
    phone.say(sid, "my jug is cracked", wait=False)
    phone.press(sid, "#")
    phone.wait_for_text(sid, "thank you for your message")
    # when an agent comes online and accepts the voicemail
    alex.ok("PUT", "/api/me/activity", {"activity": "available"})
    try:
        offer = voicemail_offer(phone, alex, caller)
        task = alex.ok("POST", f"/api/reservations/{offer['id']}/accept")
        # then it plays and carries Twilio's transcript, like the IVR's
        status, content_type, audio = fetch(alex, task["recording_url"])
        assert status == 200 and content_type.startswith("audio/") and audio[:4] == b"RIFF"
        view = phone.wait_for(lambda: (t := alex.ok("GET", f"/api/tasks/{task['id']}"))
                              ["transcript"] and t, what="the transcript")
        assert view["transcript"] == "my jug is cracked"
        alex.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    finally:
        alex.ok("PUT", "/api/me/activity", {"activity": "offline"})
