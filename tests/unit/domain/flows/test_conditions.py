import pytest

from chalicelib.domain.flows.conditions import CONDITION_TYPES, holds
from chalicelib.domain.flows.model import Condition


@pytest.mark.parametrize("kind, subject, value, expected", [
    ("equal_to", "YES ", "yes", True),
    ("equal_to", "1", "1.0", True),
    ("equal_to", "1", "2", False),
    ("not_equal_to", "1", "2", True),
    ("matches_any_of", "b", "a, b, c", True),
    ("matches_any_of", "d", "a,b,c", False),
    ("does_not_match_any_of", "d", "a,b,c", True),
    ("contains", "I want support please", "SUPPORT", True),
    ("does_not_contain", "hello", "bye", True),
    ("starts_with", "CANCEL APPT", "cancel", True),
    ("does_not_start_with", "CANCEL APPT", "confirm", True),
    ("is_blank", "  ", "", True),
    ("is_blank", "x", "", False),
    ("is_not_blank", "x", "", True),
    ("greater_than", "10", "9", True),  # numbers, not text ("10" < "9" as text)
    ("less_than", "9", "10", True),
    ("greater_than", "b", "a", True),
    ("less_than", "", "5", False),
    ("regex", "order 12345", r"\d{5}", True),
    ("regex", "order", "[", False),  # a broken pattern never matches
    ("is_before_time", "08:30", "09:00", True),
    ("is_after_time", "17:30", "17:00", True),
    ("is_before_date", "2025-01-01", "2025-06-01", True),
    ("is_after_date", "2025-01-01", "2025-06-01", False),
    ("is_after_date", "not a date", "2025-06-01", False),
])
def test_condition_types_follow_studio(kind, subject, value, expected):
    assert holds(Condition(kind, (), value), subject, value) is expected


def test_an_unknown_condition_type_never_matches():
    assert holds(Condition("sounds_like", (), "x"), "x", "x") is False


def test_every_documented_condition_type_is_known():
    assert {"equal_to", "not_equal_to", "contains", "does_not_contain", "matches_any_of",
            "does_not_match_any_of", "starts_with", "does_not_start_with", "is_blank",
            "is_not_blank", "greater_than", "less_than", "regex"} <= CONDITION_TYPES
