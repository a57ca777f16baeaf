"""Fixtures for the carrier simulator's tests: a simulator, a fake app, a number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sim.client import SimClient
from sim.server import SimulatorHandle, start_simulator
from tests.sim.fake_app import FakeApp

MASTER_SID = "AC" + "1" * 32
MASTER_TOKEN = "master-token-for-tests"
TIME_SCALE = 0.02
CALLER = "+15557654321"


@pytest.fixture
def simulator(tmp_path: Any) -> Iterator[SimulatorHandle]:
    handle = start_simulator(0, tmp_path / "sim-data", account_sid=MASTER_SID,
                             auth_token=MASTER_TOKEN, time_scale=TIME_SCALE)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def app() -> Iterator[FakeApp]:
    fake = FakeApp(MASTER_TOKEN)
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def phone(simulator: SimulatorHandle) -> SimClient:
    return SimClient(simulator.url, timeout=5.0)


def rest(simulator: SimulatorHandle, method: str, path: str, data: Any = None,
         auth: tuple[str, str] = (MASTER_SID, MASTER_TOKEN)) -> requests.Response:
    """A REST request to the simulator's Twilio API, as twilio.rest would send it."""
    return requests.request(method, f"{simulator.url}/2010-04-01{path}", data=data, auth=auth,
                            timeout=10)


def buy_number(simulator: SimulatorHandle, app: FakeApp, *, voice: str = "/voice",
               sms: str = "/sms", status: str = "/status",
               account: tuple[str, str] = (MASTER_SID, MASTER_TOKEN)) -> str:
    """Search and purchase a number whose webhooks point at the fake app."""
    found = rest(simulator, "GET", f"/Accounts/{account[0]}/AvailablePhoneNumbers/US/Local.json",
                 auth=account).json()["available_phone_numbers"]
    number = found[0]["phone_number"]
    bought = rest(simulator, "POST", f"/Accounts/{account[0]}/IncomingPhoneNumbers.json", {
        "PhoneNumber": number, "VoiceUrl": app.url(voice), "SmsUrl": app.url(sms),
        "StatusCallback": app.url(status)}, auth=account)
    assert bought.status_code == 201, bought.text
    return number


@pytest.fixture
def number(simulator: SimulatorHandle, app: FakeApp) -> str:
    return buy_number(simulator, app)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, headless (used by the phone-page test only)."""
    return {**browser_type_launch_args, "headless": True, "executable_path": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking"]}
