"""The whole stack in the browser, in local mode: desktops whose browser phones are the
simulator's devices (registered through its control API, nothing answers on its own).

One journey: a caller reaches Alex's desktop, which accepts; Alex holds and resumes, then
warm-transfers to Sam's desktop, which accepts the transfer offer; Alex completes the
transfer and wraps up; the owner, on the supervisor console, listens in on Sam's call.
The backend must be there: a missing route fails the test, naming it (never a skip)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

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
    """Fail, naming the missing piece, when the app does not serve what the journey needs."""
    for path in ("/login", "/agent", "/supervisor", "/vendor/twilio.min.js"):
        status = status_of(stack.app_url + path)
        assert status == 200, f"GET {path} answered {status}: the pages blueprint or the " \
                              "vendored SDK (python -m devtools.vendor) is missing"
    agent = stack.agent(0)
    for method, path, body in [("GET", "/api/me/reservations", None),
                               ("GET", "/api/me/tasks", None),
                               ("PUT", "/api/me/activity", {"activity": "offline"}),
                               ("POST", "/api/voice/token", None),
                               ("GET", "/api/voice/directory", None)]:
        status, payload = agent.call(method, path, body)
        assert status == 200, f"{method} {path} answered {status}: {payload}"
    status, payload = stack.owner().call("GET", "/api/supervisor/calls")
    assert status == 200, f"GET /api/supervisor/calls answered {status}: {payload}"


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[Page]]:
    """Three tabs of their own (each with its own session): Alex, Sam and the owner."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 860}) for _ in range(3)]
    errors: list[str] = []
    opened = []
    for context in contexts:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        opened.append(page)
    yield opened
    for context in contexts:
        context.close()
    assert errors == []


