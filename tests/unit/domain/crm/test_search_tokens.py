"""Search tokens and queries: what a contact is found by."""

from __future__ import annotations

import pytest

from chalicelib.domain.contacts.search import (
    Query,
    fold,
    looks_like_phone,
    normalise_tags,
    parse_query,
    tokens_for,
)
from chalicelib.domain.crm import Contact
from chalicelib.domain.errors import InvalidInput


def _contact(**kw: object) -> Contact:
    return Contact(tenant_id="t", contact_id="ct_1", phone="+14155550100", **kw)  # type: ignore[arg-type]


def test_tokens_cover_name_company_email_tags_and_fields_folded() -> None:
    contact = _contact(name="Zoë O'Neil", company="Acme-Water", email="Zoe@Example.com",
                       tags=("vip",), fields={"plan": "Gold", "jugs": 12})
    assert tokens_for(contact) == {"n:zoe", "n:o", "n:neil", "n:acme", "n:water",
                                   "e:zoe@example.com", "t:vip", "f:plan=gold", "f:jugs=12"}


def test_a_bare_contact_has_no_tokens_its_number_is_its_id() -> None:
    assert tokens_for(_contact()) == set()


@pytest.mark.parametrize("q", ["+1 (415) 555-0100", "415.555.0100", "4155550100",
                               "whatsapp:+14155550100"])
def test_numbers_in_any_written_form_are_looked_up_directly(q: str) -> None:
    assert looks_like_phone(q)
    assert parse_query(q).phone == q


def test_words_are_prefixes_and_the_longest_leads() -> None:
    query = parse_query("Ann  SMITHS")
    assert query.prefixes == ("n:ann", "n:smiths") and query.lead == "n:smiths"
    assert query.matches({"n:ann", "n:smithson"})
    assert not query.matches({"n:ann", "n:smith"})


def test_a_tag_or_field_filter_leads_before_words() -> None:
    query = parse_query("ann", tag="VIP", fields={"plan": "Gold"})
    assert query.filters == ("t:vip", "f:plan=gold")
    assert query.lead == "f:plan=gold"
    assert query.matches({"n:anna", "t:vip", "f:plan=gold"})
    assert not query.matches({"n:anna", "t:vip"})


def test_an_email_query_is_an_email_prefix_and_nothing_is_a_listing() -> None:
    assert parse_query("Jo@Ex").prefixes == ("e:jo@ex",)
    assert Query().lead is None and parse_query("").lead is None


def test_tags_are_folded_deduplicated_and_bounded() -> None:
    assert normalise_tags(["VIP", " vip ", "Café"]) == ("cafe", "vip")
    with pytest.raises(InvalidInput) as bad:
        normalise_tags(["a#b"])
    assert bad.value.path == "tags"
    with pytest.raises(InvalidInput):
        normalise_tags([f"t{i}" for i in range(21)])


def test_fold_removes_accents_and_case() -> None:
    assert fold("ÉCOLE Zoë") == "ecole zoe"
