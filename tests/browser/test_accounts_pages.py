"""Accounts in the browser: the password reset page (both steps) and managing users on the
admin page (edit, deactivate, reactivate, send a reset link)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser


def users_picture(page: Page, name: str) -> None:
    """The users section alone at desktop width, to look at closely (then the usual set)."""
    page.locator("#users").screenshot(path=str(SCREENSHOTS / f"{name}-desktop-part.png"))
    screenshot(page, name, part="#users")

TOKEN = "dG5fdGVzdC91X2FnZW50." + "s" * 43


def test_forgot_password_asks_for_a_link_without_saying_whether_the_address_exists(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("POST", "api/auth/password-reset", {"status": "accepted"}, status=202)
    # given the login page, the reset page is one click away
    page.goto(site.url + "login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(site.url + "reset")
    # when someone asks for a link
    page.get_by_label("Email").fill("ann@shop.example")
    page.get_by_role("button", name="Send me a reset link").click()
    # then the page says the same thing it would say for any address
    expect(page.locator("#ask-done")).to_have_text(
        "If ann@shop.example has a Hotline account, a reset link is on its way. "
        "Check your inbox (and spam) in a minute.")
    sent = api.requests("POST", "api/auth/password-reset")[0]
    assert sent.body == {"email": "ann@shop.example"} and "authorization" not in sent.headers
    screenshot(page, "reset-ask")


def test_the_mailed_link_sets_a_new_password_and_a_used_link_offers_a_new_one(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    confirms: list[Received] = []

    def confirm(request: Received) -> tuple[int, Any]:
        confirms.append(request)
        if len(confirms) == 1:
            return 200, {"status": "done"}
        return 400, {"error": "invalid_input", "path": "token", "message":
                     "this reset link has expired or was already used; ask for a new one"}

    api.handle("POST", "api/auth/password-reset/confirm", confirm)
    # given the page opened from the mail
    page.goto(site.url + "reset#token=" + TOKEN)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(page.locator("#ask-step")).to_be_hidden()
    # when the two passwords differ, it says so by the second field
    page.get_by_label("New password", exact=True).fill("a-brand-new-secret")
    page.get_by_label("New password, again").fill("a-brand-new-secreT")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.locator("#set-again-error")).to_have_text("The two passwords differ.")
    screenshot(page, "reset-choose")
    assert confirms == []
    # when they match, the token and password are sent and the page points to login
    page.get_by_label("New password, again").fill("a-brand-new-secret")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.locator("#set-done")).to_contain_text("Your password is changed.")
    expect(page.get_by_role("link", name="Log in with it")).to_be_visible()
    assert confirms[0].body == {"token": TOKEN, "password": "a-brand-new-secret"}
    assert "#token" not in page.url
    screenshot(page, "reset-done")
    # and opening the same link again is refused, with the way to ask for a new one
    page.goto(site.url + "login")
    page.goto(site.url + "reset#token=" + TOKEN)
    page.get_by_label("New password", exact=True).fill("another-secret-1")
    page.get_by_label("New password, again").fill("another-secret-1")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.locator("#ask-notice")).to_have_text(
        "This reset link has expired or was already used; ask for a new one.")
    expect(page.get_by_role("button", name="Send me a reset link")).to_be_visible()
    expect(page.locator("#set-step")).to_be_hidden()
    screenshot(page, "reset-used")


USERS = [dict(user("owner", "Olivia Owner"), active=True),
         dict(user("admin", "Ada Admin"), active=True),
         dict(user("agent", "Alex Agent"), active=True, mobile="+14155550123"),
         dict(user("supervisor", "Sam Supervisor"), active=False)]


@pytest.fixture
def team(page: Page, api: FakeApi) -> dict[str, dict[str, Any]]:
    """A fake API for the users section that keeps what the page changes."""
    people = {u["id"]: dict(u) for u in USERS}
    api.reply("GET", "api/tenant", {"id": "tn_test", "name": "Aqua Pure Water",
                                    "timezone": "UTC", "hours": {}, "holidays": [],
                                    "numbers": [], "dispositions": []})
    api.handle("GET", "api/users", lambda _r: (200, {"users": list(people.values())}))
    for user_id in people:
        def edit(request: Received, user_id: str = user_id) -> tuple[int, Any]:
            people[user_id].update(request.body)
            return 200, people[user_id]

        def flag(active: bool, user_id: str = user_id) -> Any:
            def change(_request: Received) -> tuple[int, Any]:
                people[user_id]["active"] = active
                return 200, people[user_id]
            return change

        api.handle("PATCH", f"api/users/{user_id}", edit)
        api.handle("POST", f"api/users/{user_id}/deactivate", flag(False))
        api.handle("POST", f"api/users/{user_id}/reactivate", flag(True))
        api.reply("POST", f"api/users/{user_id}/password-reset", {"status": "accepted"},
                  status=202)
    return people


def test_an_owner_edits_deactivates_reactivates_and_sends_a_reset_link(
        page: Page, site: FakeSite, api: FakeApi, team: dict[str, dict[str, Any]]) -> None:
    sign_in(page, user("owner", "Olivia Owner"))
    page.goto(site.url + "admin#users")
    agent = page.locator("tr[data-user=u_agent]")
    expect(agent).to_contain_text("Alex Agent")
    # a deactivated user is greyed, with a badge, and offers Reactivate
    sam = page.locator("tr[data-user=u_supervisor]")
    expect(sam).to_have_class("inactive")
    expect(sam.locator(".badge.deactivated")).to_have_text("Deactivated")
    expect(sam.get_by_role("button", name="Reactivate Sam Supervisor")).to_be_visible()
    # the owner's own row has no Deactivate
    expect(page.locator("tr[data-user=u_owner]").get_by_role("button", name="Deactivate")
           ).to_have_count(0)
    users_picture(page, "admin-users")
    # when the owner edits the agent: name, role, mobile
    agent.get_by_role("button", name="Edit Alex Agent").click()
    form = page.get_by_role("form", name="Edit Alex Agent")
    form.get_by_label("Name").fill("Alexandra Agent")
    form.get_by_label("Role").select_option("supervisor")
    form.get_by_label("Mobile").fill("")
    users_picture(page, "admin-users-edit")
    form.get_by_role("button", name="Save").click()
    expect(page.locator("[data-users-status]")).to_have_text("Saved Alexandra Agent.")
    assert api.requests("PATCH", "api/users/u_agent")[0].body == {
        "name": "Alexandra Agent", "role": "supervisor", "mobile": None}
    expect(agent).to_contain_text("Supervisor")
    # when they deactivate the agent (after confirming)
    page.once("dialog", lambda dialog: dialog.accept())
    agent.get_by_role("button", name="Deactivate Alexandra Agent").click()
    expect(page.locator("[data-users-status]")).to_have_text(
        "Alexandra Agent is deactivated and logged out.")
    expect(agent).to_have_class("inactive")
    # and reactivate Sam and mail Ada a reset link
    sam.get_by_role("button", name="Reactivate Sam Supervisor").click()
    expect(sam).not_to_have_class("inactive")
    page.locator("tr[data-user=u_admin]").get_by_role(
        "button", name="Send Ada Admin a reset link").click()
    expect(page.locator("[data-users-status]")).to_have_text(
        "A password reset link is on its way to admin@shop.example. It works once, for 30 minutes.")
    assert len(api.requests("POST", "api/users/u_admin/password-reset")) == 1
    users_picture(page, "admin-users-after")


def test_an_admin_cannot_touch_the_owner_and_sees_errors_from_the_api(
        page: Page, site: FakeSite, api: FakeApi, team: dict[str, dict[str, Any]]) -> None:
    api.reply("POST", "api/users/u_agent/deactivate",
              {"error": "conflict", "message": "something changed; try again"}, status=409)
    sign_in(page, user("admin", "Ada Admin"))
    page.goto(site.url + "admin#users")
    owner = page.locator("tr[data-user=u_owner]")
    expect(owner).to_contain_text("Only an owner can change an owner")
    expect(owner.get_by_role("button")).to_have_count(0)
    users_picture(page, "admin-users-as-admin")
    # the admin's role choices do not include owner
    agent = page.locator("tr[data-user=u_agent]")
    agent.get_by_role("button", name="Edit Alex Agent").click()
    form = page.get_by_role("form", name="Edit Alex Agent")
    options = form.get_by_label("Role").locator("option")
    expect(options).to_have_text(["Agent", "Supervisor", "Admin"])
    page.once("dialog", lambda dialog: dialog.accept())
    agent.get_by_role("button", name="Deactivate Alex Agent").click()
    expect(page.locator("[data-users-status]")).to_have_text("something changed; try again")
    expect(page.locator("[data-users-status]")).to_have_class("alert error")
