"""CSV import and export on DynamoDB Local: the exact report, nothing half-imported, a
re-import that changes nothing, and a failed import finished by its retry."""

from __future__ import annotations

import csv
import io

import pytest

from chalicelib.adapters.dynamo.contacts_repository import ContactsRepository
from chalicelib.config import Settings
from chalicelib.domain.crm import Contact
from chalicelib.domain.errors import Unavailable
from chalicelib.domain.identity import Principal, Role
from chalicelib.services.contact_import import ContactImport
from chalicelib.services.contacts import ContactsService
from tests.integration.crm.conftest import Api

CUSTOMERS = (
    "Name,Phone,Email,Company,Tags,Plan\n"
    "Ann Lake,(415) 555-0801,ann@example.com,Lake Co,vip;wholesale,Gold\n"   # 2 ok
    "Bad Number,555-01,,,,\n"                                               # 3 bad number
    "Bad Email,415 555 0803,not-an-email,,,\n"                              # 4 bad email
    "Ann Again,+1 415 555 0801,,,,\n"                                       # 5 dup of 2
    "Same Mail,4155550805,ANN@example.com,,,\n"                             # 6 dup email of 2
    "Existing,415-555-0806,,,,\n"                                           # 7 existing
    "Bad Plan,4155550807,,,,Platinum\n"                                     # 8 bad field
    "\n"                                                                    # blank: skipped
    "Cy Moss,+14155550809,cy@example.com,,,Basic\n"                         # 10 ok
)
EXPECTED_REJECTED = [
    (3, "bad_number", "phone"), (4, "bad_email", "email"), (5, "duplicate_in_file", "phone"),
    (6, "duplicate_in_file", "email"), (7, "duplicate_existing", "phone"),
    (8, "bad_field", "plan"),
]
PLAN = {"fields": [{"name": "plan", "label": "Plan", "type": "choice",
                    "options": ["Basic", "Gold"]}]}


def _rows(exported: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(exported)))


def test_given_a_customer_list_when_imported_then_the_report_is_exact_and_a_reimport_changes_nothing(  # noqa: E501
        admin: Api):
    admin.send("PUT", "/api/contact-fields", PLAN)
    admin.send("POST", "/api/contacts", {"phone": "+14155550806", "name": "Already here"})

    status, report = admin.send("POST", "/api/contacts/import", raw=CUSTOMERS,
                                content_type="text/csv")
    assert status == 200, report
    assert report["imported"] == 2 and report["already_imported"] is False
    assert [(r["line"], r["reason"], r["column"]) for r in report["rejected"]] == \
        EXPECTED_REJECTED
    before = admin.send("GET", "/api/contacts/export.csv")[1]
    rows = {r["phone"]: r for r in _rows(before)}
    assert set(rows) == {"+14155550801", "+14155550806", "+14155550809"}
    assert rows["+14155550801"]["tags"] == "vip;wholesale"
    assert rows["+14155550801"]["plan"] == "Gold"
    assert rows["+14155550806"]["name"] == "Already here"

    status, again = admin.send("POST", "/api/contacts/import", body={"csv": CUSTOMERS})
    assert status == 200 and again["already_imported"] is True
    assert again["job_id"] == report["job_id"] and again["rejected"] == report["rejected"]
    assert admin.send("GET", "/api/contacts/export.csv")[1] == before

    vip = _rows(admin.send("GET", "/api/contacts/export.csv?tag=vip")[1])
    assert [r["name"] for r in vip] == ["Ann Lake"]
    gold = _rows(admin.send("GET", "/api/contacts/export.csv?field.plan=gold")[1])
    assert [r["phone"] for r in gold] == ["+14155550801"]


def test_import_refuses_an_unknown_column_an_agent_and_an_oversized_file(admin: Api,
                                                                         session_for,
                                                                         tenant_id: str):
    status, answer = admin.send("POST", "/api/contacts/import",
                                body={"csv": "phone,shoe size\n+14155550901,9\n"})
    assert status == 400 and answer["path"] == "csv" and "shoe size" in answer["message"]
    agent = session_for(tenant_id, Role.AGENT)
    status, _ = agent.send("POST", "/api/contacts/import", body={"csv": "phone\n+1415\n"})
    assert status == 403
    huge = "phone\n" + "+14155550901\n" * 90_000
    status, _ = admin.send("POST", "/api/contacts/import", raw=huge, content_type="text/csv")
    assert status == 413
    assert admin.get("/api/contacts")["contacts"] == []


class FailingAfter:
    """The real repository, except that saves fail after the first ``allowed``."""

    def __init__(self, real: ContactsRepository, allowed: int) -> None:
        self.real, self.allowed = real, allowed

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def save(self, contact: Contact, *args: object) -> None:
        if self.allowed == 0:
            raise Unavailable("save contact: DynamoDB failed (injected)")
        self.allowed -= 1
        self.real.save(contact, *args)  # type: ignore[arg-type]


def test_given_a_write_failure_mid_import_when_retried_then_the_import_completes(
        settings: Settings, tenant_id: str):
    who = Principal(tenant_id, "u_admin", Role.ADMIN)
    real = ContactsRepository(settings)
    text = "phone,name\n" + "".join(f"+1415555{1100 + i},Row {i}\n" for i in range(5))
    failing = FailingAfter(real, allowed=2)
    with pytest.raises(Unavailable):
        ContactImport(ContactsService(failing), failing).run(who, text)  # type: ignore[arg-type]
    assert len(real.list_contacts(tenant_id, None, 50)[0]) == 2

    report = ContactImport(ContactsService(real), real).run(who, text)
    assert report["imported"] == 5 and report["rejected"] == []
    names = sorted(c.name or "" for c in real.list_contacts(tenant_id, None, 50)[0])
    assert names == [f"Row {i}" for i in range(5)]
    assert ContactImport(ContactsService(real), real).run(who, text)["already_imported"]
