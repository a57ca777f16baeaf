from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.phone import mask, to_e164


@pytest.mark.parametrize("raw,expected", [
    ("+1 (415) 555-0100", "+14155550100"),
    ("415-555-0100", "+14155550100"),
    ("+44 20 7946 0958", "+442079460958"),
    ("whatsapp:+14155550100", "whatsapp:+14155550100"),
    ("client:agent-1", "client:agent-1"),
])
def test_numbers_normalise_to_e164(raw: str, expected: str) -> None:
    assert to_e164(raw) == expected


@pytest.mark.parametrize("raw", ["", "hello", "+1 2", "client:"])
def test_garbage_is_invalid_input(raw: str) -> None:
    with pytest.raises(InvalidInput):
        to_e164(raw)


def test_mask_keeps_only_the_last_four_digits() -> None:
    assert mask("+14155550100") == "+*******0100"
    assert mask("client:bob") == "client:bob"
    assert mask(None) == ""
