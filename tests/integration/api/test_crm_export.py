"""The CRM export API through HTTP on DynamoDB Local: every contact and interaction once
across pages, as JSON (``next``) and as CSV (``X-Next-Cursor`` and ``Link``), for
supervisors and up (sessions or keys); a cursor from another business is refused."""

from __future__ import annotations

import csv
import io
import time
from urllib.parse import parse_qs, urlsplit

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.services.crm import CrmService
from tests.integration.api.conftest import Session
from tests.integration.api.integrations_fixtures import other_owner_fixture  # noqa: F401

PHONES = [f"+1415555{n:04d}" for n in range(301, 308)]


def pages_of(session: Session, path: str, key: str) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        url = f"{path}&cursor={cursor}" if cursor else path
        status, body = session.send("GET", url)
        assert status == 200, body
        pages.append(body[key])
        cursor = body["next"]
        if cursor is None:
            return pages


def csv_pages(session: Session, path: str) -> list[list[dict]]:
    pages, url = [], path
    while url:
        response = session.client.http.get(url, headers={
            "Authorization": f"Bearer {session.token}"})
        assert response.status_code == 200
        headers = {k.lower(): v for k, v in response.headers.items()}
        assert headers["content-type"].startswith("text/csv")
        pages.append(list(csv.DictReader(io.StringIO(response.body.decode()))))
        link = headers.get("link")
        if link is None:
            assert "x-next-cursor" not in headers
            return pages
        target = link.split(">")[0].lstrip("<")
        assert parse_qs(urlsplit(target).query)["cursor"] == [headers["x-next-cursor"]]
        url = target
    return pages


def test_contacts_export_pages_through_every_contact_once_as_json_and_csv(owner):
    # given seven contacts
    for phone in PHONES:
        assert owner.send("POST", "/api/contacts", body={"phone": phone, "name": "=cmd"})[0] == 200
    # when they are exported three at a time
    json_pages = pages_of(owner, "/api/export/contacts?format=json&limit=3", "contacts")
    csv_rows = csv_pages(owner, "/api/export/contacts?format=csv&limit=3")
    # then each page holds at most three and every contact appears once, in both formats
    assert all(len(p) <= 3 for p in json_pages) and len(json_pages) >= 3
    assert sorted(c["phone"] for p in json_pages for c in p) == PHONES
    assert sorted(r["phone"] for p in csv_rows for r in p) == PHONES
    assert all(len(p) <= 3 for p in csv_rows)
    # and a formula-looking cell is defused in CSV
    assert {r["name"] for p in csv_rows for r in p} == {"'=cmd"}


def test_interactions_export_pages_oldest_first_within_a_time_window(owner):
    # given five interactions a minute apart
    crm = CrmService(CrmRepository())
    base = time.time() - 3600
    tenant = owner.user.tenant_id
    for n in range(5):
        interaction = crm.new_interaction(tenant, f"CAexport{n}", PHONES[n], "+14155550100",
                                          "voice", "inbound", at=base + 60 * n)
        assert CrmRepository().create_interaction(interaction)
    # when they are exported two at a time, and from the third minute on
    pages = pages_of(owner, "/api/export/interactions?limit=2", "interactions")
    later = pages_of(owner, f"/api/export/interactions?limit=2&since={int(base + 120)}",
                     "interactions")
    rows = csv_pages(owner, "/api/export/interactions?format=csv&limit=2")
    # then every interaction appears once, oldest first
    assert [i["id"] for p in pages for i in p] == [f"CAexport{n}" for n in range(5)]
    assert [i["id"] for p in later for i in p] == ["CAexport2", "CAexport3", "CAexport4"]
    assert [r["id"] for p in rows for r in p] == [f"CAexport{n}" for n in range(5)]
    assert rows[0][0]["channel"] == "voice" and rows[0][0]["started_at"].endswith("+00:00")


def test_export_needs_a_supervisor_and_refuses_another_business_cursor(owner, other_owner):
    for phone in PHONES[:3]:
        owner.send("POST", "/api/contacts", body={"phone": phone})
        other_owner.send("POST", "/api/contacts", body={"phone": phone})
    crm = CrmService(CrmRepository())
    for who in (owner, other_owner):
        for n in range(3):
            CrmRepository().create_interaction(crm.new_interaction(
                who.user.tenant_id, f"CAx{n}", PHONES[n], None, "voice", "inbound"))
    # a page of the other business gives a cursor
    _, theirs = other_owner.send("GET", "/api/export/interactions?limit=1")
    assert theirs["next"]
    # which this business cannot follow
    status, body = owner.send("GET", f"/api/export/interactions?cursor={theirs['next']}")
    assert (status, body["path"]) == (400, "cursor")
    # nor can anyone send a made-up one, a bad format or limit
    for query, path in [("cursor=garbage!", "cursor"), ("format=xml", "format"),
                        ("limit=0", "limit")]:
        status, body = owner.send("GET", f"/api/export/contacts?{query}")
        assert status == 400 and body.get("path") == path, body
    # and an agent (session or key) is refused
    status, key = owner.send("POST", "/api/keys", body={"name": "agent", "role": "agent"})
    agent = Session(client=owner.client, token=key["key"], user=owner.user)
    assert agent.send("GET", "/api/export/interactions")[0] == 403


def test_a_time_window_that_is_not_a_time_is_refused_by_name(owner):
    for query, path in [("since=inf", "since"), ("until=nan", "until"),
                        ("since=yesterday", "since"), ("until=1e400", "until")]:
        status, body = owner.send("GET", f"/api/export/interactions?{query}")
        assert (status, body.get("path")) == (400, path), body
