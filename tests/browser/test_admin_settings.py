"""The admin page's settings: queues (strategy, skills, wait announcements, overflow,
service level), agents' routing, which flow each number runs, and the business's hours,
holidays, dispositions and messages, each checked by the exact JSON the page sends."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

TENANT = {"id": "tn_test", "name": "Aqua Pure Water", "timezone": "America/New_York",
          "hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]],
                    "wed": [["09:00", "17:00"]]},
          "holidays": ["2026-01-01"],
          "numbers": [{"number": "+14155550100", "flow_id": "default-voice",
                       "sms_flow_id": "default-sms"}],
          "dispositions": ["Resolved", "Order placed", "Wrong number"],
          "messages": {"suspended": "Aqua is taking a short break."},
          "default_messages": {"closed_hours": "We are closed right now.",
                               "suspended": "This service is temporarily unavailable.",
                               "closed": "This number is no longer in service.",
                               "expired": "This service is temporarily unavailable."}}
QUEUE = {"queue_id": "WQ1", "strategy": "longest-idle", "worker_expression": "",
         "max_wait_seconds": 900, "overflow_after_seconds": 60, "overflow_queue_length": 3,
         "hold_music_url": None, "reservation_timeout_seconds": None, "ring_all_limit": 10,
         "announce_position": True, "wait_message": None, "waiting": 0,
         "waiting_capped": False, "oldest_wait_seconds": None, "agents": {}}
QUEUES = {"queues": [{**QUEUE, "name": "support", "waiting": 2},
                     {**QUEUE, "name": "orders", "strategy": "round-robin",
                      "worker_expression": 'skills HAS "orders"'}]}
VIP = {"name": "VIP", "expression": "vip == true",
       "targets": [{"queue": "support", "priority": 10}]}
WORKFLOW = {"filters": [VIP], "default_filter": {"queue": "support"}}
SL = {"default": {"sl_threshold_seconds": 20, "sl_target": 0.8, "short_abandon_seconds": 5,
                  "sl_formula": "flex"}, "queues": {}, "fcr_window_days": 7}
PROFILE = {"id": "u_agent", "name": "Alex Agent", "activity": "available", "tier": "full-time",
           "skills": ["orders"], "attributes": {},
           "capacity": {"voice": 1, "sms": 3, "chat": 3, "voicemail": 1},
           "wrapup_seconds": 60, "mobile": None, "take_on_mobile": False}
FLOWS = {"flows": [
    {"flow_id": "default-voice", "name": "Main menu", "published_revision": 2},
    {"flow_id": "default-sms", "name": "SMS auto-reply", "published_revision": 1},
    {"flow_id": "night-menu", "name": "Night menu", "published_revision": 1},
    {"flow_id": "draft-menu", "name": "Draft menu", "published_revision": None}]}


def echo(request: Received) -> tuple[int, Any]:
    return 200, request.body


@pytest.fixture
def admin(page: Page, api: FakeApi) -> Page:
    sign_in(page, user("owner", "Olivia Owner"))
    api.reply("GET", "api/tenant", TENANT)
    api.reply("GET", "api/voice/settings", {"show_monitoring_to_agents": False})
    api.reply("GET", "api/users", {"users": [user("owner", "Olivia Owner"), user("agent")]})
    api.reply("GET", "api/flows", FLOWS)
    api.reply("GET", "api/queues", QUEUES)
    api.reply("GET", "api/workflow", WORKFLOW)
    api.reply("GET", "api/reports/settings", SL)
    api.reply("GET", "api/agents/u_agent/routing", PROFILE)
    api.reply("GET", "api/agents/u_owner/routing",
              {"error": "not_found", "message": "no routing profile"}, status=404)
    return page


def test_an_owner_edits_a_queue_and_creates_another(
        admin: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    api.handle("PUT", "api/queues/orders", echo)
    api.handle("PUT", "api/queues/billing", echo)
    api.handle("PUT", "api/reports/settings", lambda r: (200, {**SL, **r.body}))
    api.handle("PUT", "api/workflow", echo)
    # given the queues as the API lists them
    admin.goto(site.url + "admin#routing")
    support = admin.locator("tr[data-queue=support]")
    expect(support).to_contain_text("2 waiting now")
    expect(support).to_contain_text("Every agent")
    expect(support).to_contain_text("80% in 20 s")
    expect(admin.locator("tr[data-queue=orders]")).to_contain_text("Round robin")
    # when the owner edits orders: two skills, no position announcement but a message,
    # overflow to support after 90 s, and a service level of 90% in 30 s
    admin.get_by_role("button", name="Edit orders").click()
    form = admin.locator("#queue-form")
    expect(form.get_by_label("Skills required")).to_have_value("orders")
    form.get_by_label("Skills required").fill("orders, spanish")
    form.get_by_label("Announce their place in line and the expected wait").uncheck()
    form.get_by_label("Message said first, every turn").fill("Thanks for holding.")
    form.get_by_label("Move unanswered callers to").select_option("support")
    form.get_by_label("after", exact=True).fill("90")
    form.get_by_label("Answered within").fill("30")
    form.get_by_label("Target").fill("90")
    form.get_by_label("Counted as").select_option("connect")
    screenshot(admin, "admin-queue-editor", part="#queues")
    form.get_by_role("button", name="Save queue").click()
    expect(admin.get_by_text("Queue orders saved.")).to_be_visible()
    # then the queue, its service level and the workflow's overflow rule are sent
    queue = api.requests("PUT", "api/queues/orders")[0].body
    assert queue["strategy"] == "round-robin"
    assert queue["worker_expression"] == 'skills HAS "orders" AND skills HAS "spanish"'
    assert queue["announce_position"] is False
    assert queue["wait_message"] == "Thanks for holding."
    assert queue["max_wait_seconds"] == 900 and queue["overflow_after_seconds"] == 60
    assert api.requests("PUT", "api/reports/settings")[0].body == {
        "queues": {"orders": {"sl_threshold_seconds": 30, "sl_target": 0.9,
                              "sl_formula": "connect"}}}
    assert api.requests("PUT", "api/workflow")[0].body == {
        "filters": [VIP, {"name": "Overflow from orders", "expression": 'queue == "orders"',
                          "targets": [{"queue": "orders", "timeout": 90},
                                      {"queue": "support"}]}],
        "default_filter": {"queue": "support"}}
    # and a new queue is created with the strategy chosen
    admin.get_by_role("button", name="New queue").click()
    form.get_by_label("Name").fill("billing")
    form.get_by_label("Offer calls to").select_option("ring-all")
    form.get_by_label("Ring at most").fill("4")
    form.get_by_role("button", name="Create queue").click()
    expect(admin.get_by_text("Queue billing created.")).to_be_visible()
    created = api.requests("PUT", "api/queues/billing")[0].body
    assert created["strategy"] == "ring-all" and created["ring_all_limit"] == 4
    assert created["worker_expression"] == "" and created["announce_position"] is True
    assert not api.requests("PUT", "api/workflow")[1:]


def test_an_owner_sets_an_agents_routing_and_a_numbers_flow(
        admin: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    api.handle("PUT", "api/agents/u_agent/routing", lambda r: (200, {**PROFILE, **r.body}))
    api.reply("PUT", "api/numbers/+14155550100/flow",
              {"number": "+14155550100", "flow_id": "night-menu", "channel": "voice"})
    admin.goto(site.url + "admin#agents")
    # given an agent with a profile and an owner without one
    expect(admin.locator("tr[data-agent=u_agent]")).to_contain_text("Calls 1 · SMS / WhatsApp 3")
    expect(admin.locator("tr[data-agent=u_owner]")).to_contain_text("Not routed yet")
    # when the agent gets two skills, five texts at once and the part-time tier
    admin.get_by_role("button", name="Edit routing for Alex Agent").click()
    form = admin.locator("#agent-form")
    form.get_by_label("Skills").fill("billing, spanish, billing")
    form.get_by_label("SMS / WhatsApp").fill("5")
    form.get_by_label("Works").select_option("part-time")
    form.get_by_role("button", name="Save routing").click()
    expect(admin.get_by_text("Routing for Alex Agent saved.")).to_be_visible()
    # then the profile is put as the API takes it
    assert api.requests("PUT", "api/agents/u_agent/routing")[0].body == {
        "skills": ["billing", "spanish"], "capacity": {"voice": 1, "sms": 5, "chat": 3,
                                                       "voicemail": 1},
        "tier": "part-time", "mobile": None, "take_on_mobile": False, "wrapup_seconds": 60}
    # and the number's calls move to the night menu (a draft cannot be chosen)
    row = admin.locator("tr[data-number='+14155550100']")
    calls = row.get_by_label("Calls flow for +1 (415) 555-0100")
    expect(calls).to_have_value("default-voice")
    expect(calls.locator("option[value=draft-menu]")).to_be_disabled()
    calls.select_option("night-menu")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_text("Saved: new calls and texts use it now.")).to_be_visible()
    assert [r.body for r in api.requests("PUT", "api/numbers/+14155550100/flow")] == [
        {"flow_id": "night-menu", "channel": "voice"}]
    screenshot(admin, "admin-routing", part="#routing")


def test_an_owner_sets_hours_holidays_dispositions_and_messages(
        admin: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    def put_tenant(request: Received) -> tuple[int, Any]:
        if request.body.get("hours", {}).get("wed") == [["09:00", "13:00"], ["12:00", "17:00"]]:
            return 400, {"error": "invalid_input", "path": "hours.wed",
                         "message": "Wednesday: 09:00-13:00 and 12:00-17:00 overlap"}
        return 200, {**TENANT, **request.body}

    api.handle("PUT", "api/tenant", put_tenant)
    admin.goto(site.url + "admin")
    # overlapping hours: the server's refusal is shown under that day
    admin.get_by_label("Wednesday").fill("09:00-13:00, 12:00-17:00")
    admin.get_by_role("button", name="Save hours").click()
    expect(admin.locator("#hours-wed-error")).to_have_text(
        "Wednesday: 09:00-13:00 and 12:00-17:00 overlap")
    expect(admin.get_by_label("Wednesday")).to_have_attribute("aria-invalid", "true")
    # holidays: a closure whose last day is before its first is refused on the page
    calendar = admin.locator("#calendar-form")
    calendar.get_by_label("Closed on").fill("2026-12-26")
    calendar.get_by_label("Until").fill("2026-12-24")
    calendar.get_by_role("button", name="Add holiday").click()
    expect(admin.locator("#holiday-to-error")).to_have_text("The last day is before the first.")
    calendar.get_by_label("Until").fill("2026-12-27")
    calendar.get_by_role("button", name="Add holiday").click()
    expect(calendar.locator("li[data-holiday]")).to_have_count(3)
    calendar.get_by_label("Time zone").select_option("Europe/Paris")
    calendar.get_by_role("button", name="Save time zone and holidays").click()
    expect(admin.get_by_text("Time zone and holidays saved.")).to_be_visible()
    assert api.requests("PUT", "api/tenant")[-1].body == {
        "timezone": "Europe/Paris", "holidays": ["2026-01-01", "2026-12-26", "2026-12-27"]}
    expect(admin.locator("#fact-timezone")).to_have_text("Europe/Paris")
    # dispositions: one removed, one added
    dispositions = admin.locator("#dispositions-form")
    dispositions.get_by_role("button", name="Remove Wrong number").click()
    dispositions.get_by_label("New disposition").fill("Refund issued")
    dispositions.get_by_label("New disposition").press("Enter")
    dispositions.get_by_role("button", name="Save dispositions").click()
    expect(admin.get_by_text("Dispositions saved.", exact=False)).to_be_visible()
    assert api.requests("PUT", "api/tenant")[-1].body == {
        "dispositions": ["Resolved", "Order placed", "Refund issued"]}
    # messages: the defaults are the placeholders; all four are sent
    messages = admin.locator("#messages-form")
    expect(messages.get_by_label("After hours")).to_have_attribute(
        "placeholder", "We are closed right now.")
    expect(messages.get_by_label("While the service is suspended")).to_have_value(
        "Aqua is taking a short break.")
    messages.get_by_label("After hours").fill("Aqua is closed. Leave a message.")
    messages.get_by_role("button", name="Save messages").click()
    expect(admin.get_by_text("Messages saved.")).to_be_visible()
    assert api.requests("PUT", "api/tenant")[-1].body == {"messages": {
        "closed_hours": "Aqua is closed. Leave a message.",
        "suspended": "Aqua is taking a short break.", "expired": "", "closed": ""}}
    screenshot(admin, "admin-business", part="#business")
