"""Merging contacts on DynamoDB Local: both timelines kept, paged newest first, the merge
recorded once, the merged-away id resolving to the survivor; duplicates suggested."""

from __future__ import annotations

from urllib.parse import quote

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.domain.identity import Role
from chalicelib.services.crm import CrmService
from tests.integration.crm.conftest import Api


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _history(tenant_id: str, phone: str, channel: str, starts: list[float],
             prefix: str) -> None:
    clock = Clock()
    crm = CrmService(CrmRepository(), clock)
    for n, at in enumerate(starts):
        clock.now = at
        crm.record_started(tenant_id, f"{prefix}{n}", phone, "+14155550000", channel,
                           "inbound")


def _timeline(api: Api, contact_id: str, limit: int) -> list[str]:
    ids: list[str] = []
    cursor = ""
    while True:
        page = api.get(f"/api/contacts/{contact_id}/interactions?limit={limit}{cursor}")
        ids += [i["id"] for i in page["interactions"]]
        if not page["next"]:
            return ids
        cursor = "&cursor=" + quote(page["next"])


def test_given_two_contacts_when_merged_then_one_timeline_holds_both_newest_first(
        admin: Api, tenant_id: str):
    _history(tenant_id, "+14155550501", "voice", [100.0, 300.0, 500.0], "CA")
    _history(tenant_id, "jo@example.com", "chat", [200.0, 400.0, 500.0], "CH")  # as CHAT does
    keep = admin.get("/api/contacts?phone=+14155550501")["contacts"][0]
    admin.send("PATCH", f"/api/contacts/{keep['id']}", {"email": "jo@example.com"})
    [suggested] = admin.get(f"/api/contacts/{keep['id']}/duplicates")["duplicates"]
    other = suggested["contact"]
    assert other["phone"] == "jo@example.com" and suggested["reasons"] == ["email"]
    assert _timeline(admin, other["id"], 10) == ["CH2", "CH1", "CH0"]
    [back] = admin.get(f"/api/contacts/{other['id']}/duplicates")["duplicates"]
    assert back["contact"]["id"] == keep["id"] and back["reasons"] == ["email"]
    admin.send("PATCH", f"/api/contacts/{other['id']}", {"name": "Jo Lee", "tags": ["chat"]})

    status, merged = admin.send("POST", f"/api/contacts/{keep['id']}/merge",
                                {"other_id": other["id"]})
    assert status == 200, merged
    assert merged["already"] is False
    assert merged["contact"]["name"] == "Jo Lee" and merged["contact"]["tags"] == ["chat"]
    assert merged["merge"]["by"] == admin.principal.user_id
    assert merged["merge"]["details_taken"] == ["name"]

    expected = ["CH2", "CA2", "CH1", "CA1", "CH0", "CA0"]  # 500 (two, by id), 400, ... 100
    assert _timeline(admin, keep["id"], 2) == expected
    assert _timeline(admin, other["id"], 4) == expected  # the merged-away id resolves
    assert admin.get(f"/api/contacts/{other['id']}")["id"] == keep["id"]
    assert admin.get("/api/contacts?q=jo")["contacts"][0]["id"] == keep["id"]
    assert admin.get(f"/api/contacts/{keep['id']}/duplicates")["duplicates"] == []

    status, again = admin.send("POST", f"/api/contacts/{keep['id']}/merge",
                               {"other_id": other["id"]})
    assert status == 200 and again["already"] is True
    assert again["merge"] == merged["merge"]
    assert admin.get(f"/api/contacts/{other['id']}/merges")["merges"] == [merged["merge"]]
    assert merged["merge"]["merged_contact"]["phone"] == "jo@example.com"

    # a chat from the merged-away contact still lands on the survivor's timeline
    _history(tenant_id, "jo@example.com", "chat", [600.0], "CHX")
    assert _timeline(admin, keep["id"], 10)[0] == "CHX0"


def test_whatsapp_and_sms_are_one_contact_and_a_legacy_whatsapp_contact_is_a_duplicate(
        admin: Api, tenant_id: str):
    _history(tenant_id, "+14155550511", "sms", [100.0], "SM")
    _history(tenant_id, "whatsapp:+14155550511", "whatsapp", [200.0], "WA")
    [contact] = admin.get("/api/contacts?phone=%2B14155550511")["contacts"]
    assert _timeline(admin, contact["id"], 10) == ["WA0", "SM0"]
    found = admin.get("/api/contacts?phone=" + quote("whatsapp:+14155550511"))["contacts"]
    assert [c["id"] for c in found] == [contact["id"]]  # the agent card's WhatsApp lookup
    assert admin.get(f"/api/contacts/{contact['id']}/duplicates")["duplicates"] == []
    # a contact stored under the whatsapp: address (before CHANNELS made them one)
    legacy = CrmRepository().touch_contact(tenant_id, "whatsapp:+14155550511", 50.0)
    [found] = admin.get(f"/api/contacts/{contact['id']}/duplicates")["duplicates"]
    assert found["contact"]["id"] == legacy.contact_id and found["reasons"] == ["phone"]


def test_duplicates_by_email_and_merge_needs_a_supervisor(admin: Api, session_for, tenant_id):
    _, a = admin.send("POST", "/api/contacts", {"phone": "+14155550601",
                                                "email": "kim@example.com"})
    _, b = admin.send("POST", "/api/contacts", {"phone": "+14155550602",
                                                "email": "KIM@example.com", "name": "Kim"})
    [found] = admin.get(f"/api/contacts/{a['id']}/duplicates")["duplicates"]
    assert found["contact"]["id"] == b["id"] and found["reasons"] == ["email"]
    agent = session_for(tenant_id, Role.AGENT)
    status, _ = agent.send("POST", f"/api/contacts/{a['id']}/merge", {"other_id": b["id"]})
    assert status == 403
    status, answer = admin.send("POST", f"/api/contacts/{a['id']}/merge",
                                {"other_id": a["id"]})
    assert status == 400 and answer["path"] == "other_id"


def test_another_tenant_cannot_merge_or_be_merged(admin: Api, stranger: Api):
    _, a = admin.send("POST", "/api/contacts", {"phone": "+14155550701"})
    _, theirs = stranger.send("POST", "/api/contacts", {"phone": "+14155550702"})
    status, _ = stranger.send("POST", f"/api/contacts/{a['id']}/merge",
                              {"other_id": theirs["id"]})
    assert status == 404
    status, _ = admin.send("POST", f"/api/contacts/{a['id']}/merge",
                           {"other_id": theirs["id"]})
    assert status == 404
    assert stranger.get(f"/api/contacts/{theirs['id']}")["merged_ids"] == []
    status, _ = stranger.send("GET", f"/api/contacts/{a['id']}/merges")
    assert status == 404
