"""The contacts page in Chromium: search by number and name, a contact's details, the
duplicates it suggests, a merge, and the merged timeline on every channel."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

FIELDS = {"fields": [{"name": "plan", "label": "Plan", "type": "choice",
                      "options": ["Basic", "Gold"]}], "country": "US"}
JO = {"id": "ct_jo", "phone": "+14155550501", "name": "Jo Lee", "company": "Lee Bakery",
      "email": "jo@example.com", "notes": "Prefers mornings.", "tags": ["vip", "wholesale"],
      "fields": {"plan": "Gold"}, "created_at": 1700000000, "last_seen_at": 1700090000,
      "interaction_count": 2, "merged_ids": []}
WA = {"id": "ct_wa", "phone": "whatsapp:+14155550501", "name": None, "company": None,
      "email": None, "notes": None, "tags": [], "fields": {}, "created_at": 1700000000,
      "last_seen_at": 1700080000, "interaction_count": 2, "merged_ids": []}


def _item(iid: str, contact: dict[str, Any], channel: str, at: int, **extra: Any
          ) -> dict[str, Any]:
    return {"id": iid, "contact_id": contact["id"], "phone": contact["phone"],
            "channel": channel, "direction": "inbound", "status": "completed",
            "outcome": "completed", "started_at": at, "queue": None, "agent_id": None,
            "queue_wait_seconds": None, "talk_seconds": None, "disposition": None,
            "notes": None, "recording_url": None, "transcription": None, "summary": None,
            **extra}


OWN = [_item("CA2", JO, "voice", 1700090000, queue="support", agent_id="u_agent",
             queue_wait_seconds=12, talk_seconds=185, disposition="Order placed",
             recording_url="api/tasks/tk_2/recording"),
       _item("CA1", JO, "voice", 1700010000, outcome="voicemail",
             transcription="Hi, it's Jo, please call me back about the delivery.")]
MERGED = [_item("SM2", WA, "whatsapp", 1700080000, message_count=4),
          _item("SM1", WA, "whatsapp", 1700020000, message_count=2)]


class Crm:
    """A stateful fake of the contacts API: Jo and a WhatsApp duplicate, until merged."""

    def __init__(self, api: FakeApi) -> None:
        self.merged = False
        api.reply("GET", "api/contact-fields", FIELDS)
        api.handle("GET", "api/contacts", self.search)
        api.handle("GET", "api/contacts/ct_jo", lambda _r: (200, self.jo()))
        api.handle("GET", "api/contacts/ct_jo/duplicates", lambda _r: (200, {
            "duplicates": [] if self.merged else [{"contact": WA, "reasons": ["phone"]}]}))
        api.handle("GET", "api/contacts/ct_jo/interactions", self.timeline)
        api.handle("POST", "api/contacts/ct_jo/merge", self.merge)
        api.handle("GET", "api/contacts/ct_jo/merges", lambda _r: (200, {"merges": [
            {"survivor_id": "ct_jo", "merged_id": "ct_wa", "by": "u_supervisor",
             "at": 1700100000, "merged_contact": WA}] if self.merged else []}))

    def jo(self) -> dict[str, Any]:
        return {**JO, "merged_ids": ["ct_wa"] if self.merged else []}

    def search(self, request: Received) -> tuple[int, Any]:
        found = [self.jo()] if self.merged else [self.jo(), WA]
        return 200, {"contacts": found, "next": None}

    def timeline(self, request: Received) -> tuple[int, Any]:
        items = sorted(OWN + (MERGED if self.merged else []), key=lambda i: i["started_at"],
                       reverse=True)
        return 200, {"contact_id": "ct_jo", "interactions": items, "next": None}

    def merge(self, request: Received) -> tuple[int, Any]:
        assert request.body == {"other_id": "ct_wa"}
        self.merged = True
        return 200, {"contact": self.jo(), "merge": {"survivor_id": "ct_jo",
                                                     "merged_id": "ct_wa"}, "already": False}


def test_a_supervisor_finds_a_contact_merges_its_duplicate_and_sees_one_timeline(
        page: Page, api: FakeApi, site: FakeSite, errors: list[str]) -> None:
    sign_in(page, user("supervisor", "Sam Supervisor"))
    crm = Crm(api)
    page.goto(site.url + "contacts")
    expect(page.get_by_role("link", name="Contacts")).to_have_attribute("aria-current", "page")
    page.get_by_label("Search contacts").fill("(415) 555-0501")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results button")).to_have_count(2)
    searched = [r.path for r in api.received if r.path.startswith("api/contacts?")]
    assert any("q=" in p and "555-0501" in p.replace("%2D", "-") for p in searched), searched

    page.locator("#results button", has_text="Jo Lee").click()
    expect(page.locator("#contact-name")).to_have_text("Jo Lee")
    expect(page.locator(".facts")).to_contain_text("Lee Bakery")
    expect(page.locator(".facts")).to_contain_text("Gold")
    expect(page.locator(".timeline li")).to_have_count(2)
    expect(page.get_by_role("region", name="Possible duplicates")).to_contain_text("same phone")

    page.get_by_role("button", name="Merge into this contact").click()
    expect(page.locator(".timeline li")).to_have_count(4)
    assert crm.merged
    ids = page.locator(".timeline li").evaluate_all(
        "(items) => items.map(i => i.dataset.interaction)")
    assert ids == ["CA2", "SM2", "SM1", "CA1"]  # newest first, both contacts' histories
    expect(page.locator(".timeline li.merged")).to_have_count(2)
    expect(page.locator(".timeline li.merged").first).to_contain_text("From merged contact")
    expect(page.locator(".timeline")).to_contain_text("please call me back")
    expect(page.locator(".card-head .badge")).to_have_text("1 merged")
    expect(page.get_by_role("list", name="Merges")).to_contain_text("merged in by u_supervisor")
    expect(page.get_by_role("region", name="Possible duplicates")).to_have_count(0)
    expect(page.locator("#results button")).to_have_count(1)
    screenshot(page, "contacts-merged", part="#detail")


def test_an_agent_searches_by_tag_without_import_or_merge(
        page: Page, api: FakeApi, site: FakeSite, errors: list[str]) -> None:
    sign_in(page, user("agent"))
    Crm(api)
    page.goto(site.url + "contacts")
    expect(page.locator("#import-box")).to_be_hidden()
    page.get_by_label("Tag").fill("vip")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results button").first).to_contain_text("Jo Lee")
    # the first listing also shows Jo Lee: wait for the tagged search to reach the fake API
    deadline = time.monotonic() + 10
    while not any("tag=vip" in r.path for r in api.received) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any("tag=vip" in r.path for r in api.received)
    page.locator("#results button", has_text="Jo Lee").click()
    expect(page.get_by_role("button", name="Merge into this contact")).to_have_count(0)
    screenshot(page, "contacts-search")
