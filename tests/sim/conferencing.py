"""Shared setup for the conference tests: a caller in <Dial><Conference> and an agent
added over REST, answering on a registered device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp

ROOM = "task-42"
CALLER_JOINS = ('<Response><Dial action="/dial-done"><Conference endConferenceOnExit="true" '
                'beep="false" participantLabel="customer" statusCallback="/conf-events" '
                'statusCallbackEvent="start end join leave hold mute modify announcement">'
                f'{ROOM}</Conference></Dial></Response>')
IVR = ('<Response><Gather numDigits="1" action="/ivr-choice" timeout="30">'
       '<Pause length="1"/><Say>Press 2 for billing.</Say></Gather></Response>')


@dataclass
class Room:
    caller: str
    agent: str
    desk: str
    conference_sid: str
    number: str

    def path(self, rest_of: str = "") -> str:
        return f"/Accounts/{MASTER_SID}/Conferences/{self.conference_sid}{rest_of}"


def add(simulator: SimulatorHandle, room_or_name: str, data: dict[str, str]) -> dict[str, Any]:
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Conferences/{room_or_name}/"
                   "Participants.json", {"Timeout": "600", **data})
    assert created.status_code == 201, created.text
    return dict(created.json())


def participant(phone: SimClient, sid: str, of: str) -> dict[str, Any]:
    conf = phone.get(of)["conference"]
    return next(p for p in conf["participants"] if p["call_sid"] == sid)


@pytest.fixture
def room(simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> Room:
    """A caller waiting in the conference and the agent (client:alice) accepted into it."""
    app.routes["/voice"] = CALLER_JOINS
    desk = phone.register(MASTER_SID, "alice")
    caller = phone.call(CALLER, number)
    phone.wait_in_conference(caller, ROOM)
    added = add(simulator, ROOM, {"From": number, "To": "client:alice", "Label": "agent",
                                  "Beep": "false"})
    agent = phone.accept(desk, added["call_sid"])
    phone.wait_for_call(agent, lambda c: c["conference"])
    return Room(caller, agent, desk, added["conference_sid"], number)
