"""The agent desktop's browser phone and in-call controls against the fake API and the
fake simulator's device API: the phone registers with presence and answers only the call
the agent asked for; hold, mute, keypad and hang-up."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agent_calls.views import (
    AGENT,
    CALLER,
    answer_with,
    offer,
    on_task,
    posted,
    task,
    wait_registered,
)
from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite, Received

pytestmark = pytest.mark.browser


def test_going_available_registers_the_phone_and_a_break_unregisters_it(
        desk: Page, site: FakeSite) -> None:
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    assert site.sim.actions[0][2] == {"account_sid": "AC_test", "identity": AGENT}
    desk.get_by_label("Status").select_option("break")
    expect(desk.locator("#phone-state")).to_have_text("Phone off")
    assert site.sim.registered(AGENT) is None
    assert site.sim.verbs() == ["register", "unregister"]


def test_an_offline_agent_has_no_registered_phone(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/routing", {"id": AGENT, "activity": "offline"})
    desk.goto(site.url + "agent")
    expect(desk.locator("#phone-state")).to_have_text("Phone off")
    expect(desk.get_by_label("Status")).to_have_value("offline")
    assert site.sim.registered(AGENT) is None


def test_accepting_an_offer_answers_the_call_that_rings_the_browser(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task(state="ringing"))
        site.sim.ring(AGENT, "CA_agent_leg", CALLER)
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    device = site.sim.registered(AGENT)
    assert device is not None and device.active is not None
    assert device.active["call_sid"] == "CA_agent_leg"
    assert ("accept", device.device_id, {"call_sid": "CA_agent_leg"}) in site.sim.actions
    on_task(api, task())
    expect(desk.get_by_test_id("task-state")).to_have_text("Connected")
    expect(desk.locator("#work-state")).to_have_text("On a call")
    expect(desk.locator("#presence-dot")).to_have_class("dot busy")
    screenshot(desk, "agent-call-connected", ".call-controls")


def test_a_call_the_agent_did_not_ask_for_is_left_ringing(
        desk: Page, site: FakeSite) -> None:
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    site.sim.ring(AGENT, "CA_stray")
    desk.wait_for_timeout(1500)  # three of the adapter's polls
    device = site.sim.registered(AGENT)
    assert device is not None and device.active is None
    assert "accept" not in site.sim.verbs()


def test_a_call_still_connecting_offers_only_hang_up(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task(), "call": None})
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("task-state")).to_have_text("Connecting…")
    for name in ("Hold", "Mute", "Keypad", "Transfer"):
        expect(desk.get_by_role("button", name=name, exact=True)).to_be_disabled()
    expect(desk.get_by_role("button", name="Hang up")).to_be_enabled()
    on_task(api, task())
    expect(desk.get_by_test_id("task-state")).to_have_text("Connected")
    expect(desk.get_by_role("button", name="Hold")).to_be_enabled()


def test_hold_and_resume_post_and_show_the_caller_on_hold(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    answer_with(api, "api/tasks/TK1/hold", task(on_hold=True, hold_count=1))
    answer_with(api, "api/tasks/TK1/resume", task(on_hold=False, hold_count=1))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Hold").click()
    expect(desk.get_by_test_id("on-hold")).to_have_text("Caller on hold")
    expect(desk.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    screenshot(desk, "agent-call-on-hold", ".call-controls")
    desk.get_by_role("button", name="Resume").click()
    expect(desk.get_by_test_id("on-hold")).to_have_count(0)
    expect(desk.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")
    assert posted(api, "api/tasks/TK1/hold", "api/tasks/TK1/resume") == [1, 1]


def test_mute_and_unmute_post_the_agents_own_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    answer_with(api, "api/tasks/TK1/mute", task(muted=True))
    answer_with(api, "api/tasks/TK1/unmute", task(muted=False))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Mute").click()
    expect(desk.get_by_test_id("muted")).to_have_text("Muted")
    desk.get_by_role("button", name="Unmute").click()
    expect(desk.get_by_role("button", name="Mute")).to_be_visible()
    assert posted(api, "api/tasks/TK1/mute", "api/tasks/TK1/unmute") == [1, 1]


def test_a_refused_hold_shows_the_reason(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("POST", "api/tasks/TK1/hold", {"error": "conflict",
                                             "message": "the caller has already hung up"}, 409)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Hold").click()
    expect(desk.locator(".call-controls .alert.error")).to_have_text(
        "the caller has already hung up")
    expect(desk.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")


def test_the_keypad_sends_each_digit_into_the_call(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.handle("POST", "api/tasks/TK1/dtmf", lambda r: (200, task()))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Keypad").click()
    for key in ("1", "2", "Pound"):
        desk.get_by_role("group", name="Keypad: send tones into the call").get_by_role(
            "button", name=key, exact=True).click()
    expect(desk.get_by_test_id("dtmf-sent")).to_have_text("Sent: 12#")
    assert [r.body for r in api.requests("POST", "api/tasks/TK1/dtmf")] == [
        {"digits": "1"}, {"digits": "2"}, {"digits": "#"}]
    screenshot(desk, "agent-call-keypad", ".call-controls")


def test_hang_up_ends_the_call_and_the_browsers_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task())
        site.sim.ring(AGENT, "CA_leg")
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    answer_with(api, "api/tasks/TK1/hangup", task("wrapping"))
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    desk.get_by_role("button", name="Hang up").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    assert len(api.requests("POST", "api/tasks/TK1/hangup")) == 1
    assert site.sim.verbs()[-1] == "hangup"
    expect(desk.locator("#work-state")).to_have_text("Wrap-up")


def test_the_far_side_hanging_up_frees_the_browser_phone(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task())
        site.sim.ring(AGENT, "CA_leg")
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    site.sim.end("CA_leg")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
