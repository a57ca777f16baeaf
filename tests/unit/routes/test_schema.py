"""The API's one validator: depth and size before parsing, and field-named type errors."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.routes.schema import (
    TooLarge,
    check,
    choice,
    nesting_depth,
    obj,
    parse_body,
    strings,
    text,
    whole,
)


@pytest.mark.parametrize(("raw", "depth"), [
    (b"{}", 1), (b'{"a": [1, {"b": []}]}', 4), (b'"[[[[["', 0),
    (b'{"a": "]]]{{{\\"[["}', 1), (b"[" * 5 + b"]" * 5, 5),
])
def test_nesting_depth_counts_brackets_outside_strings(raw: bytes, depth: int) -> None:
    assert nesting_depth(raw, 100) == depth


def test_a_body_nested_a_hundred_thousand_deep_is_refused_without_recursion() -> None:
    with pytest.raises(InvalidInput, match="nested deeper than 32"):
        parse_body(b"[" * 100_000 + b"]" * 100_000, max_bytes=1_000_000)


def test_a_body_over_the_size_cap_is_too_large() -> None:
    with pytest.raises(TooLarge):
        parse_body(b'{"a": "' + b"x" * 2048 + b'"}', max_bytes=1024)


@pytest.mark.parametrize("raw", [b"[NaN]", b"[Infinity]", b"[1e400]", b"[" + b"9" * 39 + b"]"])
def test_numbers_dynamodb_cannot_hold_are_invalid(raw: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_body(raw)


SCHEMA = obj({"name": text(10, 1), "n": whole(1, 5), "kind": choice("a", "b"),
              "tags": strings(2, 3), "inner": obj({"x": text(2, nullable=True)}, closed=True)},
             required=("name",))


@pytest.mark.parametrize(("value", "path", "words"), [
    ({}, "name", "required"),
    ({"name": ["list"]}, "name", "must be a string"),
    ({"name": "x" * 11}, "name", "longer than 10"),
    ({"name": "ok", "n": True}, "n", "whole number"),
    ({"name": "ok", "n": 9}, "n", "at most 5"),
    ({"name": "ok", "kind": "c"}, "kind", "one of a, b"),
    ({"name": "ok", "tags": ["a", "b", "c"]}, "tags", "more than 2"),
    ({"name": "ok", "tags": ["abcd"]}, "tags[0]", "longer than 3"),
    ({"name": "ok", "inner": {"y": 1}}, "inner.y", "unknown field"),
    ({"name": "\ud800"}, "name", "not valid Unicode"),
])
def test_check_names_the_field_that_fails(value: object, path: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check(value, SCHEMA)
    assert caught.value.path == path and words in caught.value.message


def test_check_passes_a_valid_value_and_nullables() -> None:
    value = {"name": "ok", "n": 3, "kind": "a", "tags": ["x"], "inner": {"x": None}, "more": 1}
    assert check(value, SCHEMA) is value
