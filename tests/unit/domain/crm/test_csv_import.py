"""CSV import parsing and validation, and export cells."""

from __future__ import annotations

import pytest

from chalicelib.domain.contacts.csv_io import MAX_ROWS, export_csv, parse_import
from chalicelib.domain.contacts.fields import FieldDef
from chalicelib.domain.crm import Contact
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.phone import to_e164

DEFS = [FieldDef("plan", "Plan", "choice", ("Basic", "Gold")), FieldDef("jugs", "Jugs", "number"),
        FieldDef("since", "Customer since", "date")]


def _e164(raw: str) -> str:
    return to_e164(raw, "GB")


def test_rows_are_normalised_in_the_tenants_country() -> None:
    rows, rejected = parse_import(
        "\ufeffMobile,Full Name,E-mail,Tags,Customer since,Jugs\n"
        "020 7946 0018,Ann,ANN@Example.com,VIP|north,2020-01-31,\"1,200\"\n", DEFS, _e164)
    assert rejected == []
    [row] = rows
    assert (row.line, row.phone, row.name, row.email, row.tags) == \
        (2, "+442079460018", "Ann", "ann@example.com", ("north", "vip"))
    assert row.fields == {"since": "2020-01-31", "jugs": 1200}


def test_each_bad_row_is_rejected_with_its_reason_and_column() -> None:
    text = ("phone,email,plan\n"
            "abc,,\n"
            "02079460018,nope,\n"
            "02079460019,,Platinum\n"
            "02079460020,a@b.co,\n"
            "+44 20 7946 0020,,\n"
            "02079460021,A@B.CO,\n")
    rows, rejected = parse_import(text, DEFS, _e164)
    assert [r.phone for r in rows] == ["+442079460020"]
    assert [(r.line, r.reason, r.column) for r in rejected] == [
        (2, "bad_number", "phone"), (3, "bad_email", "email"), (4, "bad_field", "plan"),
        (6, "duplicate_in_file", "phone"), (7, "duplicate_in_file", "email")]
    assert rejected[3].message == "the same phone as line 5"


@pytest.mark.parametrize(("text", "says"), [
    ("", "empty"), ("name\nAnn\n", "phone column"), ("phone,colour\n1,red\n", "colour"),
    ("phone,Phone\n1,2\n", "twice")])
def test_a_file_that_cannot_be_imported_is_refused_whole(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_import(text, DEFS, _e164)
    assert refused.value.path == "csv" and says in refused.value.message


def test_too_many_rows_are_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_import("phone\n" + "1\n" * (MAX_ROWS + 1), DEFS, _e164)


def test_export_has_the_import_columns_and_defuses_formulas() -> None:
    contact = Contact(tenant_id="t", contact_id="ct_1", phone="+14155550100",
                      name="=HYPERLINK(\"x\")", tags=("a", "b"), fields={"jugs": -3})
    out = export_csv([contact], DEFS)
    assert out.splitlines() == [
        "id,phone,name,company,email,tags,notes,plan,jugs,since",
        'ct_1,+14155550100,"\'=HYPERLINK(""x"")",,,a;b,,,-3,']
    rows, rejected = parse_import(out, DEFS, _e164)
    assert rejected == [] and rows[0].phone == "+14155550100"
