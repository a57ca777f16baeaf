"""The admin page: number and hours, users, and flows (validate, publish, roll back)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

TENANT = {"id": "tn_test", "name": "Aqua Pure Water", "timezone": "America/New_York",
          "hours": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]], "tue": [["08:00", "18:00"]]},
          "holidays": ["2025-12-25"],
          "numbers": [{"number": "+14155550100", "flow_id": "default-voice",
                       "sms_flow_id": "default-sms"}]}
FLOW = {"flow_id": "default-voice", "name": "Main menu", "published_revision": 2,
        "created_at": 1700000000, "draft_updated_at": 1700000500, "published_at": 1700000400}
DEFINITION = {"description": "Main menu", "initial_state": "Trigger", "flags": {},
              "states": [{"name": "Trigger", "type": "trigger", "transitions": [],
                          "properties": {}}]}
REVISIONS = {"revisions": [
    {"revision": 1, "published_at": 1700000100, "published_by": "u_owner", "note": None},
    {"revision": 2, "published_at": 1700000400, "published_by": "u_owner", "note": None}]}


@pytest.fixture
def admin(page: Page, api: FakeApi) -> Page:
    sign_in(page, user("owner", "Olivia Owner"))
    api.reply("GET", "api/tenant", TENANT)
    api.reply("GET", "api/voice/settings", {"show_monitoring_to_agents": False})
    api.reply("GET", "api/users", {"users": [user("owner", "Olivia Owner"), user("agent")]})
    api.reply("GET", "api/flows", {"flows": [FLOW]})
    api.reply("GET", "api/flows/default-voice", {"flow": FLOW, "definition": DEFINITION})
    api.reply("GET", "api/flows/default-voice/revisions", REVISIONS)
    api.reply("GET", "api/queues", {"queues": []})
    api.reply("GET", "api/workflow", {"filters": [], "default_filter": None})
    api.reply("GET", "api/reports/settings", {"default": {}, "queues": {}})
    for who in ("owner", "agent"):
        api.reply("GET", f"api/agents/u_{who}/routing",
                  {"error": "not_found", "message": "no routing profile"}, status=404)
    return page


def test_admin_sees_the_number_hours_users_and_flows(
        admin: Page, site: FakeSite) -> None:
    admin.goto(site.url + "admin")
    expect(admin.get_by_role("heading", name="Aqua Pure Water")).to_be_visible()
    expect(admin.get_by_test_id("business-number")).to_have_text("+1 (415) 555-0100")
    expect(admin.get_by_label("Monday")).to_have_value("08:00-12:00, 13:00-18:00")
    expect(admin.get_by_label("Sunday")).to_have_value("")
    expect(admin.locator("tr[data-user=u_agent]")).to_contain_text("Agent")
    expect(admin.locator("tr[data-flow=default-voice]")).to_contain_text("Revision 2")
    expect(admin.locator("tr[data-flow=default-voice]")).to_contain_text("Unpublished changes")
    screenshot(admin, "admin", part="#business")


def test_saving_hours_puts_them_as_ranges_per_day(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.handle("PUT", "api/tenant", lambda r: (200, {**TENANT, **r.body}))
    admin.goto(site.url + "admin")
    admin.get_by_label("Saturday").fill("10:00-14:00")
    admin.get_by_label("Monday").fill("")
    admin.get_by_role("button", name="Save hours").click()
    expect(admin.get_by_text("Hours saved.")).to_be_visible()
    hours = api.requests("PUT", "api/tenant")[0].body["hours"]
    assert hours["sat"] == [["10:00", "14:00"]]
    assert hours["mon"] == []
    assert hours["tue"] == [["08:00", "18:00"]]


def test_a_bad_day_of_hours_is_flagged_on_that_day(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("PUT", "api/tenant", {"error": "invalid_input", "path": "hours.wed",
                                    "message": "18:00 is before 09:00"}, status=400)
    admin.goto(site.url + "admin")
    admin.get_by_label("Wednesday").fill("18:00-09:00")
    admin.get_by_role("button", name="Save hours").click()
    expect(admin.locator("#hours-wed-error")).to_have_text("18:00 is before 09:00")
    expect(admin.get_by_label("Wednesday")).to_have_attribute("aria-invalid", "true")


def test_adding_an_agent_posts_the_user_and_lists_them(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    added = {**user("agent", "Pat Parttime"), "id": "u_pat", "email": "pat@shop.example"}

    def add(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/users", {"users": [user("owner", "Olivia Owner"), added]})
        return 200, added

    api.handle("POST", "api/users", add)
    admin.goto(site.url + "admin")
    form = admin.locator("#add-user")
    form.get_by_label("Name").fill("Pat Parttime")
    form.get_by_label("Email").fill("pat@shop.example")
    form.get_by_label("Password").fill("a-long-password")
    form.get_by_label("Works").select_option("part-time")
    form.get_by_label("Mobile").fill("+14155550199")
    form.get_by_role("button", name="Add user").click()
    expect(admin.get_by_text("Added Pat Parttime as agent.")).to_be_visible()
    expect(admin.locator("tr[data-user=u_pat]")).to_contain_text("pat@shop.example")
    assert api.requests("POST", "api/users")[0].body == {
        "name": "Pat Parttime", "email": "pat@shop.example", "password": "a-long-password",
        "role": "agent", "tier": "part-time", "mobile": "+14155550199"}


def test_an_add_user_error_names_the_field(admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/users", {"error": "invalid_input", "path": "password",
                                    "message": "password must be at least 10 characters"},
              status=400)
    admin.goto(site.url + "admin")
    form = admin.locator("#add-user")
    form.get_by_label("Password").fill("short")
    form.get_by_role("button", name="Add user").click()
    expect(admin.locator("#user-password-error")).to_have_text(
        "password must be at least 10 characters")


def test_validating_a_flow_lists_its_problems_with_state_and_path(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/flows/default-voice/validate", {"valid": False, "issues": [
        {"code": "dangling_next", "message": "next 'Nowhere' is not a state",
         "state": "menu", "path": "$.states[1].transitions[0].next", "severity": "error"}]})
    admin.goto(site.url + "admin")
    admin.get_by_role("button", name="Open Main menu").click()
    expect(admin.get_by_label("Draft definition (Studio JSON)")).to_have_value(
        json.dumps(DEFINITION, indent=2))
    admin.get_by_role("button", name="Validate").click()
    issues = admin.get_by_test_id("flow-issues")
    expect(issues).to_contain_text("next 'Nowhere' is not a state")
    expect(issues).to_contain_text("$.states[1].transitions[0].next")
    screenshot(admin, "admin-flow", part="#flows")


def test_publishing_and_rolling_back_a_flow(admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/flows/default-voice/publish", {"revision": 3})
    api.reply("POST", "api/flows/default-voice/rollback", {"revision": 4})
    admin.goto(site.url + "admin")
    admin.get_by_role("button", name="Open Main menu").click()
    admin.get_by_role("button", name="Publish").click()
    expect(admin.get_by_text("Published: revision 3 is live.")).to_be_visible()
    admin.get_by_role("button", name="Roll back to revision 1").click()
    expect(admin.get_by_text("Rolled back to revision 1; it is live as revision 4.")
           ).to_be_visible()
    assert api.requests("POST", "api/flows/default-voice/rollback")[0].body == {"revision": 1}


def test_a_draft_that_is_not_json_is_refused_before_saving(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    admin.goto(site.url + "admin")
    admin.get_by_role("button", name="Open Main menu").click()
    editor = admin.get_by_label("Draft definition (Studio JSON)")
    editor.fill("{ not json")
    expect(admin.get_by_role("button", name="Publish")).to_be_disabled()
    admin.get_by_role("button", name="Save draft").click()
    expect(admin.locator("#flow-definition-error")).to_contain_text("isn't valid JSON")
    assert not api.requests("PUT", "api/flows/default-voice")


def test_saving_a_draft_puts_the_definition(admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.handle("PUT", "api/flows/default-voice",
               lambda r: (200, {"flow": FLOW, "issues": []}))
    admin.goto(site.url + "admin")
    admin.get_by_role("button", name="Open Main menu").click()
    admin.get_by_label("Draft definition (Studio JSON)").fill('{"description": "v2"}')
    admin.get_by_role("button", name="Save draft").click()
    expect(admin.get_by_text("Draft saved.")).to_be_visible()
    assert api.requests("PUT", "api/flows/default-voice")[0].body == {
        "definition": {"description": "v2"}}


def test_a_supervisor_who_opens_admin_is_sent_to_live_queues(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    sign_in(page, user("supervisor"))
    api.reply("GET", "api/queues", {"queues": []})
    api.reply("GET", "api/users", {"users": []})
    page.goto(site.url + "admin")
    expect(page).to_have_url(site.url + "supervisor")


def test_the_monitoring_toggle_puts_the_call_setting(
        admin: Page, site: FakeSite, api: FakeApi) -> None:
    api.handle("PUT", "api/voice/settings", lambda r: (200, r.body))
    admin.goto(site.url + "admin")
    toggle = admin.get_by_label("Tell agents when a supervisor is monitoring their call")
    expect(toggle).not_to_be_checked()
    toggle.check()
    expect(admin.get_by_text("Agents now see when they are monitored.")).to_be_visible()
    assert api.requests("PUT", "api/voice/settings")[0].body == {"show_monitoring_to_agents": True}
    screenshot(admin, "admin-monitoring", part=".monitoring-setting")

