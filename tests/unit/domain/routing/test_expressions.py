"""The routing expression language: what it accepts, what it means, how it fails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.routing.expressions import parse, validate
from chalicelib.domain.routing.lexer import ExpressionError

BILLING_AGENT = {"skills": ["billing", "sales"], "level": 3, "languages": ["en", "fr"],
                 "team": {"name": "north", "size": 4}, "senior": True}


@pytest.mark.parametrize(("text", "expected"), [
    ('skills HAS "billing" AND level >= 2', True),
    ('skills HAS "support"', False),
    ('skills has "billing" and level > 3', False),
    ('level == 3 OR skills HAS "nothing"', True),
    ('NOT skills HAS "support"', True),
    ("NOT (level < 2 OR level > 4)", True),
    ('"fr" IN languages', True),
    ('"de" IN languages', False),
    ('"de" NOT IN languages', True),
    ("level IN [1, 2, 3]", True),
    ('team.name == "north" AND team.size >= 4', True),
    ('team.missing == null', True),
    ("missing == null", True),
    ("missing != null", False),
    ("missing > 1", False),
    ("senior", True),
    ("senior == true", True),
    ("!senior || level >= 3 && level <= 3", True),
    ('name CONTAINS "lex"', True),
    ("level >= -1.5", True),
    ("[] == []", True),
    ('skills == ["billing", "sales"]', True),
    ("true", True),
    ("false OR null", False),
])
def test_expressions_evaluate_against_the_worker(text: str, expected: bool) -> None:
    worker = {**BILLING_AGENT, "name": "Alex"}

    assert parse(text).matches(worker=worker) is expected


def test_task_attributes_are_reached_with_the_task_prefix() -> None:
    rule = parse("task.language IN worker.languages AND task.priority >= 5")

    assert rule.matches(worker=BILLING_AGENT, task={"language": "fr", "priority": 7})
    assert not rule.matches(worker=BILLING_AGENT, task={"language": "de", "priority": 7})


def test_bare_names_resolve_in_the_task_for_workflow_filters() -> None:
    rule = parse('vip == true AND menu == "billing"')

    assert rule.matches(task={"vip": "true", "menu": "billing"}, default="task")
    assert not rule.matches(task={"vip": "false", "menu": "billing"}, default="task")


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("level >= 2", "3", True),      # Twilio sends strings: numeric strings compare as numbers
    ("level >= 2", "x", False),
    ("level == 3", "3.0", True),
    ("vip == true", "TRUE", True),
    ("vip == true", "yes", False),
    ('code == "007"', "007", True),  # two strings compare as text when not both numbers
    ('code < "b"', "a", True),
])
def test_deliberate_coercions(text: str, value: str, expected: bool) -> None:
    name = text.split()[0]

    assert parse(text).matches(worker={name: value}) is expected


def test_an_empty_expression_matches_everyone() -> None:
    assert parse("").matches(worker={})
    assert parse("   ").matches(worker={})


@pytest.mark.parametrize(("text", "column", "fragment"), [
    ("skills HAS", 11, "expected a value"),
    ("level = 2", 7, 'use "=="'),
    ("(level == 2", 12, 'expected ")"'),
    ("level == 2 level", 12, "expected AND, OR or the end"),
    ('skills HAS "billing', 12, "never closed"),
    ("team.", 6, "attribute name after the dot"),
    ("[1, 2", 6, 'expected "," or "]"'),
    ("level NOT 2", 11, "expected HAS, IN or CONTAINS after NOT"),
    ("1abc == 2", 1, "cannot start with a digit"),
    ("level == $", 10, 'unexpected character "$"'),
    ("level & 2", 7, 'use "&&" or AND'),
    ("- level", 3, "expected a number"),
    ('"a\\q"', 3, "unknown escape"),
    ("1.2.3", 4, "two decimal points"),
])
def test_parse_errors_say_what_and_where(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)

    assert caught.value.column == column
    assert fragment in caught.value.message
    assert f"column {column}" in caught.value.message


def test_validation_errors_are_invalid_input_located_at_a_json_path() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate("level >", "filters[2].expression")

    assert caught.value.path == "filters[2].expression"


def test_deep_nesting_is_refused_instead_of_overflowing_the_stack() -> None:
    with pytest.raises(ExpressionError, match="nests deeper"):
        parse("(" * 100 + "true" + ")" * 100)


def test_nothing_is_evaluated_as_python() -> None:
    assert not parse('__import__ == "os"').matches(worker={})
    with pytest.raises(ExpressionError):
        parse("__import__('os').system('true')")


@given(st.text(max_size=60))
def test_any_text_either_parses_or_fails_with_a_position(text: str) -> None:
    try:
        rule = parse(text)
    except ExpressionError as exc:
        assert 0 <= exc.position <= len(text)
    else:
        assert isinstance(rule.matches(worker=BILLING_AGENT, task={}), bool)
