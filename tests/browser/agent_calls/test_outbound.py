"""Outbound calls from the agent desktop: the dialpad and click-to-call from a CRM card."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agent_calls.views import AGENT, CALLER, on_task, task, tasks, wait_registered
from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite, Received

pytestmark = pytest.mark.browser


def test_the_dialpad_places_an_outbound_call_and_answers_its_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    def place(request: Received) -> tuple[int, Any]:
        site.sim.ring(AGENT, "CA_out_leg", "+15005550006")
        on_task(api, {**task(state="ringing"), "direction": "outbound",
                      "caller": request.body["to"], "queue": ""})
        return 200, {"task": task()}

    api.handle("POST", "api/calls", place)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    screenshot(desk, "agent-dialpad", "#dialer-card")
    dialer = desk.get_by_role("group", name="Dialpad keys")
    for key in "4155550142":
        dialer.get_by_role("button", name=key, exact=True).click()
    desk.get_by_role("button", name="Call", exact=True).click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    expect(desk.get_by_test_id("task-caller")).to_have_text("+1 (415) 555-0142")
    expect(desk.locator("#dialer-card")).to_be_hidden()
    assert api.requests("POST", "api/calls")[0].body == {"to": "+14155550142"}


def test_a_dialled_number_must_be_a_phone_number(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    desk.get_by_label("Number to call").fill("12")
    desk.get_by_role("button", name="Call", exact=True).click()
    expect(desk.locator("#dial-number-error")).to_contain_text("Enter a phone number")
    assert not api.requests("POST", "api/calls")


def test_click_to_call_from_the_crm_card(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task("wrapping"))
    api.handle("POST", "api/tasks/TK1/wrapup", lambda r: (on_task(api, task()) or (200, {})))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("crm-name")).to_have_text("Dana Customer")
    api.reply("GET", "api/me/tasks", tasks())
    desk.wait_for_timeout(0)
    expect(desk.get_by_text("No active task")).to_be_visible()
    api.reply("POST", "api/calls", {"task": task()})
    wait_registered(desk, site)
    desk.get_by_role("button", name="Call +1 (415) 555-0123").click()
    expect(desk.locator("#desk-status")).to_have_text("Calling +1 (415) 555-0123…")
    assert api.requests("POST", "api/calls")[0].body == {"to": CALLER, "contact_id": "ct_1"}
