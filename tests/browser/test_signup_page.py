"""Signing a business up through the page: the request, field errors, the new number."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.users import user

pytestmark = pytest.mark.browser

SIGNED_UP = {"token": "token-owner", "user": user("owner", "Olivia Owner"),
             "tenant": {"id": "tn_test", "name": "Aqua Pure", "number": "+14155550100"}}


def fill_form(page: Page, site: FakeSite) -> None:
    page.goto(site.url + "signup")
    page.get_by_label("Business name").fill("Aqua Pure")
    page.get_by_label("Your name").fill("Olivia Owner")
    page.get_by_label("Email").fill("olivia@aquapure.example")
    page.get_by_label("Password").fill("long-enough-password")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Area code").fill("415")


def test_signup_defaults_the_time_zone_to_the_browsers(page: Page, site: FakeSite) -> None:
    page.goto(site.url + "signup")
    browser_zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    expect(page.get_by_label("Time zone")).to_have_value(browser_zone)
    screenshot(page, "signup")


def test_signup_posts_the_form_and_shows_the_new_number_on_admin(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/signup", SIGNED_UP)
    api.reply("GET", "api/tenant", {"id": "tn_test", "name": "Aqua Pure",
                                    "timezone": "America/Chicago", "hours": {},
                                    "holidays": [], "numbers": []})
    api.reply("GET", "api/users", {"users": [user("owner", "Olivia Owner")]})
    api.reply("GET", "api/flows", {"flows": []})
    fill_form(page, site)
    page.get_by_role("button", name="Create my contact center").click()
    expect(page).to_have_url(site.url + "admin")
    expect(page.get_by_test_id("new-number")).to_have_text("+1 (415) 555-0100")
    assert api.requests("POST", "api/signup")[0].body == {
        "business_name": "Aqua Pure", "name": "Olivia Owner",
        "email": "olivia@aquapure.example", "password": "long-enough-password",
        "timezone": "America/Chicago", "area_code": "415"}


def test_signup_error_is_shown_next_to_the_field_it_names(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/signup", {"error": "invalid_input",
                                     "message": "email is not a valid address",
                                     "path": "email"}, status=400)
    fill_form(page, site)
    page.get_by_role("button", name="Create my contact center").click()
    email = page.get_by_label("Email")
    expect(page.locator("#signup-email-error")).to_have_text("email is not a valid address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    expect(page.get_by_label("Password")).not_to_have_attribute("aria-invalid", "true")
    screenshot(page, "signup-error")


def test_an_error_without_a_field_is_shown_above_the_form(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/signup", {"error": "rate_limited",
                                     "message": "too many signups; try again later"},
              status=429)
    fill_form(page, site)
    page.get_by_role("button", name="Create my contact center").click()
    expect(page.get_by_role("alert").first).to_have_text("too many signups; try again later")
    expect(page).to_have_url(site.url + "signup")


def test_landing_page_links_to_signup_and_login(page: Page, site: FakeSite) -> None:
    page.goto(site.url)
    screenshot(page, "landing")
    page.get_by_role("link", name="Get your number").click()
    expect(page).to_have_url(site.url + "signup")
    page.goto(site.url)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in").click()
    expect(page).to_have_url(site.url + "login")
