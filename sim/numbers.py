"""Phone numbers to offer: plausible, valid, and not owned by anyone in the sim."""

from __future__ import annotations

import random
import re

import phonenumbers

from sim.store import Store

MAX_ATTEMPTS = 4000
TOLL_FREE_AREAS = ("800", "833", "844", "855", "866", "877", "888")


def contains_pattern(contains: str) -> re.Pattern[str] | None:
    """Twilio's Contains: digits (letters map to keypad digits) and '*' for any digit."""
    if not contains:
        return None
    keypad = {c: d for d, letters in {"2": "abc", "3": "def", "4": "ghi", "5": "jkl",
                                      "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz"}.items()
              for c in letters}
    digits = "".join(keypad.get(c.lower(), c) for c in contains if c.isalnum() or c == "*")
    return re.compile(digits.replace("*", r"\d")) if digits else None


def _nanp_candidate(rng: random.Random, area: str | None, kind: str) -> str:
    if area is None:
        area = rng.choice(TOLL_FREE_AREAS) if kind == "TollFree" else rng.choice(
            ("415", "212", "646", "312", "617", "206", "512", "303", "404", "702"))
    exchange = rng.randint(200, 999)
    return f"+1{area}{exchange}{rng.randint(0, 9999):04d}"


def _other_candidate(rng: random.Random, region: str, kind: str) -> str | None:
    number_type = (phonenumbers.PhoneNumberType.MOBILE if kind == "Mobile"
                   else phonenumbers.PhoneNumberType.TOLL_FREE if kind == "TollFree"
                   else phonenumbers.PhoneNumberType.FIXED_LINE)
    example = phonenumbers.example_number_for_type(region, number_type)
    if example is None:
        return None
    national = str(example.national_number)
    keep = max(1, len(national) - 5)
    tail = "".join(str(rng.randint(0, 9)) for _ in range(len(national) - keep))
    return f"+{example.country_code}{national[:keep]}{tail}"


def available_numbers(store: Store, country: str, kind: str = "Local", *, area_code: str = "",
                      contains: str = "", limit: int = 20) -> list[str]:
    region = country.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        return []
    pattern = contains_pattern(contains)
    nanp = phonenumbers.country_code_for_region(region) == 1
    rng = random.Random()
    with store.lock:
        taken = {n.phone_number for n in store.numbers.values()}
    found: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        if len(found) >= limit:
            break
        candidate: str | None
        if nanp:
            candidate = _nanp_candidate(rng, area_code or None, kind)
        else:
            candidate = _other_candidate(rng, region, kind)
        if candidate is None:
            break
        if candidate in taken or candidate in found:
            continue
        if pattern is not None and not pattern.search(candidate[1:]):
            continue
        parsed = phonenumbers.parse(candidate, None)
        if phonenumbers.is_valid_number(parsed) and \
                phonenumbers.region_code_for_number(parsed) in (region, None):
            found.append(candidate)
    return found


def friendly(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    if parsed.country_code == 1:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_valid(number: str) -> bool:
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return False
