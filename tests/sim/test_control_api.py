"""The control API's own contract: waits, refusals, listings."""

from __future__ import annotations

import requests

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER
from tests.sim.fake_app import FakeApp


def post(simulator: SimulatorHandle, path: str, body: dict[str, object]) -> requests.Response:
    return requests.post(simulator.url + path, json=body, timeout=10)


def test_wait_blocks_until_the_caller_hears_the_text(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Pause length="5"/><Say>Your order has shipped.</Say>'
                            '<Pause length="600"/></Response>')
    sid = phone.call(CALLER, number)

    heard = post(simulator, "/sim/wait", {"call_sid": sid, "until": "transcript-contains",
                                          "value": "has shipped", "timeout": 5})
    ended = post(simulator, "/sim/wait", {"call_sid": sid, "until": "ended", "timeout": 0.2})

    assert heard.status_code == 200 and heard.json()["ok"] is True
    assert ended.status_code == 408 and ended.json()["call"]["status"] == "in-progress"
    phone.hangup(sid)
    done = post(simulator, "/sim/wait", {"call_sid": sid, "until": "status",
                                         "value": ["completed"], "timeout": 5})
    assert done.json()["call"]["ended_by"] == "caller"


def test_calls_to_numbers_outside_the_sim_and_input_after_hangup_are_refused(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = "<Response><Say>bye</Say></Response>"
    unknown = post(simulator, "/sim/calls", {"from": CALLER, "to": "+14155550000"})
    sid = phone.call(CALLER, number)
    phone.wait_ended(sid)

    late = post(simulator, f"/sim/calls/{sid}/input", {"digits": "1"})
    bad = post(simulator, f"/sim/calls/{sid}/input", {"digits": "12a"})

    assert unknown.status_code == 404
    assert late.status_code == 409
    assert bad.status_code == 400


def test_numbers_and_call_lists_show_what_is_in_the_sim(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = '<Response><Pause length="600"/></Response>'
    sid = phone.call(CALLER, number)
    phone.wait_status(sid, "in-progress")

    numbers = requests.get(simulator.url + "/sim/numbers", timeout=5).json()
    live = phone.calls(status="ringing,in-progress", direction="inbound")

    assert [n["phone_number"] for n in numbers] == [number]
    assert [c["call_sid"] for c in live] == [sid]
    assert live[0]["from"] == CALLER and live[0]["to"] == number
    phone.hangup(sid)
