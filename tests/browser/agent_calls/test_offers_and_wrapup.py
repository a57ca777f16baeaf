"""Offers ringing and missed, the monitoring notice, and wrap-up's countdown and kept
notes on the agent desktop."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agent_calls.views import CONTACT, answer_with, offer, on_task, task, tasks
from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite, Received

pytestmark = pytest.mark.browser


def test_an_offer_rings_blinks_the_title_and_takes_focus(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})
    expect(desk.locator("body")).to_have_attribute("data-ringing", "true")
    expect(desk.get_by_role("button", name="Accept")).to_be_focused()
    titles = {desk.title() for _ in range(6) if desk.wait_for_timeout(400) is None}
    assert "Incoming call · +1 (415) 555-0123" in titles
    assert int(desk.locator("body").get_attribute("data-rings") or 0) >= 1
    api.reply("GET", "api/me/reservations", {"reservations": []})
    expect(desk.locator("body")).not_to_have_attribute("data-ringing", "true")
    expect(desk).to_have_title("Agent desktop · Hotline")


def test_an_offer_that_times_out_says_it_was_missed(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})
    desk.goto(site.url + "agent")
    expect(desk.locator("article.offer")).to_be_visible()
    api.reply("GET", "api/me/reservations", {"reservations": []})
    missed = desk.get_by_test_id("missed-offer")
    expect(missed).to_contain_text("Missed: the offer timed out")
    expect(missed).to_contain_text("Call from +1 (415) 555-0123 · support")
    screenshot(desk, "agent-missed-offer")
    missed.get_by_role("button", name="Dismiss").click()
    expect(missed).to_have_count(0)


def test_a_rejected_offer_is_not_called_missed(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def reject(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        return 200, {"id": "WR1", "status": "rejected"}

    api.handle("POST", "api/reservations/WR1/reject", reject)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Reject").click()
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    desk.wait_for_timeout(1600)
    expect(desk.get_by_test_id("missed-offer")).to_have_count(0)


def test_the_agent_sees_a_supervisor_monitoring_when_the_tenant_shows_it(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task(monitored={"mode": "whisper"}))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("monitored")).to_have_text(
        "Being monitored: a supervisor is coaching you")
    on_task(api, task())
    expect(desk.get_by_test_id("monitored")).to_have_count(0)


def test_wrap_up_counts_down_and_can_be_extended(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 45})
    answer_with(api, "api/tasks/TK1/wrapup/extend",
                {**task("wrapping"), "wrapup_deadline": time.time() + 165})
    desk.goto(site.url + "agent")
    left = desk.get_by_test_id("wrapup-left")
    expect(left).to_have_text(__import__("re").compile(r"^0:(4[0-5]|3\d)$"))
    screenshot(desk, "agent-wrapup-countdown", "#task")
    desk.get_by_role("button", name="Extend").click()
    expect(left).to_have_text(__import__("re").compile(r"^2:[34]\d$"))
    assert len(api.requests("POST", "api/tasks/TK1/wrapup/extend")) == 1


def test_wrap_up_notes_survive_a_reload_and_an_expired_wrap_up_keeps_them(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Follow-up needed")
    desk.get_by_label("Wrap-up notes").fill("Call back Friday about the pump")
    desk.reload()
    expect(desk.get_by_label("Wrap-up notes")).to_have_value("Call back Friday about the pump")
    expect(desk.get_by_label("Disposition")).to_have_value("Follow-up needed")
    api.reply("GET", "api/me/tasks", tasks())  # the deadline passed: the task completed
    kept = desk.get_by_test_id("kept-notes")
    expect(kept).to_contain_text("Wrap-up time ran out")
    expect(desk.get_by_label("Unsaved wrap-up notes")).to_have_value(
        "Call back Friday about the pump")
    screenshot(desk, "agent-kept-notes", "#task")
    api.handle("PATCH", "api/contacts/ct_1", lambda r: (200, {**CONTACT, **r.body}))
    kept.get_by_role("button", name="Add to the contact's notes").click()
    expect(kept).to_have_count(0)
    assert api.requests("PATCH", "api/contacts/ct_1")[0].body == {
        "notes": "Prefers mornings\nCall back Friday about the pump"}


def test_a_wrap_up_the_poll_sees_done_before_its_answer_is_not_called_expired(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})

    def slow_wrapup(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/tasks", tasks())
        time.sleep(2.5)  # the page polls (every 1.5 s) and sees the task gone first
        return 200, {"id": "TK1", "status": "completed"}

    api.handle("POST", "api/tasks/TK1/wrapup", slow_wrapup)
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Resolved")
    desk.get_by_label("Wrap-up notes").fill("All sorted")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.locator("#desk-status")).to_have_text(
        "Wrap-up saved. You're ready for the next call.")
    expect(desk.get_by_text("No active task")).to_be_visible()
    expect(desk.get_by_test_id("kept-notes")).to_have_count(0)


def test_a_wrap_up_refused_after_it_expired_keeps_the_notes(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})

    def expired(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/tasks", tasks())
        time.sleep(2.5)
        return 409, {"error": "conflict", "message": "the wrap-up has ended"}

    api.handle("POST", "api/tasks/TK1/wrapup", expired)
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Resolved")
    desk.get_by_label("Wrap-up notes").fill("Promised a refund")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.get_by_label("Unsaved wrap-up notes")).to_have_value("Promised a refund")
