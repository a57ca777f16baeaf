"""Logging in through the page, and where each role lands."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.users import session

pytestmark = pytest.mark.browser


def log_in(page: Page, site: FakeSite, email: str = "someone@shop.example") -> None:
    page.goto(site.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a-good-password")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize(("role", "home"), [
    ("agent", "agent"), ("supervisor", "supervisor"), ("owner", "admin"), ("admin", "admin"),
])
def test_login_sends_each_role_to_its_own_page(
        page: Page, site: FakeSite, api: FakeApi, role: str, home: str) -> None:
    api.reply("POST", "api/login", session(role))
    log_in(page, site)
    expect(page).to_have_url(site.url + home)
    sent = api.requests("POST", "api/login")[0]
    assert sent.body == {"email": "someone@shop.example", "password": "a-good-password"}
    assert "authorization" not in sent.headers


def test_login_keeps_the_token_and_sends_it_as_a_bearer_header(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/login", session("agent"))
    api.reply("GET", "api/me", session("agent")["user"])
    log_in(page, site)
    expect(page).to_have_url(site.url + "agent")
    expect(page.locator("#agent-name")).to_have_text("Alex Agent")
    assert api.requests("GET", "api/me")[0].headers["authorization"] == "Bearer token-agent"


def test_wrong_password_is_shown_on_the_form(page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/login", {"error": "unauthorized",
                                    "message": "email or password is wrong"}, status=401)
    log_in(page, site)
    expect(page.get_by_role("alert")).to_have_text("email or password is wrong")
    expect(page).to_have_url(site.url + "login")
    screenshot(page, "login-error")


def test_a_missing_field_error_appears_next_to_that_field(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/login", {"error": "invalid_input", "message": "email is required",
                                    "path": "email"}, status=400)
    page.goto(site.url + "login")
    page.get_by_role("button", name="Log in").click()
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#login-email-error")).to_have_text("email is required")
    expect(email).to_be_focused()


def test_a_page_that_gets_401_goes_back_to_login_with_a_notice(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    from tests.browser.conftest import sign_in
    from tests.browser.users import user

    sign_in(page, user("agent"))
    api.reply("GET", "api/me", {"error": "unauthorized", "message": "session expired"},
              status=401)
    page.goto(site.url + "agent")
    expect(page).to_have_url(site.url + "login?reason=expired")
    expect(page.get_by_role("status")).to_have_text(
        "Your session has ended. Please log in again.")
    screenshot(page, "login")
