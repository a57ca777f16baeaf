"""The agent desktop against a fake API: presence, offers with the CRM card, accept,
the active task, wrap-up, and errors."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

CALLER = "+14155550123"
CONTACT = {"id": "ct_1", "phone": CALLER, "name": "Dana Customer", "email": "dana@example.com",
           "notes": "Prefers morning deliveries", "interaction_count": 2,
           "created_at": 1700000000, "last_seen_at": 1700100000}
PAST_CALL = {"id": "in_1", "channel": "voice", "direction": "inbound", "status": "completed",
             "outcome": "completed", "started_at": 1700000000, "queue": "support",
             "queue_wait_seconds": 42, "talk_seconds": 185, "agent_id": "u_agent",
             "disposition": "Order placed", "notes": "Ordered 3 jugs"}


def reservation(**task: Any) -> dict[str, Any]:
    return {"id": "WR1", "status": "pending", "via": "desktop", "created_at": time.time(),
            "expires_at": time.time() + 30, "expires_in": 30.0,
            "task": {"id": "TK1", "channel": "voice", "queue": "support", "caller": CALLER,
                     "enqueued_at": time.time() - 12, **task}}


def active(status: str) -> dict[str, Any]:
    view = {"id": "TK1", "status": status, "channel": "voice", "queue": "support",
            "caller": CALLER, "assigned_at": time.time() - 5}
    if status == "assigned":
        view["call"] = {"state": "connected", "conference": "TK1", "on_hold": False,
                        "muted": False}
    return view


@pytest.fixture
def desk(page: Page, site: FakeSite, api: FakeApi) -> Page:
    sign_in(page, user("agent"))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/routing", {"id": "u_agent", "name": "Alex Agent",
                                        "activity": "offline", "tier": "full-time"})
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/me/tasks", {"tasks": []})
    api.reply("GET", f"api/contacts?phone={CALLER}", {"contacts": [CONTACT]})
    api.reply("GET", "api/contacts/ct_1/interactions", {"interactions": [PAST_CALL]})
    api.reply("POST", "api/voice/token", {"identity": "u_agent", "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    return page


def test_agent_goes_available_with_the_presence_selector(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.handle("PUT", "api/me/activity",
               lambda r: (200, {"id": "u_agent", "activity": r.body["activity"]}))
    desk.goto(site.url + "agent")
    expect(desk.locator("#agent-name")).to_have_text("Alex Agent")
    desk.get_by_label("Status").select_option("available")
    expect(desk.locator("#presence-dot")).to_have_class("dot available")
    assert [r.body for r in api.requests("PUT", "api/me/activity")] == [
        {"activity": "available"}]


def test_a_refused_presence_change_is_shown_and_the_selector_goes_back(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("PUT", "api/me/activity", {"error": "conflict",
                                         "message": "finish your wrap-up first"}, status=409)
    desk.goto(site.url + "agent")
    desk.get_by_label("Status").select_option("break")
    expect(desk.locator("#desk-error")).to_have_text("finish your wrap-up first")
    expect(desk.get_by_label("Status")).to_have_value("offline")


def test_the_desktop_opens_with_the_agents_current_presence(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/routing", {"id": "u_agent", "activity": "break"})
    desk.goto(site.url + "agent")
    expect(desk.get_by_label("Status")).to_have_value("break")
    expect(desk.locator("#presence-dot")).to_have_class("dot break")


def test_an_agent_without_a_routing_profile_is_told_to_ask_an_admin(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/routing", {
        "error": "not_found",
        "message": "you have no routing profile yet; ask an admin to set one up"}, status=404)
    desk.goto(site.url + "agent")
    expect(desk.locator("#desk-status")).to_have_text(
        "you have no routing profile yet; ask an admin to set one up")


def test_an_offer_shows_the_caller_queue_wait_and_crm_card(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [reservation()]})
    desk.goto(site.url + "agent")
    offer = desk.locator("article.offer")
    expect(offer.get_by_test_id("offer-caller")).to_have_text("+1 (415) 555-0123")
    expect(offer.get_by_test_id("offer-queue")).to_have_text("Queue: support")
    expect(offer.get_by_test_id("offer-crm")).to_contain_text("Dana Customer")
    expect(offer.get_by_test_id("offer-wait")).to_have_text(re.compile(r"^\d+:\d\d$"))
    expect(desk.get_by_test_id("crm-name")).to_have_text("Dana Customer")
    expect(desk.locator("ol.history")).to_contain_text("Ordered 3 jugs")
    screenshot(desk, "agent-offer")


def test_an_unknown_number_is_offered_as_a_new_caller(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [reservation()]})
    api.reply("GET", f"api/contacts?phone={CALLER}",
              {"error": "not_found", "message": "no contact"}, status=404)
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("offer-crm")).to_contain_text("New caller")
    expect(desk.get_by_test_id("crm-name")).to_have_text("New caller")


def test_a_caller_whose_only_record_is_this_call_is_a_new_caller(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    this_call = {**PAST_CALL, "id": "CA1", "status": "queued", "outcome": None,
                 "disposition": None, "notes": None}
    api.reply("GET", "api/me/reservations", {"reservations": [reservation(interaction_id="CA1")]})
    api.reply("GET", f"api/contacts?phone={CALLER}",
              {"contacts": [{**CONTACT, "name": None, "interaction_count": 1}]})
    api.reply("GET", "api/contacts/ct_1/interactions", {"interactions": [this_call]})
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("offer-crm")).to_contain_text("New caller")
    expect(desk.get_by_test_id("offer-crm")).to_contain_text("First time calling")
    expect(desk.locator('li[data-interaction="CA1"]')).to_contain_text("This call")


def test_accepting_an_offer_shows_the_connected_task(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [reservation()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        api.reply("GET", "api/me/tasks", {"tasks": [active("assigned")]})
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Accept").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Connected")
    expect(desk.get_by_test_id("task-caller")).to_have_text("+1 (415) 555-0123")
    expect(desk.locator("article.offer")).to_have_count(0)
    expect(desk.get_by_label("Name")).to_have_value("Dana Customer")
    screenshot(desk, "agent-connected")


def test_rejecting_an_offer_posts_reject(desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [reservation()]})

    def reject(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        return 200, {"id": "WR1", "status": "rejected"}

    api.handle("POST", "api/reservations/WR1/reject", reject)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Reject").click()
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    assert len(api.requests("POST", "api/reservations/WR1/reject")) == 1


def test_an_offer_taken_by_someone_else_says_so(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [reservation()]})
    api.reply("POST", "api/reservations/WR1/accept",
              {"error": "conflict", "message": "this offer has expired"}, status=409)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#desk-error")).to_have_text("this offer has expired")


def test_editing_the_contact_card_patches_the_contact(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/tasks", {"tasks": [active("assigned")]})
    api.handle("PATCH", "api/contacts/ct_1", lambda r: (200, {**CONTACT, **r.body}))
    desk.goto(site.url + "agent")
    desk.get_by_label("Email").fill("dana@new.example")
    desk.get_by_label("Notes").fill("Gate code 1234")
    desk.get_by_role("button", name="Save contact").click()
    expect(desk.get_by_text("Contact saved.")).to_be_visible()
    assert api.requests("PATCH", "api/contacts/ct_1")[0].body == {
        "name": "Dana Customer", "email": "dana@new.example", "notes": "Gate code 1234"}


def test_a_contact_field_error_is_shown_next_to_the_field(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/tasks", {"tasks": [active("assigned")]})
    api.reply("PATCH", "api/contacts/ct_1", {"error": "invalid_input",
                                             "message": "email is not a valid address",
                                             "path": "email"}, status=400)
    desk.goto(site.url + "agent")
    desk.get_by_label("Email").fill("not-an-email")
    desk.get_by_role("button", name="Save contact").click()
    expect(desk.locator("#crm-email-error")).to_have_text("email is not a valid address")
    expect(desk.get_by_label("Email")).to_have_attribute("aria-invalid", "true")


def test_wrap_up_posts_the_disposition_and_notes(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/tasks", {"tasks": [active("wrapping")]})

    def wrapup(request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/tasks", {"tasks": []})
        api.reply("GET", "api/contacts/ct_1/interactions", {"interactions": [
            {**PAST_CALL, "id": "in_2", "started_at": time.time() - 60, **request.body},
            PAST_CALL]})
        return 200, {"id": "TK1", "status": "completed"}

    api.handle("POST", "api/tasks/TK1/wrapup", wrapup)
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    screenshot(desk, "agent-wrapup")
    desk.get_by_label("Disposition").select_option("Follow-up needed")
    desk.get_by_label("Wrap-up notes").fill("Call back Friday")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.get_by_text("No active task")).to_be_visible()
    expect(desk.locator("ol.history li").first).to_contain_text("Call back Friday")
    assert api.requests("POST", "api/tasks/TK1/wrapup")[0].body == {
        "disposition": "Follow-up needed", "notes": "Call back Friday"}


def test_wrap_up_needs_a_disposition(desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/tasks", {"tasks": [active("wrapping")]})
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.locator("#wrapup-disposition-error")).to_have_text("Choose a disposition.")
    assert not api.requests("POST", "api/tasks/TK1/wrapup")


def test_the_desktop_without_work_shows_empty_states(
        desk: Page, site: FakeSite) -> None:
    desk.goto(site.url + "agent")
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    expect(desk.get_by_text("No active task")).to_be_visible()
    screenshot(desk, "agent-idle")


def test_a_gateway_error_is_described_without_echoing_the_token(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {
        "message": "Authorization header requires 'Credential'. Authorization=Bearer test-token"},
        status=403)
    desk.goto(site.url + "agent")
    expect(desk.locator("#desk-error")).to_have_text(
        "This part of Hotline isn't available on the server (403 for api/me/reservations).")
    expect(desk.get_by_text("No incoming work")).to_be_visible()
