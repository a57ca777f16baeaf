"""The whole stack in the browser: an agent logs in, goes Available, takes a real call from
the carrier simulator, wraps it up, and sees it in the caller's CRM history."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from sim.client import SimClient
from tests.browser.conftest import SCREENSHOTS, screenshot
from tests.stack import RunningStack, new_caller

pytestmark = pytest.mark.browser

# Calls go through the simulator's webhooks and the router's matching: wait generously.
CALL_WAIT_MS = 30_000


def nanp(e164: str) -> str:
    return f"+1 ({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def require_backend(stack: RunningStack) -> None:
    """Skip, naming the missing piece, when the app does not serve what the test needs."""
    status = status_of(stack.app_url + "/login")
    if status != 200:
        pytest.skip(f"GET /login answered {status}: the pages blueprint "
                    "(chalicelib.routes.pages.bp) is not registered in app.py yet")
    agent = stack.agent(0)
    for method, path, body in [("GET", "/api/me/reservations", None),
                               ("GET", "/api/me/tasks", None),
                               ("PUT", "/api/me/activity", {"activity": "offline"})]:
        status, payload = agent.call(method, path, body)
        if status != 200:
            pytest.skip(f"{method} {path} answered {status} ({payload}): the agent API "
                        "(chalicelib/routes/agent_api.py) is not in the app yet")


def test_agent_takes_a_call_in_the_browser_and_the_crm_shows_it(
        page: Page, stack: RunningStack) -> None:
    require_backend(stack)
    sim, caller = SimClient(stack.sim_url), new_caller()

    # Given the agent has logged in through the page and gone Available
    page.goto(stack.app_url + "/login")
    page.get_by_label("Email").fill(stack.demo.agent_emails[0])
    page.get_by_label("Password").fill(stack.demo.password_agent)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(stack.app_url + "/agent")
    page.get_by_label("Status").select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot available")

    # When a caller dials the demo number and picks support
    call_sid = sim.call(caller, stack.demo.number)
    sim.press(call_sid, "2")

    # Then the offer shows the caller's number, and the agent accepts it
    offer = page.locator("article.offer").filter(has_text=nanp(caller))
    expect(offer).to_be_visible(timeout=CALL_WAIT_MS)
    expect(offer.get_by_test_id("offer-crm")).to_contain_text("New caller")
    expect(offer.get_by_test_id("offer-queue")).to_have_text("Queue: support")
    page.screenshot(path=str(SCREENSHOTS / "full-stack-offer.png"), full_page=True)
    offer.get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("task-state")).to_have_text("Connected", timeout=CALL_WAIT_MS)
    expect(page.get_by_test_id("task-caller")).to_have_text(nanp(caller))

    # When the caller hangs up, the agent wraps up through the form
    sim.hangup(call_sid)
    expect(page.get_by_test_id("task-state")).to_have_text("Wrap-up", timeout=CALL_WAIT_MS)
    page.get_by_label("Disposition").select_option("Order placed")
    page.get_by_label("Wrap-up notes").fill("Two jugs, Thursday morning")
    page.get_by_role("button", name="Finish wrap-up").click()

    # Then the task is done and the caller's CRM history shows the call
    expect(page.get_by_text("No active task")).to_be_visible(timeout=CALL_WAIT_MS)
    call = page.locator(f'ol.history li[data-interaction="{call_sid}"]')
    expect(call).to_contain_text("Order placed", timeout=CALL_WAIT_MS)
    expect(call).to_contain_text("Two jugs, Thursday morning")
    expect(call).to_contain_text("Queue support")
    screenshot(page, "full-stack-history")
