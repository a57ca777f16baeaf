"""Shared numbers: one number fronting several businesses, told apart by a menu key.

The shared number only greets the caller and reads the key (or extension code) they
press; then the call is forwarded to the chosen business's OWN number with the caller's
number as caller ID, so it arrives there as an ordinary inbound call, in that business's
Twilio subaccount, where its queue, conference and agent legs live (docs/shared-numbers.md).

Pure rules: what a valid menu is, what the caller hears, and what a key chooses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput

# One key 0-9, or an extension code of 2 to 4 digits.
CODE = re.compile(r"^[0-9]{1,4}$")
MAX_TENANTS = 10
MAX_GREETING = 500
ATTEMPTS = 3  # the menu is said at most this many times, then a polite goodbye
NO_CHOICE = "Sorry, we could not connect your call. Please try again later. Goodbye."
NOT_AN_OPTION = "Sorry, that is not one of the options."
UNREACHABLE = "Sorry, {name} cannot take your call right now. Please try again later. Goodbye."


@dataclass(frozen=True)
class SharedLine:
    """One business behind a shared number: the key that chooses it and the number of its
    own the call is forwarded to (resolved when the operator saves the menu)."""

    tenant_id: str
    digit: str
    number: str
    name: str = ""

    def public(self) -> dict[str, str]:
        return {"tenant_id": self.tenant_id, "digit": self.digit, "number": self.number,
                "name": self.name}


def shared_menu_of(raw: object) -> tuple[SharedLine, ...]:
    """The stored menu (a list of objects) as SharedLines; anything malformed is skipped."""
    if not isinstance(raw, list):
        return ()
    return tuple(SharedLine(str(e["tenant_id"]), str(e["digit"]), str(e.get("number") or ""),
                            str(e.get("name") or ""))
                 for e in raw if isinstance(e, dict) and e.get("tenant_id") and e.get("digit"))


def check_menu(entries: Sequence[tuple[str, str]]) -> None:
    """``entries`` are (tenant_id, digit) in the order given. Refused, naming the field:
    no entries, a bad code, a code used twice or that begins another (the caller could
    never reach the longer one), a business listed twice."""
    if not entries:
        raise InvalidInput("a shared number needs at least one business", path="tenants")
    if len(entries) > MAX_TENANTS:
        raise InvalidInput(f"a shared number takes at most {MAX_TENANTS} businesses",
                           path="tenants")
    seen_tenants: dict[str, int] = {}
    codes: list[str] = []
    for i, (tenant_id, digit) in enumerate(entries):
        if not CODE.match(digit):
            raise InvalidInput("the digit must be one key 0-9 or an extension code of 2-4 "
                               "digits", path=f"tenants[{i}].digit")
        for j, other in enumerate(codes):
            if other == digit:
                raise InvalidInput(f"digit {digit} is already used by tenants[{j}]",
                                   path=f"tenants[{i}].digit")
            if digit.startswith(other) or other.startswith(digit):
                raise InvalidInput(f"code {digit} and tenants[{j}]'s code {other} begin "
                                   "alike: a caller could not reach the longer one",
                                   path=f"tenants[{i}].digit")
        if tenant_id in seen_tenants:
            raise InvalidInput(f"this business is already tenants[{seen_tenants[tenant_id]}]",
                               path=f"tenants[{i}].tenant_id")
        seen_tenants[tenant_id] = i
        codes.append(digit)


def check_greeting(greeting: str) -> str:
    text = greeting.strip()
    if not text:
        raise InvalidInput("the greeting is empty", path="greeting")
    if len(text) > MAX_GREETING:
        raise InvalidInput(f"the greeting is longer than {MAX_GREETING} characters",
                           path="greeting")
    return text


def options_text(menu: Sequence[SharedLine]) -> str:
    """What follows the greeting: one sentence per business, in the operator's order."""
    parts = []
    for line in menu:
        verb = "press" if len(line.digit) == 1 else "dial"
        who = line.name or "this business"
        parts.append(f"For {who}, {verb} {' '.join(line.digit)}.")
    return " ".join(parts)


def digits_to_gather(menu: Sequence[SharedLine]) -> int:
    """numDigits for the menu's <Gather>: the longest code (a shorter one ends with # or
    the timeout; codes are prefix-free, so no code hides another)."""
    return max((len(line.digit) for line in menu), default=1)


def chosen(menu: Sequence[SharedLine], digits: str) -> SharedLine | None:
    pressed = digits.strip().rstrip("#")
    return next((line for line in menu if line.digit == pressed), None)


@dataclass(frozen=True)
class Prompt:
    """Say the greeting (first time) or the apology, then the options, and gather."""

    text: str
    num_digits: int
    attempt: int


@dataclass(frozen=True)
class Forward:
    """<Dial callerId=caller><Number>the business's own number</Number></Dial>."""

    number: str
    caller_id: str
    name: str


@dataclass(frozen=True)
class Goodbye:
    text: str


Answer = Prompt | Forward | Goodbye


def first_answer(menu: Sequence[SharedLine], greeting: str) -> Prompt:
    return Prompt(f"{greeting} {options_text(menu)}".strip(), digits_to_gather(menu), 1)


E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def forward_caller_id(caller: str, called: str) -> str:
    """The caller's number when it is one; a withheld or malformed caller ID (``anonymous``,
    ``restricted``...) would be refused as callerId (warning 13214 says to substitute a
    valid one), so the called number, also valid for a forward, stands in."""
    return caller if E164.match(caller) else called


def answer_choice(menu: Sequence[SharedLine], digits: str, caller: str,
                  attempt: int, called: str = "") -> Answer:
    """The caller pressed ``digits`` (empty: nothing) on the menu's ``attempt``-th time."""
    line = chosen(menu, digits) if menu else None
    if line is not None:
        return Forward(line.number, forward_caller_id(caller, called or caller), line.name)
    if not menu or attempt >= ATTEMPTS:
        return Goodbye(NO_CHOICE)
    return Prompt(f"{NOT_AN_OPTION} {options_text(menu)}", digits_to_gather(menu),
                  attempt + 1)


def after_forward(status: str, name: str) -> Goodbye | None:
    """The forwarded call ended: nothing more to say if it was answered, else an apology."""
    if status == "completed":
        return None
    return Goodbye(UNREACHABLE.format(name=name or "the business"))
