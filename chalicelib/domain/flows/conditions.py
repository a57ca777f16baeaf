"""Studio's split-based-on condition types, evaluated on rendered strings.

Rules (documented in docs/flows.md):
- Text comparisons (equal_to, contains, starts_with, matches_any_of and their negations)
  ignore case and surrounding spaces, so a reply of "yes " matches "YES".
- equal_to also matches when both sides parse as the same number ("1" and "1.0").
- greater_than / less_than compare as numbers when both sides parse as numbers, and
  otherwise as case-folded text.
- matches_any_of takes a comma-separated list of values.
- regex searches the input with Python's ``re`` (a bad pattern never matches).
- is_before_time / is_after_time compare HH:MM[:SS] times; is_before_date /
  is_after_date compare ISO dates; an unparseable side never matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time

from chalicelib.domain.flows.model import Condition


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value == value else None  # NaN never compares


def _fold(text: str) -> str:
    return text.strip().casefold()


def _equal(subject: str, value: str) -> bool:
    if _fold(subject) == _fold(value):
        return True
    left, right = _number(subject), _number(value)
    return left is not None and right is not None and left == right


def _choices(value: str) -> list[str]:
    return [part for part in (p.strip() for p in value.split(",")) if part]


def _compare(subject: str, value: str) -> int | None:
    left, right = _number(subject), _number(value)
    if left is not None and right is not None:
        return (left > right) - (left < right)
    a, b = _fold(subject), _fold(value)
    if not a or not b:
        return None
    return (a > b) - (a < b)


def _time(text: str) -> time | None:
    text = text.strip()
    for fmt in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p"):
        try:
            return datetime.strptime(text.upper(), fmt).time()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).time()
    except ValueError:
        return None


def _date(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return None


def _regex(subject: str, value: str) -> bool:
    try:
        return re.search(value, subject) is not None
    except re.error:
        return False


def _before_time(subject: str, value: str) -> bool:
    a, b = _time(subject), _time(value)
    return a is not None and b is not None and a < b


def _after_time(subject: str, value: str) -> bool:
    a, b = _time(subject), _time(value)
    return a is not None and b is not None and a > b


def _before_date(subject: str, value: str) -> bool:
    a, b = _date(subject), _date(value)
    return a is not None and b is not None and a < b


def _after_date(subject: str, value: str) -> bool:
    a, b = _date(subject), _date(value)
    return a is not None and b is not None and a > b


PREDICATES: dict[str, Callable[[str, str], bool]] = {
    "equal_to": _equal,
    "not_equal_to": lambda s, v: not _equal(s, v),
    "matches_any_of": lambda s, v: any(_equal(s, c) for c in _choices(v)),
    "does_not_match_any_of": lambda s, v: not any(_equal(s, c) for c in _choices(v)),
    "contains": lambda s, v: _fold(v) in _fold(s),
    "does_not_contain": lambda s, v: _fold(v) not in _fold(s),
    "starts_with": lambda s, v: _fold(s).startswith(_fold(v)),
    "does_not_start_with": lambda s, v: not _fold(s).startswith(_fold(v)),
    "is_blank": lambda s, v: not s.strip(),
    "is_not_blank": lambda s, v: bool(s.strip()),
    "greater_than": lambda s, v: _compare(s, v) == 1,
    "less_than": lambda s, v: _compare(s, v) == -1,
    "regex": _regex,
    "is_before_time": _before_time,
    "is_after_time": _after_time,
    "is_before_date": _before_date,
    "is_after_date": _after_date,
}

CONDITION_TYPES = frozenset(PREDICATES)


def holds(condition: Condition, subject: str, value: str) -> bool:
    """Whether ``condition`` holds for the rendered ``subject`` and ``value``."""
    predicate = PREDICATES.get(condition.type)
    return predicate is not None and predicate(subject, value)
