"""Contacts API on DynamoDB Local: create, edit, search by every key, paged."""

from __future__ import annotations

from urllib.parse import quote

from tests.integration.crm.conftest import Api

FIELDS = {"fields": [{"name": "plan", "label": "Plan", "type": "choice",
                      "options": ["Basic", "Gold"]},
                     {"name": "jugs", "label": "Jugs a week", "type": "number"},
                     {"name": "since", "label": "Customer since", "type": "date"}]}


def test_given_contacts_when_searched_by_name_then_pages_hold_each_match_once(admin: Api):
    for i in range(7):
        status, _ = admin.send("POST", "/api/contacts", {
            "phone": f"+1415555{1000 + i}", "name": f"Ann Smith{'son' if i % 2 else ''} {i}",
            "company": "Smithy Water" if i == 0 else None})
        assert status == 200
    admin.send("POST", "/api/contacts", {"phone": "+14155559999", "name": "Bob Jones"})

    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        page = admin.get(f"/api/contacts?q=smi&limit=3{cursor}")
        pages += 1
        seen += [c["name"] for c in page["contacts"]]
        if not page["next"]:
            break
        cursor = "&cursor=" + quote(page["next"])
    assert sorted(seen) == sorted(f"Ann Smith{'son' if i % 2 else ''} {i}" for i in range(7))
    assert pages == 3
    both = admin.get("/api/contacts?q=ann%20smiths")["contacts"]
    assert sorted(c["name"] for c in both) == ["Ann Smithson 1", "Ann Smithson 3",
                                              "Ann Smithson 5"]


def test_given_a_contact_when_searched_by_number_in_any_form_then_found(admin: Api):
    admin.send("POST", "/api/contacts", {"phone": "(415) 555-0101", "name": "Zoë Park"})
    for form in ("+14155550101", "415-555-0101", "(415) 555 0101", "1.415.555.0101"):
        found = admin.get(f"/api/contacts?q={quote(form)}")["contacts"]
        assert [c["name"] for c in found] == ["Zoë Park"], form
    assert admin.get("/api/contacts?phone=4155550101")["contacts"][0]["phone"] == "+14155550101"
    assert admin.get("/api/contacts?q=zoe")["contacts"][0]["phone"] == "+14155550101"


def test_given_tags_email_and_fields_when_searched_then_each_finds_its_contact(admin: Api):
    status, body = admin.send("PUT", "/api/contact-fields", FIELDS)
    assert status == 200 and [f["name"] for f in body["fields"]] == ["plan", "jugs", "since"]
    status, gold = admin.send("POST", "/api/contacts", {
        "phone": "+14155550201", "name": "Gia", "email": "Gia@Example.com",
        "tags": ["VIP", "wholesale"], "fields": {"plan": "gold", "jugs": "12"}})
    assert status == 200, gold
    assert gold["fields"] == {"plan": "Gold", "jugs": 12} and gold["tags"] == ["vip", "wholesale"]
    admin.send("POST", "/api/contacts", {"phone": "+14155550202", "name": "Hal",
                                         "tags": ["vip"], "fields": {"plan": "Basic"}})

    def names(query: str) -> list[str]:
        return sorted(c["name"] for c in admin.get(f"/api/contacts?{query}")["contacts"])

    assert names("tag=vip") == ["Gia", "Hal"]
    assert names("field.plan=gold") == ["Gia"]
    assert names("tag=vip&field.plan=Basic") == ["Hal"]
    assert names("q=gia%40example") == ["Gia"]
    assert names("field.jugs=12") == ["Gia"]

    status, edited = admin.send("PATCH", f"/api/contacts/{gold['id']}",
                                {"tags": ["vip"], "fields": {"plan": "Basic"}})
    assert status == 200 and edited["fields"]["plan"] == "Basic"
    assert names("tag=wholesale") == []
    assert names("field.plan=basic") == ["Gia", "Hal"]


def test_bad_input_names_the_field(admin: Api):
    admin.send("PUT", "/api/contact-fields", FIELDS)
    cases = [({"phone": "12"}, "phone"), ({"phone": "+14155550301", "email": "no-at"}, "email"),
             ({"phone": "+14155550301", "fields": {"plan": "Platinum"}}, "fields.plan"),
             ({"phone": "+14155550301", "fields": {"colour": "red"}}, "fields.colour"),
             ({"phone": "+14155550301", "fields": {"since": "31/12/2020"}}, "fields.since")]
    for body, path in cases:
        status, answer = admin.send("POST", "/api/contacts", body)
        assert status == 400 and answer["path"] == path, (body, answer)
    status, answer = admin.send("PUT", "/api/contact-fields",
                                {"fields": [{"name": "x", "type": "colour"}]})
    assert status == 400 and answer["path"] == "fields[0].type"


def test_another_tenant_sees_none_of_it(admin: Api, stranger: Api):
    _, made = admin.send("POST", "/api/contacts", {"phone": "+14155550401", "name": "Ida",
                                                   "tags": ["vip"]})
    for path in (f"/api/contacts/{made['id']}", f"/api/contacts/{made['id']}/interactions",
                 f"/api/contacts/{made['id']}/duplicates", "/api/contacts?phone=+14155550401"):
        status, _ = stranger.send("GET", path)
        assert status == 404, path
    status, _ = stranger.send("PATCH", f"/api/contacts/{made['id']}", {"name": "X"})
    assert status == 404
    assert stranger.get("/api/contacts?tag=vip")["contacts"] == []
    assert stranger.get("/api/contacts?q=ida")["contacts"] == []
    assert stranger.get("/api/contacts")["contacts"] == []
    assert "Ida" not in stranger.send("GET", "/api/contacts/export.csv")[1]


def test_a_cursor_the_api_did_not_give_is_a_400_naming_it(admin: Api):
    _, made = admin.send("POST", "/api/contacts", {"phone": "+14155550501", "name": "Ann"})
    for path in ("/api/contacts?q=ann&cursor=s%3Azzz", "/api/contacts?cursor=x%3A1",
                 "/api/contacts?q=ann&cursor=a%3Act_1",
                 f"/api/contacts/{made['id']}/interactions?cursor=t%3Anan%3ACA1",
                 f"/api/contacts/{made['id']}/interactions?cursor=t%3A12"):
        status, answer = admin.send("GET", path)
        assert status == 400 and answer["path"] == "cursor", (path, answer)
    status, answer = admin.send("GET", "/api/contacts?tag=a%23b")
    assert status == 400 and answer["path"] == "tag"
