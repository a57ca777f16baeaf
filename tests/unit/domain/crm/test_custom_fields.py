"""The tenant's custom field definitions and the values they accept."""

from __future__ import annotations

import pytest

from chalicelib.domain.contacts.fields import coerce_fields, parse_definitions
from chalicelib.domain.errors import InvalidInput

DEFS = parse_definitions([
    {"name": "plan", "type": "choice", "options": ["Basic", "Gold"]},
    {"name": "jugs", "label": "Jugs", "type": "number"},
    {"name": "since", "type": "date"}, {"name": "note", "type": "text"}])


def test_values_are_coerced_to_their_type() -> None:
    assert coerce_fields(DEFS, {"plan": "gold", "jugs": "2.5", "since": "2021-02-03",
                                "note": " hi ", }) == \
        {"plan": "Gold", "jugs": 2.5, "since": "2021-02-03", "note": "hi"}
    assert coerce_fields(DEFS, {"jugs": "", "plan": None}) == {"jugs": None, "plan": None}


@pytest.mark.parametrize(("values", "path"), [
    ({"plan": "Silver"}, "fields.plan"), ({"jugs": "many"}, "fields.jugs"),
    ({"jugs": True}, "fields.jugs"), ({"since": "03/02/2021"}, "fields.since"),
    ({"size": 1}, "fields.size"), ({"note": "x" * 501}, "fields.note")])
def test_a_bad_value_names_its_field(values: dict[str, object], path: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        coerce_fields(DEFS, values)
    assert bad.value.path == path


@pytest.mark.parametrize(("raw", "path"), [
    ([{"name": "Plan", "type": "text"}], "fields[0].name"),
    ([{"name": "a", "type": "text"}, {"name": "a", "type": "date"}], "fields[1].name"),
    ([{"name": "a", "type": "colour"}], "fields[0].type"),
    ([{"name": "a", "type": "choice", "options": []}], "fields[0].options"),
    ("plan", "fields")])
def test_bad_definitions_name_the_part(raw: object, path: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        parse_definitions(raw)
    assert bad.value.path == path
