"""The supervisor's wallboard: per queue today's service level, abandons, ASA, AHT,
waiting and longest wait, with the agents' states, from ONE request per refresh
(GET api/wallboard); a service-level breach is flagged on the tile with a one-time notice."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser import fake_reports
from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.users import user

pytestmark = pytest.mark.browser


def live_call() -> dict[str, object]:
    return {"task_id": "TK1", "agent_id": "u_1", "agent_name": "Alex Agent",
            "caller": "+14155550123", "queue": "support", "direction": "inbound",
            "started_at": time.time() - 125, "on_hold": False, "monitor": None}


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found
    assert found == []


@pytest.fixture
def supervisor(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    sign_in(page, user("supervisor", "Sue Supervisor"))
    api.reply("GET", "api/supervisor/calls", {"calls": [live_call()]})
    api.reply("POST", "api/voice/token", {"identity": "u_supervisor", "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    return page


def board(breach: bool = False, waiting: int = 3) -> dict[str, object]:
    return fake_reports.wallboard(breach=breach, waiting=waiting, generated_at=time.time())


def test_wallboard_shows_todays_figures_per_queue_and_agents_states_during_calls(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/wallboard", board())
    supervisor.goto(site.url + "supervisor")
    support = supervisor.locator("[data-queue=support]")
    expect(support.get_by_test_id("service-level")).to_have_text("86%")
    expect(support.get_by_test_id("waiting")).to_contain_text("3")
    expect(support.get_by_test_id("longest-wait")).to_contain_text("1:3")
    today = fake_reports.figures(fake_reports.CONTACTS, 8 * 3600 * 3)
    expect(support.get_by_test_id("abandoned")).to_contain_text(str(today["abandoned"]))
    expect(support.get_by_test_id("short-abandoned")).to_contain_text(
        str(today["short_abandoned"]))
    expect(support.get_by_test_id("asa")).to_contain_text("0:29")
    expect(support.get_by_test_id("aht")).to_contain_text("4:26")
    expect(support).to_contain_text("Target 80% in 20 s")
    expect(support.get_by_test_id("queue-agents")).to_have_text("Available 1Busy 1Break 1")
    expect(support.get_by_test_id("breach-flag")).to_have_count(0)
    expect(supervisor.locator("[data-queue=sales]")).to_contain_text("93%")
    alex = supervisor.locator("tr[data-agent=u_1]")
    expect(alex).to_contain_text("Busy")
    expect(alex.get_by_test_id("on-call")).to_have_text("On a call")
    expect(alex).to_contain_text("1 task")
    expect(alex).to_contain_text("2:0")  # in state for 2:05, ticking
    expect(supervisor.locator("tr[data-agent=u_2]")).to_contain_text("Break")
    expect(supervisor.locator("tr[data-call=TK1]")).to_contain_text("Alex Agent")
    expect(supervisor.get_by_role("navigation", name="Pages")).to_contain_text("Reports")
    screenshot(supervisor, "supervisor")


def test_each_refresh_is_one_wallboard_request_and_never_one_per_agent(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/wallboard", board())
    supervisor.goto(site.url + "supervisor")
    expect(supervisor.locator("tr[data-agent=u_3]")).to_contain_text("Available")
    supervisor.wait_for_function("document.getElementById('updated').textContent !== ''")
    deadline = time.monotonic() + 10
    while len(api.requests("GET", "api/wallboard")) < 3 and time.monotonic() < deadline:
        supervisor.wait_for_timeout(250)
    refreshes = len(api.requests("GET", "api/wallboard"))
    assert refreshes >= 3
    board_reads = [r.path for r in api.received
                   if r.method == "GET" and r.path not in ("api/supervisor/calls",)]
    assert board_reads == ["api/wallboard"] * len(board_reads)
    calls = len(api.requests("GET", "api/supervisor/calls"))
    assert abs(calls - len(board_reads)) <= 1  # the live calls ride the same refresh


def test_a_service_level_breach_flags_the_queue_and_gives_one_notice(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/wallboard", board())
    supervisor.goto(site.url + "supervisor")
    support = supervisor.locator("[data-queue=support]")
    expect(support.get_by_test_id("service-level")).to_have_text("86%")
    notice = supervisor.get_by_test_id("breach-notice")
    expect(notice).to_be_hidden()
    api.reply("GET", "api/wallboard", board(breach=True, waiting=7))
    expect(support.get_by_test_id("breach-flag")).to_have_text("SL breach")
    expect(support.get_by_test_id("service-level")).to_have_text("62%")
    expect(notice).to_have_text("Service level breach: support is below its target.Dismiss")
    expect(supervisor.locator("[data-queue=sales]").get_by_test_id("breach-flag")).to_have_count(0)
    screenshot(supervisor, "supervisor-breach", "[data-queue=support]")
    notice.get_by_role("button", name="Dismiss").click()
    seen = len(api.requests("GET", "api/wallboard"))
    deadline = time.monotonic() + 8
    while len(api.requests("GET", "api/wallboard")) < seen + 2 and time.monotonic() < deadline:
        supervisor.wait_for_timeout(250)
    assert len(api.requests("GET", "api/wallboard")) >= seen + 2
    expect(notice).to_be_hidden()  # still breaching: one notice, not one per refresh
    expect(support.get_by_test_id("breach-flag")).to_be_visible()


def test_a_capped_waiting_count_reads_as_at_least(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    capped = board(waiting=50)
    capped["queues"][0]["waiting_capped"] = True  # type: ignore[index]
    api.reply("GET", "api/wallboard", capped)
    supervisor.goto(site.url + "supervisor")
    expect(supervisor.locator("[data-queue=support]").get_by_test_id("waiting")).to_contain_text(
        "50+")


def test_supervisor_with_no_queues_or_agents_sees_an_empty_state(
        supervisor: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/wallboard", {"generated_at": time.time(), "queues": [], "agents": []})
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
