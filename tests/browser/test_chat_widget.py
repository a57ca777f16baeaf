"""The web chat widget in Chromium, on a plain HTML page served from another origin than
the app (a business's own site), against the whole running stack: the visitor chats with
an agent (the agent side through the API), reloads and keeps the thread; and the owner
finds the snippet on the admin page.

The widget lives in an open shadow root; Playwright's CSS locators pierce it."""

from __future__ import annotations

import http.server
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from devtools.ddblocal import free_port
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.stack import Api, RunningStack

pytestmark = pytest.mark.browser

SHOP_PAGE = Path(__file__).parent / "chat_shop.html"
WAIT_MS = 20_000


class Shop:
    """The business's site: its own little HTTP server on its own port (another origin)."""

    def __init__(self, widget_tag: str) -> None:
        page = SHOP_PAGE.read_text().replace("{{WIDGET_TAG}}", widget_tag).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Shop:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def widget_key(stack: RunningStack) -> str:
    return str(stack.owner().ok("GET", "/api/tenant")["widget_key"])


@pytest.fixture
def agent(stack: RunningStack) -> Iterator[Api]:
    api, other = stack.agent(0), stack.agent(1)
    other.ok("PUT", "/api/me/activity", {"activity": "offline"})
    api.ok("PUT", "/api/me/activity", {"activity": "available"})
    yield api
    for task in api.ok("GET", "/api/me/tasks")["tasks"]:
        if task["status"] in ("assigned", "wrapping"):
            api.call("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    api.ok("PUT", "/api/me/activity", {"activity": "offline"})


def conversation_on(page: Page, widget_key: str) -> str:
    """The conversation id the widget keeps in the page's localStorage."""
    stored = page.evaluate(f"localStorage.getItem('hotline-chat:{widget_key}')")
    return str(json.loads(stored)["conversation_id"])


def accept_chat(agent: Api, conversation_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        offers = [r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
                  if r["task"]["channel"] == "chat"
                  and r["task"].get("conversation_id", conversation_id) == conversation_id]
        if offers:
            return dict(agent.ok("POST", f"/api/reservations/{offers[0]['id']}/accept"))
        time.sleep(0.2)
    raise AssertionError("the chat was never offered to the agent")


def test_a_visitor_chats_from_a_business_site_and_keeps_the_thread_on_reload(
        page: Page, stack: RunningStack, agent: Api, widget_key: str,
        errors: list[str]) -> None:
    tag = (f'<script src="{stack.app_url}/chat/widget.js" data-widget-key="{widget_key}" '
           'data-wait="2" defer></script>')
    with Shop(tag) as shop:
        assert not shop.url.startswith(stack.app_url)  # another origin than the app's
        # given the business's page with the widget's one script tag
        page.goto(shop.url)
        launcher = page.locator("#hotline-chat .hlc-launcher")
        expect(launcher).to_have_text("Chat with us")
        screenshot(page, "chat-widget-closed")
        # when the visitor opens the chat (an agent is free: no form) and writes
        launcher.click()
        panel = page.locator("#hotline-chat .hlc-panel")
        business = stack.owner().ok("GET", "/api/tenant")["name"]
        expect(panel.locator(".hlc-title")).to_have_text(business, timeout=WAIT_MS)
        expect(panel.locator(".hlc-who")).to_be_hidden()
        panel.locator(".hlc-text").fill("Hi! Can I pause deliveries in August?")
        panel.locator(".hlc-send").click()
        expect(panel.locator(".hlc-mine .hlc-body")).to_have_text(
            ["Hi! Can I pause deliveries in August?"], timeout=WAIT_MS)
        # and the agent accepts the chat task and replies from the desktop's API
        task = accept_chat(agent, conversation_on(page, widget_key))
        agent.ok("POST", f"/api/tasks/{task['id']}/messages",
                 {"body": "Of course! Just tell me the dates."})
        # then the reply appears in the widget, which names the agent
        expect(panel.locator(".hlc-theirs .hlc-body")).to_have_text(
            ["Of course! Just tell me the dates."], timeout=WAIT_MS)
        me = agent.ok("GET", "/api/me")
        expect(panel.locator(".hlc-notice")).to_have_text(
            f"You're chatting with {me['name']}.", timeout=WAIT_MS)
        panel.locator(".hlc-text").fill("August 1 to 20, thanks")
        panel.locator(".hlc-text").press("Enter")
        expect(panel.locator(".hlc-mine .hlc-body")).to_have_count(2, timeout=WAIT_MS)
        screenshot(page, "chat-widget-talking", part="#hotline-chat .hlc-panel")
        # when the visitor reloads the page
        page.reload()
        # then the chat is open again with the whole thread, and still talking
        bodies = page.locator("#hotline-chat .hlc-body")
        expect(bodies).to_have_text(["Hi! Can I pause deliveries in August?",
                                     "Of course! Just tell me the dates.",
                                     "August 1 to 20, thanks"], timeout=WAIT_MS)
        agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": "Done: paused."})
        expect(page.locator("#hotline-chat .hlc-theirs .hlc-body")).to_have_count(
            2, timeout=WAIT_MS)
        screenshot(page, "chat-widget-after-reload", part="#hotline-chat .hlc-panel")
        # and a reply while the panel is closed marks the button until it is opened
        page.locator("#hotline-chat .hlc-close").click()
        agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": "Anything else?"})
        launcher = page.locator("#hotline-chat .hlc-launcher")
        expect(launcher).to_have_text("New message", timeout=WAIT_MS)
        screenshot(page, "chat-widget-unread")
        launcher.click()
        expect(page.locator("#hotline-chat .hlc-theirs .hlc-body").last).to_have_text(
            "Anything else?")
        thread = agent.ok("GET", f"/api/tasks/{task['id']}/messages")
        assert [m["body"] for m in thread["messages"]] == [
            "Hi! Can I pause deliveries in August?", "Of course! Just tell me the dates.",
            "August 1 to 20, thanks", "Done: paused.", "Anything else?"]


def test_the_owner_finds_the_snippet_on_the_admin_page(
        page: Page, stack: RunningStack, widget_key: str, errors: list[str]) -> None:
    owner = stack.owner()
    sign_in(page, owner.ok("GET", "/api/me"), token=str(owner.token))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=stack.app_url)
    page.goto(stack.app_url + "/admin#webchat")
    snippet = page.get_by_test_id("chat-snippet")
    expected = (f'<script src="{stack.app_url}/chat/widget.js" '
                f'data-widget-key="{widget_key}" defer></script>')
    expect(snippet).to_have_text(expected, timeout=WAIT_MS)
    expect(page.get_by_test_id("widget-key")).to_have_text(widget_key)
    page.get_by_role("button", name="Copy snippet").click()
    expect(page.locator("#webchat [role=status]")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#webchat").screenshot(path=str(SCREENSHOTS / "admin-web-chat-card.png"))
    screenshot(page, "admin-web-chat")


def test_with_no_agent_free_the_widget_asks_for_name_and_email_first(
        page: Page, stack: RunningStack, agent: Api, widget_key: str,
        errors: list[str]) -> None:
    # given a business whose agents are all offline
    agent.ok("PUT", "/api/me/activity", {"activity": "offline"})
    tag = (f'<script src="{stack.app_url}/chat/widget.js" data-widget-key="{widget_key}" '
           'data-wait="2" defer></script>')
    with Shop(tag) as shop:
        page.goto(shop.url)
        page.evaluate("localStorage.clear()")
        page.reload()
        # when a visitor opens the chat, then it asks for their name and email
        page.locator("#hotline-chat .hlc-launcher").click()
        panel = page.locator("#hotline-chat .hlc-panel")
        expect(panel.locator(".hlc-notice")).to_contain_text("All our agents are busy",
                                                             timeout=WAIT_MS)
        expect(panel.locator(".hlc-name")).to_be_visible()
        expect(panel.locator(".hlc-email")).to_be_visible()
        panel.locator(".hlc-name").fill("Nina Visitor")
        panel.locator(".hlc-email").fill("nina@example.com")
        panel.locator(".hlc-text").fill("Do you have 3-gallon bottles?")
        screenshot(page, "chat-widget-busy-form", part="#hotline-chat .hlc-panel")
        panel.locator(".hlc-send").click()
        # and once sent, the visitor waits in the queue with their message shown
        expect(panel.locator(".hlc-mine .hlc-body")).to_have_text(
            ["Do you have 3-gallon bottles?"], timeout=WAIT_MS)
        expect(panel.locator(".hlc-notice")).to_contain_text("You're in the queue")
        expect(panel.locator(".hlc-who")).to_be_hidden()
        screenshot(page, "chat-widget-busy-queued", part="#hotline-chat .hlc-panel")
        # then the agent who comes back gets the chat with the visitor's name and email
        agent.ok("PUT", "/api/me/activity", {"activity": "available"})
        task = accept_chat(agent, conversation_on(page, widget_key))
        thread = agent.ok("GET", f"/api/tasks/{task['id']}/messages")
        assert thread["contact"]["name"] == "Nina Visitor"
        assert thread["contact"]["email"] == "nina@example.com"


def test_after_hours_the_widget_takes_a_message_with_an_email(
        page: Page, stack: RunningStack, errors: list[str]) -> None:
    # given a business of its own (signed up for real) that is closed all week
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    signed = Api(stack.app_url).ok("POST", "/api/signup", {
        "business_name": "Night Owl Bakery", "name": "Nora", "email": email,
        "password": "a-long-password", "timezone": "UTC", "area_code": "415"})
    owner = Api(stack.app_url, signed["token"])
    closed = {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    key = owner.ok("PUT", "/api/tenant", {"hours": closed})["widget_key"]
    tag = (f'<script src="{stack.app_url}/chat/widget.js" data-widget-key="{key}" '
           'data-wait="2" defer></script>')
    with Shop(tag) as shop:
        page.goto(shop.url)
        # when a visitor opens the chat, then it offers to take a message
        page.locator("#hotline-chat .hlc-launcher").click()
        panel = page.locator("#hotline-chat .hlc-panel")
        expect(panel.locator(".hlc-notice")).to_contain_text("We're closed right now",
                                                             timeout=WAIT_MS)
        expect(panel.locator(".hlc-send")).to_have_text("Leave message")
        panel.locator(".hlc-name").fill("Sam Sleepless")
        panel.locator(".hlc-email").fill("sam@example.com")
        panel.locator(".hlc-text").fill("Can I order 40 croissants for Friday 7am?")
        screenshot(page, "chat-widget-after-hours", part="#hotline-chat .hlc-panel")
        panel.locator(".hlc-send").click()
        expect(panel.locator(".hlc-notice")).to_contain_text("We got your message",
                                                             timeout=WAIT_MS)
        expect(panel.locator(".hlc-mine .hlc-body")).to_have_text(
            ["Can I order 40 croissants for Friday 7am?"])
        screenshot(page, "chat-widget-after-hours-sent", part="#hotline-chat .hlc-panel")
    # then the message waits in the business's support queue as a chat task
    waiting = owner.ok("GET", "/api/wallboard")["queues"]
    assert any(q["name"] == "support" and q["waiting"] >= 1 for q in waiting), waiting
