"""The web phone page, in headless Chromium: call, press a key, hang up, text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sim.server import SimulatorHandle
from tests.sim.fake_app import FakeApp

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SIM_SCREENSHOTS", "/tmp/sim-phone-screenshots"))


def test_phone_page_places_a_call_presses_keys_and_texts(
        page: Page, simulator: SimulatorHandle, app: FakeApp, number: str) -> None:
    app.routes["/voice"] = ('<Response><Gather numDigits="1" action="/menu" timeout="60">'
                            '<Say>Welcome to the shop. Press 1 for opening hours.</Say>'
                            '</Gather></Response>')
    app.routes["/menu"] = ('<Response><Say>We are open nine to five.</Say>'
                           '<Pause length="600"/></Response>')
    app.routes["/sms"] = "<Response><Message>We open at nine.</Message></Response>"

    page.goto(simulator.url + "/phone")
    page.fill("#to", number)
    page.click("#call")
    expect(page.locator("#transcript")).to_contain_text("Welcome to the shop", timeout=5000)
    expect(page.locator("#status")).to_contain_text("listening", timeout=5000)
    page.click(".keypad button[data-key='1']")
    expect(page.locator("#transcript")).to_contain_text("open nine to five", timeout=5000)
    page.fill("#sms-to", number)
    page.fill("#sms-body", "When do you open?")
    page.click("#sms-form button[type=submit]")
    expect(page.locator("#thread")).to_contain_text("We open at nine.", timeout=5000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 820})
    page.screenshot(path=str(SHOTS / "phone-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "phone-mobile.png"), full_page=True)

    page.click("#hangup")
    expect(page.locator("#status")).to_contain_text("completed", timeout=5000)
    assert app.requests_to("/menu")[0].params["Digits"] == "1"


def test_phone_page_answers_a_client_leg_as_a_registered_device(
        page: Page, simulator: SimulatorHandle, app: FakeApp, number: str) -> None:
    from sim.client import SimClient
    from tests.sim.conftest import CALLER

    app.routes["/voice"] = ('<Response><Dial timeout="600"><Client>alice</Client></Dial>'
                            '</Response>')
    phone = SimClient(simulator.url, timeout=5.0)
    caller = phone.call(CALLER, number)
    leg = phone.wait_for_leg(to="client:alice", status="ringing")

    page.goto(simulator.url + "/phone")
    row = page.locator("#calls li", has_text="client:alice")
    row.get_by_role("button", name="Answer").click()

    phone.wait_for_call(caller, lambda c: leg["call_sid"] in c["bridged_with"])
    [device] = [d for d in requests_json(simulator.url + "/sim/devices")
                if d["identity"] == "alice"]
    assert device["active"]["call_sid"] == leg["call_sid"]
    expect(page.locator("#status")).to_contain_text("in-progress", timeout=5000)
    page.screenshot(path=str(SHOTS / "phone-answered-client.png"), full_page=True)
    phone.hangup(caller)


def requests_json(url: str) -> list[dict[str, object]]:
    import requests

    return list(requests.get(url, timeout=5).json())
