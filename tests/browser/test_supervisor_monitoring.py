"""The supervisor's live calls: each call's agent, caller, queue and duration, and listen,
whisper, barge and stop; the monitor leg rings the supervisor's own browser phone (the
fake simulator's device API) and the page answers it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

SUPERVISOR = "u_supervisor"


def live_call(**extra: Any) -> dict[str, Any]:
    return {"task_id": "TK1", "agent_id": "u_1", "agent_name": "Alex Agent",
            "caller": "+14155550123", "queue": "support", "direction": "inbound",
            "started_at": time.time() - 125, "duration_seconds": 125, "on_hold": False,
            "monitor": None, **extra}


@pytest.fixture
def console(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    sign_in(page, user("supervisor", "Sue Supervisor"))
    api.reply("GET", "api/wallboard", {"generated_at": time.time(), "queues": [], "agents": []})
    api.reply("GET", "api/supervisor/calls", {"calls": [live_call()]})
    api.reply("POST", "api/voice/token", {"identity": SUPERVISOR, "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    return page


def test_live_calls_show_agent_caller_queue_and_duration(
        console: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/supervisor/calls", {"calls": [
        live_call(), live_call(task_id="TK2", agent_name="Sam Agent", on_hold=True,
                               monitor={"supervisor_id": "u_other", "mode": "whisper"})]})
    console.goto(site.url + "supervisor")
    row = console.locator("tr[data-call=TK1]")
    expect(row).to_contain_text("Alex Agent")
    expect(row).to_contain_text("+1 (415) 555-0123")
    expect(row).to_contain_text("support")
    expect(row).to_contain_text("2:0")
    expect(row).to_contain_text("Talking")
    other = console.locator("tr[data-call=TK2]")
    expect(other).to_contain_text("On hold")
    expect(other.get_by_test_id("monitor-state")).to_have_text("Whispering")
    expect(console.locator("#phone-state")).to_have_text("Phone ready")
    screenshot(console, "supervisor-live-calls")


def test_listening_in_answers_the_monitor_leg_then_whisper_and_stop(
        console: Page, site: FakeSite, api: FakeApi) -> None:
    def monitor(request: Received) -> tuple[int, Any]:
        if not site.sim.registered(SUPERVISOR) or not site.sim.registered(SUPERVISOR).active:
            site.sim.ring(SUPERVISOR, "CA_monitor")
        mode = request.body["mode"]
        api.reply("GET", "api/supervisor/calls", {"calls": [
            live_call(monitor={"supervisor_id": SUPERVISOR, "mode": mode})]})
        return 200, {"monitor": {"supervisor_id": SUPERVISOR, "mode": mode}}

    api.handle("POST", "api/tasks/TK1/monitor", monitor)
    api.handle("DELETE", "api/tasks/TK1/monitor", lambda _r: (
        api.reply("GET", "api/supervisor/calls", {"calls": [live_call()]}) or (200, {})))
    console.goto(site.url + "supervisor")
    expect(console.locator("#phone-state")).to_have_text("Phone ready")
    row = console.locator("tr[data-call=TK1]")
    row.get_by_role("button", name="Listen").click()
    expect(console.locator("#phone-state")).to_have_text("Phone: monitoring")
    expect(row.get_by_test_id("monitor-state")).to_have_text("Listening (you)")
    expect(row.get_by_role("button", name="Listen")).to_have_attribute("aria-pressed", "true")
    screenshot(console, "supervisor-listening", "tr[data-call=TK1]")
    row.get_by_role("button", name="Whisper").click()
    expect(row.get_by_test_id("monitor-state")).to_have_text("Whispering (you)")
    row.get_by_role("button", name="Stop").click()
    expect(console.locator("#phone-state")).to_have_text("Phone ready")
    expect(row.get_by_test_id("monitor-state")).to_have_count(0)
    assert [r.body for r in api.requests("POST", "api/tasks/TK1/monitor")] == [
        {"mode": "listen"}, {"mode": "whisper"}]
    assert len(api.requests("DELETE", "api/tasks/TK1/monitor")) == 1
    verbs = site.sim.verbs()
    assert verbs.count("accept") == 1 and verbs[-1] == "hangup"


def test_a_refused_monitor_request_shows_the_reason(
        console: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/tasks/TK1/monitor", {
        "error": "conflict", "message": "the call has ended"}, status=409)
    console.goto(site.url + "supervisor")
    expect(console.locator("#phone-state")).to_have_text("Phone ready")
    console.get_by_role("button", name="Barge").click()
    expect(console.locator("#calls-error")).to_have_text("the call has ended")


def test_no_live_calls_shows_an_empty_state(
        console: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/supervisor/calls", {"calls": []})
    console.goto(site.url + "supervisor")
    expect(console.get_by_text("No live calls")).to_be_visible()
