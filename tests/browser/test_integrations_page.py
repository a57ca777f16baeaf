"""The integrations page against the running Hotline (app server, DynamoDB Local): the owner
creates an API key (shown once, copied), uses it, revokes it after a confirm; adds a webhook
to a receiver on 127.0.0.1, sends a test that fails and then one that is delivered, signed,
and reads both in the delivery log."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from playwright.sync_api import Page, expect

from chalicelib.domain.integrations import verify_signature
from tests.browser.conftest import screenshot, sign_in
from tests.integrations_receiver import WebhookReceiver
from tests.stack import Api, RunningStack

pytestmark = pytest.mark.browser


def test_the_owner_creates_uses_and_revokes_an_api_key(stack: RunningStack, page: Page,
                                                        errors: list[str]) -> None:
    owner = stack.owner()
    sign_in(page, owner.ok("GET", "/api/me"), owner.token or "")
    page.goto(stack.app_url + "/integrations")
    expect(page.locator("#page-nav a[aria-current='page']")).to_have_text("Integrations")
    name = f"Sync {uuid.uuid4().hex[:6]}"
    # when the owner creates a supervisor key
    page.get_by_label("Name").fill(name)
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_role("button", name="Create key").click()
    # then it is shown once, with a copy button, and listed by its prefix
    secret = page.get_by_label("New API key")
    expect(secret).not_to_have_value("")
    token = secret.input_value()
    assert token.startswith("hk_")
    page.locator("#copy-key").click()
    expect(page.locator("#copy-key")).to_have_text("Copied")
    row = page.locator("#keys tr", has_text=name)
    expect(row).to_contain_text(token[:12])
    expect(row).to_contain_text("Active")
    # and the key works as a supervisor would
    key = Api(stack.app_url, token)
    assert key.call("GET", "/api/export/contacts?limit=1")[0] == 200
    screenshot(page, "integrations-keys", "#keys")
    # when it is revoked (after a confirm)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    # then the row says so and the key is refused
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    assert key.call("GET", "/api/export/contacts?limit=1")[0] == 401


def test_the_owner_adds_a_webhook_sends_tests_and_reads_the_delivery_log(
        stack: RunningStack, page: Page, errors: list[str]) -> None:
    receiver = WebhookReceiver(500)
    owner = stack.owner()
    try:
        sign_in(page, owner.ok("GET", "/api/me"), owner.token or "")
        page.goto(stack.app_url + "/integrations")
        # when the owner adds a webhook for two events
        page.get_by_label("URL (https)").fill(receiver.url)
        page.get_by_label("Interaction completed").uncheck()
        page.get_by_label("Caller abandoned").uncheck()
        page.get_by_role("button", name="Add webhook").click()
        secret = page.get_by_label("Signing secret")
        expect(secret).not_to_have_value("")
        signing_secret = secret.input_value()
        row = page.locator("#hooks tr", has_text=receiver.url)
        expect(row).to_contain_text("Voicemail received")
        expect(row).to_contain_text("Contact created")
        expect(row).not_to_contain_text("Caller abandoned")
        # and sends a test the receiver refuses, then another it accepts
        row.get_by_role("button", name="Send test").click()
        log = page.locator("#log-table tr[data-delivery]")
        expect(log).to_have_count(1)
        expect(log.first).to_contain_text("retrying")
        expect(log.first).to_contain_text("500")
        row.get_by_role("button", name="Send test").click()
        expect(log).to_have_count(2)
        expect(page.locator("#log-table tr[data-status='delivered']")).to_have_count(1)
        # then the receiver got both, each signed with the secret shown once
        assert len(receiver.received) == 2
        for got in receiver.received:
            assert verify_signature(got.headers["Hotline-Signature"], got.body, signing_secret,
                                    now=time.time())
            assert json.loads(got.body)["type"] == "webhook.test"
        screenshot(page, "integrations-webhooks", "#log")
        # and a URL that is not https is refused by name
        page.get_by_label("URL (https)").fill("http://example.com/hook")
        page.get_by_role("button", name="Add webhook").click()
        expect(page.locator("#hook-url-error")).to_contain_text("https")
    finally:
        receiver.close()
        for hook in owner.ok("GET", "/api/webhooks")["webhooks"]:  # the stack is shared
            if hook["url"] == receiver.url:
                owner.ok("DELETE", f"/api/webhooks/{hook['id']}")
