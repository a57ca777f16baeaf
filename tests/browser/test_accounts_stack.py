"""The password reset on the running stack: the page asks, the app writes the mail to
the run's log (the local mailer), the link from that log sets a new password once."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.stack import RunningStack

pytestmark = pytest.mark.browser

MAIL_WAIT_SECONDS = 10


def mailed_link(stack: RunningStack, to: str) -> str:
    """The reset link in the mail the app logged for ``to``."""
    log = stack.config.log_dir / "app.log"
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        mail = text.rpartition(f" to {to}\n")[2] if f" to {to}\n" in text else ""
        found = re.search(r"(\S+/reset#token=\S+)", mail)
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no reset mail to {to} in {log}")


def test_a_reset_link_from_the_runs_log_sets_a_new_password_once(
        page: Page, stack: RunningStack) -> None:
    # given an agent the owner added
    email = f"reset-{uuid.uuid4().hex[:8]}@shop.example"
    stack.owner().ok("POST", "/api/users", {"name": "Rita Reset", "email": email,
                                            "password": "the-first-password"})
    # when they ask for a link on the reset page
    page.goto(stack.app_url + "/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a reset link").click()
    expect(page.locator("#ask-done")).to_contain_text("a reset link is on its way")
    # then the run's log has the mail, and its link sets a new password
    link = mailed_link(stack, email)
    assert link.startswith(stack.app_url + "/reset#token=")
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("the-second-password")
    page.get_by_label("New password, again").fill("the-second-password")
    page.get_by_role("button", name="Set my new password").click()
    page.get_by_role("link", name="Log in with it").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("the-second-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(stack.app_url + "/agent")
    # and the old password no longer works, nor does the link a second time
    status, _ = stack.api.call("POST", "/api/login", {"email": email,
                                                      "password": "the-first-password"})
    assert status == 401
    token = link.partition("#token=")[2]
    status, error = stack.api.call("POST", "/api/auth/password-reset/confirm",
                                   {"token": token, "password": "a-third-password"})
    assert status == 400 and error["path"] == "token"
