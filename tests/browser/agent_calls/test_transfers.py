"""Transfers from the agent desktop: cold and warm, to an agent, a number or a queue; the
warm consult's complete and cancel; and a transfer offer showing who sent it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.agent_calls.views import DIRECTORY, answer_with, offer, on_task, task
from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite

pytestmark = pytest.mark.browser


def test_a_cold_transfer_to_an_available_agent(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    answer_with(api, "api/tasks/TK1/transfer", task("wrapping"))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    target = desk.get_by_label("Transfer to")
    expect(target.locator("option", has_text="Sam Agent · Available")).to_be_enabled()
    expect(target.locator("option", has_text="Kim Agent · Break")).to_be_disabled()
    screenshot(desk, "agent-transfer-picker", ".call-controls")
    target.select_option("agent:u_sam")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    assert api.requests("POST", "api/tasks/TK1/transfer")[0].body == {
        "to": {"agent": "u_sam"}, "mode": "cold"}


def test_a_warm_transfer_to_a_number_and_to_a_queue(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    api.handle("POST", "api/tasks/TK1/transfer", lambda r: (200, task()))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    desk.get_by_label("Transfer to").select_option("number")
    desk.get_by_label("Phone number").fill("(415) 555-0199")
    desk.get_by_text("Warm", exact=True).click()
    desk.get_by_label("Notes for the next agent").fill("Billing question, order 1182")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("form.transfer")).to_have_count(0)
    desk.get_by_role("button", name="Transfer").click()
    desk.get_by_label("Transfer to").select_option("queue:sales")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("form.transfer")).to_have_count(0)
    assert [r.body for r in api.requests("POST", "api/tasks/TK1/transfer")] == [
        {"to": {"number": "+14155550199"}, "mode": "warm",
         "notes": "Billing question, order 1182"},
        {"to": {"queue": "sales"}, "mode": "cold"}]


def test_a_transfer_needs_a_target(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("#transfer-target-error")).to_have_text(
        "Choose a queue, an agent or a number.")
    assert not api.requests("POST", "api/tasks/TK1/transfer")


def test_a_warm_transfers_consult_can_be_completed_or_cancelled(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    consulting = {"mode": "warm", "to": {"agent": "u_sam"}, "state": "consulting",
                  "target_name": "Sam Agent"}
    on_task(api, task(on_hold=True, transfer=consulting))
    answer_with(api, "api/tasks/TK1/transfer/cancel", task(on_hold=True))
    answer_with(api, "api/tasks/TK1/transfer/complete", task("wrapping"))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("consult")).to_contain_text("Consulting with Sam Agent")
    expect(desk.get_by_role("button", name="Transfer", exact=True)).to_be_disabled()
    screenshot(desk, "agent-warm-consult", ".call-controls")
    desk.get_by_role("button", name="Cancel transfer").click()
    expect(desk.get_by_test_id("consult")).to_have_count(0)
    expect(desk.get_by_test_id("on-hold")).to_be_visible()
    on_task(api, task(on_hold=True, transfer=consulting))
    expect(desk.get_by_test_id("consult")).to_be_visible()
    desk.get_by_role("button", name="Complete transfer").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    assert [len(api.requests("POST", f"api/tasks/TK1/transfer/{a}"))
            for a in ("cancel", "complete")] == [1, 1]


def test_a_transfer_offer_shows_who_transferred_and_their_notes(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer(
        transfer_from={"agent_id": "u_sam", "name": "Sam Agent", "mode": "warm"},
        notes="Wants a refund for order 1182")]})
    desk.goto(site.url + "agent")
    note = desk.get_by_test_id("offer-transfer")
    expect(note).to_contain_text("Warm transfer from Sam Agent")
    expect(note).to_contain_text("Notes: Wants a refund for order 1182")
    screenshot(desk, "agent-transfer-offer", "article.offer")
