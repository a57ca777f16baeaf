"""The contacts page against the running Hotline (app server, DynamoDB Local): a search by
number finds the caller, the page suggests the web-chat contact with the caller's email,
the owner merges it, and the page shows one timeline holding both contacts' interactions."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.stack import RunningStack, new_caller

pytestmark = pytest.mark.browser


def _record(tenant_id: str, phone: str, channel: str, starts: list[float]) -> list[str]:
    """Interactions as the webhooks record them (the CRM service, on the stack's tables)."""
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.crm import CrmService

    now = {"at": 0.0}
    crm = CrmService(CrmRepository(), lambda: now["at"])
    ids = []
    for at in starts:
        now["at"] = at
        iid = ("CA" if channel == "voice" else "CH") + uuid.uuid4().hex[:12]
        crm.record_started(tenant_id, iid, phone, None, channel, "inbound")
        ids.append(iid)
    return ids


def test_the_owner_merges_a_chat_contact_and_sees_one_timeline(
        stack: RunningStack, page: Page) -> None:
    owner = stack.owner()
    me = owner.ok("GET", "/api/me")
    caller = new_caller()
    calls = _record(me["tenant_id"], caller, "voice", [1_700_000_100.0, 1_700_000_300.0])
    email = f"rita-{uuid.uuid4().hex[:8]}@example.com"
    texts = _record(me["tenant_id"], email, "chat", [1_700_000_200.0])  # keyed as CHAT does
    [contact] = owner.ok("GET", f"/api/contacts?phone={caller}")["contacts"]
    owner.ok("PATCH", f"/api/contacts/{contact['id']}", {"name": "Rita Stack",
                                                         "email": email, "tags": ["vip"]})

    sign_in(page, me, owner.token or "")
    page.goto(stack.app_url + "/contacts")
    page.get_by_label("Search contacts").fill(f"({caller[2:5]}) {caller[5:8]}-{caller[8:]}")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results button")).to_have_count(1)
    page.locator("#results button", has_text="Rita Stack").click()
    expect(page.locator("#contact-name")).to_have_text("Rita Stack")
    expect(page.locator(".timeline li")).to_have_count(2)
    duplicates = page.get_by_role("region", name="Possible duplicates")
    expect(duplicates).to_contain_text("same email")

    page.get_by_role("button", name="Merge into this contact").click()
    expect(page.locator(".timeline li")).to_have_count(3)
    shown = page.locator(".timeline li").evaluate_all(
        "(items) => items.map(i => i.dataset.interaction)")
    assert shown == [calls[1], texts[0], calls[0]]  # newest first, both contacts' own
    expect(page.locator(".timeline li.merged")).to_have_count(1)
    expect(page.get_by_role("list", name="Merges")).to_contain_text(f"{email} merged in")
    expect(page.locator(".timeline li.merged")).to_contain_text("Chat")
    screenshot(page, "contacts-stack-merged", part="#detail")

    chat_id = owner.ok("GET", f"/api/contacts/{contact['id']}")["merged_ids"][0]
    assert owner.ok("GET", f"/api/contacts/{chat_id}")["id"] == contact["id"]
