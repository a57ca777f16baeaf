"""The supervisor's live view: queues and agents, and the empty state."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.users import user

pytestmark = pytest.mark.browser

QUEUES = {"queues": [
    {"name": "support", "queue_id": "WQ1", "strategy": "longest-idle", "waiting": 3,
     "oldest_wait_seconds": 95.2, "agents": {"available": 1, "busy": 2, "wrap-up": 1}},
    {"name": "sales", "queue_id": "WQ2", "strategy": "round-robin", "waiting": 0,
     "oldest_wait_seconds": None,
     "agents": {"available": 2}},
]}
USERS = {"users": [
    {"id": "u_1", "name": "Alex Agent", "role": "agent", "email": "alex@shop.example"},
    {"id": "u_2", "name": "Sam Agent", "role": "agent", "email": "sam@shop.example"},
    {"id": "u_owner", "name": "Olivia Owner", "role": "owner", "email": "o@shop.example"},
]}
ROUTING = {
    "u_1": {"id": "u_1", "name": "Alex Agent", "activity": "available", "tier": "full-time",
            "skills": ["support"], "load": {"voice": 1, "sms": 0}, "contacts_today": 4},
    "u_2": {"id": "u_2", "name": "Sam Agent", "activity": "break", "tier": "part-time",
            "skills": ["support", "sales"], "load": {"voice": 0}, "contacts_today": 1},
}


def serve_agents(api: FakeApi, routing: dict[str, dict[str, object]]) -> None:
    api.reply("GET", "api/users", USERS)
    for member in USERS["users"]:
        path = f"api/agents/{member['id']}/routing"
        profile = routing.get(member["id"])
        if profile is None:
            api.reply("GET", path, {"error": "not_found", "message": "no profile"}, status=404)
        else:
            api.reply("GET", path, profile)


@pytest.fixture
def supervisor(page: Page, site: FakeSite, api: FakeApi) -> Page:
    sign_in(page, user("supervisor", "Sue Supervisor"))
    api.reply("GET", "api/supervisor/calls", {"calls": []})
    api.reply("POST", "api/voice/token", {"identity": "u_supervisor", "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    return page


def test_supervisor_sees_waiting_callers_and_agents_per_queue(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/queues", QUEUES)
    serve_agents(api, ROUTING)
    supervisor.goto(site.url + "supervisor")
    support = supervisor.locator("tr[data-queue=support]")
    expect(support).to_contain_text("3")
    expect(support).to_contain_text("1:35")
    expect(support).to_contain_text("Busy 2")
    expect(support).to_contain_text("Wrap up 1")
    expect(support).to_contain_text("Longest idle")
    expect(supervisor.locator("tr[data-agent=u_2]")).to_contain_text("Break")
    expect(supervisor.locator("tr[data-agent=u_1]")).to_contain_text("1 task")
    expect(supervisor.locator("tr[data-agent=u_owner]")).to_have_count(0)
    expect(supervisor.get_by_role("navigation", name="Pages")).to_contain_text("Live queues")
    screenshot(supervisor, "supervisor")


def test_supervisor_with_no_queues_or_agents_sees_an_empty_state(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/queues", {"queues": []})
    serve_agents(api, {})
    supervisor.goto(site.url + "supervisor")
    expect(supervisor.get_by_text("No queues yet")).to_be_visible()
    expect(supervisor.get_by_text("No agents yet")).to_be_visible()
    screenshot(supervisor, "supervisor-empty")


def test_an_agent_who_opens_the_supervisor_page_is_sent_to_the_desktop(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    sign_in(page, user("agent"))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/me/tasks", {"tasks": []})
    page.goto(site.url + "supervisor")
    expect(page).to_have_url(site.url + "agent")


def test_a_visitor_without_a_session_is_sent_to_login(page: Page, site: FakeSite) -> None:
    page.goto(site.url + "supervisor")
    expect(page).to_have_url(site.url + "login?reason=signin")