def log_in(page: Page, stack: RunningStack, email: str, password: str, home: str) -> None:
    page.goto(stack.app_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(stack.app_url + "/" + home)


def go_available(page: Page) -> None:
    page.get_by_label("Status").select_option("available")
    expect(page.locator("#presence-dot")).to_have_class("dot available")
    expect(page.locator("#phone-state")).to_have_text("Phone ready", timeout=CALL_WAIT_MS)


def test_accept_hold_warm_transfer_wrap_up_and_a_supervisor_listening(
        pages: list[Page], stack: RunningStack) -> None:
    require_backend(stack)
    alex, sam, boss = pages
    sim, caller = SimClient(stack.sim_url), new_caller()
    first, second = (stack.agent(i).ok("GET", "/api/me")["name"] for i in (0, 1))
    stack.agent(1).ok("PUT", "/api/me/activity", {"activity": "offline"})

    # Given the first agent ("alex") is Available, the second ("sam") is not yet,
    # and the owner watches the supervisor console
    log_in(alex, stack, stack.demo.agent_emails[0], stack.demo.password_agent, "agent")
    log_in(sam, stack, stack.demo.agent_emails[1], stack.demo.password_agent, "agent")
    log_in(boss, stack, stack.demo.owner_email, stack.demo.password_owner, "admin")
    boss.goto(stack.app_url + "/supervisor")
    expect(boss.locator("#phone-state")).to_have_text("Phone ready", timeout=CALL_WAIT_MS)
    go_available(alex)

    # When a caller picks support, Alex's desktop rings and Alex accepts
    call_sid = sim.call(caller, stack.demo.number)
    sim.press(call_sid, "2")
    offer = alex.locator("article.offer").filter(has_text=nanp(caller))
    expect(offer).to_be_visible(timeout=CALL_WAIT_MS)
    expect(alex.locator("body")).to_have_attribute("data-ringing", "true")
    alex.screenshot(path=str(SCREENSHOTS / "full-stack-1-offer.png"), full_page=True)
    offer.get_by_role("button", name="Accept").click()

    # Then the browser phone answers the agent's leg and the call connects
    expect(alex.locator("#phone-state")).to_have_text("Phone: in a call", timeout=CALL_WAIT_MS)
    expect(alex.get_by_test_id("task-state")).to_have_text("Connected", timeout=CALL_WAIT_MS)
    expect(alex.locator("#work-state")).to_have_text("On a call")

    # Hold, then resume
    alex.get_by_role("button", name="Hold").click()
    expect(alex.get_by_test_id("on-hold")).to_be_visible(timeout=CALL_WAIT_MS)
    alex.screenshot(path=str(SCREENSHOTS / "full-stack-2-hold.png"), full_page=True)
    alex.get_by_role("button", name="Resume").click()
    expect(alex.get_by_test_id("on-hold")).to_have_count(0, timeout=CALL_WAIT_MS)

    # A warm transfer to Sam: Sam's desktop gets a transfer offer and accepts it
    go_available(sam)
    alex.get_by_role("button", name="Transfer").click()
    target = alex.get_by_label("Transfer to")
    expect(alex.locator("form.transfer .alert")).to_be_empty()
    expect(target.locator("option", has_text=f"{second} · Available")).to_be_enabled(
        timeout=CALL_WAIT_MS)
    target.select_option(label=f"{second} · Available")
    alex.get_by_text("Warm", exact=True).click()
    alex.get_by_label("Notes for the next agent").fill("Wants to change the delivery day")
    alex.locator("form.transfer").get_by_role("button", name="Transfer").click()
    transfer = sam.locator("article.offer").filter(has_text=f"Warm transfer from {first}")
    expect(transfer).to_be_visible(timeout=CALL_WAIT_MS)
    expect(transfer.get_by_test_id("offer-transfer")).to_contain_text(
        "Notes: Wants to change the delivery day")
    sam.screenshot(path=str(SCREENSHOTS / "full-stack-3-transfer-offer.png"), full_page=True)
    transfer.get_by_role("button", name="Accept").click()
    expect(sam.locator("#phone-state")).to_have_text("Phone: in a call", timeout=CALL_WAIT_MS)
    expect(alex.get_by_test_id("consult")).to_contain_text(f"Consulting with {second}",
                                                           timeout=CALL_WAIT_MS)
    screenshot(alex, "full-stack-4-consult")
    alex.get_by_role("button", name="Complete transfer").click()

    # Alex wraps up while Sam has the caller
    expect(alex.get_by_test_id("task-state")).to_have_text("Wrap-up", timeout=CALL_WAIT_MS)
    expect(alex.locator("#work-state")).to_have_text("Wrap-up")
    expect(alex.locator("#phone-state")).to_have_text("Phone ready", timeout=CALL_WAIT_MS)
    expect(sam.get_by_test_id("task-caller")).to_have_text(nanp(caller), timeout=CALL_WAIT_MS)
    alex.get_by_label("Disposition").select_option("Follow-up needed")
    alex.get_by_label("Wrap-up notes").fill("Warm transfer to Sam for billing")
    screenshot(alex, "full-stack-5-wrapup")
    alex.get_by_role("button", name="Finish wrap-up").click()
    expect(alex.get_by_text("No active task")).to_be_visible(timeout=CALL_WAIT_MS)

    # The owner listens in on Sam's call from the supervisor console
    live = boss.locator("tr[data-call]").filter(has_text=second)
    expect(live).to_contain_text(nanp(caller), timeout=CALL_WAIT_MS)
    live.get_by_role("button", name="Listen").click()
    expect(boss.locator("#phone-state")).to_have_text("Phone: monitoring", timeout=CALL_WAIT_MS)
    expect(live.get_by_test_id("monitor-state")).to_have_text("Listening (you)",
                                                              timeout=CALL_WAIT_MS)
    screenshot(boss, "full-stack-6-supervisor-listening")
    live.get_by_role("button", name="Stop").click()
    expect(boss.locator("#phone-state")).to_have_text("Phone ready", timeout=CALL_WAIT_MS)

    # When the caller hangs up, Sam is in wrap-up
    sim.hangup(call_sid)
    expect(sam.get_by_test_id("task-state")).to_have_text("Wrap-up", timeout=CALL_WAIT_MS)
