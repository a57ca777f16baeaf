"""The wallboard and the reports page on the real stack (DynamoDB Local, the carrier
simulator and the app, tests/stack.py): a caller waits in support with no agent
available, the wallboard shows them waiting from GET /api/wallboard alone, the caller
hangs up, and the reports page for today shows the app's own figures, draws its charts and
drills down to that caller. A missing backend piece fails, naming the route (never skips)."""

from __future__ import annotations

import datetime
import urllib.error
import urllib.request
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from sim.client import SimClient
from tests.browser.conftest import screenshot
from tests.browser.test_reports_page import painted
from tests.stack import RunningStack, new_caller

pytestmark = pytest.mark.browser

WAIT_MS = 30_000


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture
def boss(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_wallboard_and_reports_on_the_running_stack(boss: Page, stack: RunningStack) -> None:
    for path in ("/reports", "/supervisor", "/vendor/chart.umd.min.js"):
        assert status_of(stack.app_url + path) == 200, f"GET {path} is not served"
    owner = stack.owner()
    for path in ("/api/wallboard", "/api/reports/summary?from=2026-01-01&to=2026-01-01"):
        status, payload = owner.call("GET", path)
        assert status == 200, f"GET {path} answered {status}: {payload}"
    for index in (0, 1):
        stack.agent(index).ok("PUT", "/api/me/activity", {"activity": "offline"})
    paths: list[str] = []
    boss.on("request", lambda request: paths.append(request.url.split(stack.app_url, 1)[-1]))

    # Given the owner watches the wallboard, when a caller waits in support
    boss.goto(stack.app_url + "/login")
    boss.get_by_label("Email").fill(stack.demo.owner_email)
    boss.get_by_label("Password").fill(stack.demo.password_owner)
    boss.get_by_role("button", name="Log in").click()
    expect(boss).to_have_url(stack.app_url + "/admin")
    paths.clear()  # the admin page's own reads
    boss.goto(stack.app_url + "/supervisor")
    sim, caller = SimClient(stack.sim_url), new_caller()
    call_sid = sim.call(caller, stack.demo.number)
    sim.press(call_sid, "2")
    support = boss.locator("[data-queue=support]")
    expect(support.get_by_test_id("waiting")).to_contain_text("1", timeout=WAIT_MS)
    screenshot(boss, "stack-wallboard-waiting")
    # (only the wallboard and the live calls are polled: nothing per agent)
    polled = {p.split("?")[0] for p in paths if p.startswith("/api/")}
    assert not {p for p in polled if p.startswith(("/api/agents/", "/api/users"))}, polled
    assert "/api/wallboard" in polled

    # When the caller hangs up, the board counts them and nobody waits
    sim.hangup(call_sid)
    expect(support.get_by_test_id("waiting")).to_contain_text("0", timeout=WAIT_MS)

    # Then today's report shows the app's own figures and the caller behind them
    tz = ZoneInfo(owner.ok("GET", "/api/tenant").get("timezone") or "America/New_York")
    today = datetime.datetime.now(tz).date().isoformat()
    boss.goto(stack.app_url + f"/reports?from={today}&to={today}")
    expected = owner.ok("GET", f"/api/reports/summary?from={today}T00:00:00&to="
                        f"{(datetime.date.fromisoformat(today) + datetime.timedelta(days=1))}"
                        "T00:00:00")
    expect(boss.locator("#main")).to_have_attribute("aria-busy", "false", timeout=WAIT_MS)
    expect(boss.locator("#reports-error")).to_be_empty()
    expect(boss.locator("[data-tile=offered] .value")).to_have_text(
        str(expected["offered"]), timeout=WAIT_MS)
    expect(boss.locator("[data-tile=abandoned] .value")).to_have_text(str(expected["abandoned"]))
    assert expected["offered"] + expected["short_abandoned"] >= 1, expected
    for canvas in ("intervals-chart", "agents-chart", "staffing-chart"):
        assert painted(boss, canvas) > 0, f"{canvas} is blank"
    boss.locator("[data-tile=offered]").click()
    expect(boss.locator("#drill")).to_contain_text(caller[-4:], timeout=WAIT_MS)
    screenshot(boss, "stack-reports")
