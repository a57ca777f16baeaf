"""A shared number's pure rules: which menus are valid, what the caller hears, what a key
chooses, and when the caller is told goodbye."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.shared_numbers import (
    ATTEMPTS,
    Forward,
    Goodbye,
    Prompt,
    SharedLine,
    after_forward,
    answer_choice,
    check_greeting,
    check_menu,
    first_answer,
    forward_caller_id,
    shared_menu_of,
)

MENU = (SharedLine("tn_water", "1", "+16285550001", "Aqua Water"),
        SharedLine("tn_dental", "2", "+16285550002", "Bright Dental"))
CALLER = "+14155550123"


def test_the_first_answer_is_the_greeting_then_each_business_key() -> None:
    prompt = first_answer(MENU, "Thanks for calling City Hotline.")
    assert prompt == Prompt("Thanks for calling City Hotline. For Aqua Water, press 1. "
                            "For Bright Dental, press 2.", num_digits=1, attempt=1)


def test_extension_codes_are_read_digit_by_digit_and_gathered_to_the_longest() -> None:
    menu = (SharedLine("a", "21", "+1", "Aqua"), SharedLine("b", "305", "+2", "Bright"))
    prompt = first_answer(menu, "Hello.")
    assert prompt.num_digits == 3
    assert "For Aqua, dial 2 1. For Bright, dial 3 0 5." in prompt.text


def test_a_key_forwards_to_that_business_own_number_with_the_caller_id() -> None:
    assert answer_choice(MENU, "2", CALLER, 1) == Forward("+16285550002", CALLER,
                                                          "Bright Dental")
    assert answer_choice(MENU, "1#", CALLER, 2) == Forward("+16285550001", CALLER,
                                                           "Aqua Water")


@pytest.mark.parametrize("digits", ["", "9", "12", "*"])
def test_no_key_or_a_wrong_one_repeats_the_menu_until_the_last_attempt(digits: str) -> None:
    again = answer_choice(MENU, digits, CALLER, 1)
    assert isinstance(again, Prompt) and again.attempt == 2
    assert again.text.startswith("Sorry, that is not one of the options. For Aqua Water")
    last = answer_choice(MENU, digits, CALLER, ATTEMPTS)
    assert isinstance(last, Goodbye) and "Goodbye" in last.text


def test_a_menu_emptied_meanwhile_says_goodbye() -> None:
    assert isinstance(answer_choice((), "1", CALLER, 1), Goodbye)


def test_after_the_forward_only_an_unanswered_call_hears_an_apology() -> None:
    assert after_forward("completed", "Aqua Water") is None
    for status in ("busy", "no-answer", "failed", "canceled"):
        goodbye = after_forward(status, "Aqua Water")
        assert goodbye is not None and "Aqua Water cannot take your call" in goodbye.text


@pytest.mark.parametrize(("entries", "path"), [
    ([], "tenants"),
    ([("a", "1"), ("b", "1")], "tenants[1].digit"),
    ([("a", "1"), ("b", "10")], "tenants[1].digit"),
    ([("a", "123"), ("b", "12")], "tenants[1].digit"),
    ([("a", "1"), ("a", "2")], "tenants[1].tenant_id"),
    ([("a", "12345")], "tenants[0].digit"),
    ([("a", "")], "tenants[0].digit"),
    ([("a", "#")], "tenants[0].digit"),
    ([(f"t{i}", str(i)) for i in range(10)] + [("t10", "55")], "tenants"),
])
def test_a_bad_menu_names_the_field(entries: list[tuple[str, str]], path: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_menu(entries)
    assert refused.value.path == path


def test_one_key_and_prefix_free_codes_together_are_a_valid_menu() -> None:
    check_menu([("a", "1"), ("b", "0"), ("c", "23"), ("d", "245"), ("e", "9999")])


def test_the_greeting_is_trimmed_and_must_say_something() -> None:
    assert check_greeting("  Hello.  ") == "Hello."
    with pytest.raises(InvalidInput) as refused:
        check_greeting("   ")
    assert refused.value.path == "greeting"


def test_the_stored_menu_reads_back_and_skips_malformed_entries() -> None:
    stored = [line.public() for line in MENU] + [{"digit": "3"}, "junk"]
    assert shared_menu_of(stored) == MENU
    assert shared_menu_of(None) == ()


@pytest.mark.parametrize("withheld", ["anonymous", "restricted", "+266696687x", ""])
def test_a_withheld_caller_id_is_forwarded_under_the_called_number(withheld: str) -> None:
    assert forward_caller_id(withheld, "+14155550100") == "+14155550100"
    assert forward_caller_id(CALLER, "+14155550100") == CALLER
    forward = answer_choice(MENU, "1", withheld, 1, "+14155550100")
    assert isinstance(forward, Forward) and forward.caller_id == "+14155550100"
