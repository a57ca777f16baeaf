"""SMS segments as Twilio counts them: GSM-7 160/153, UCS-2 70/67 (docs/billing.md)."""

from __future__ import annotations

import pytest

from chalicelib.domain.billing.segments import count_segments


@pytest.mark.parametrize(("body", "segments"), [
    ("", 1),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
])
def test_gsm7_is_160_alone_and_153_per_segment_concatenated(body, segments):
    # given a plain GSM-7 body / when counted / then Twilio's segments
    count = count_segments(body)
    assert (count.encoding, count.segments) == ("GSM-7", segments)


def test_gsm7_extension_characters_take_two_septets():
    # given 80 euro signs (160 septets) and 81 (162)
    assert count_segments("€" * 80).segments == 1
    assert count_segments("€" * 81).units == 162
    assert count_segments("€" * 81).segments == 2
    assert count_segments("{}[]~|^\\" * 10).units == 160


def test_gsm7_extension_character_is_never_split_across_segments():
    # given 152 septets, a euro sign (2) that does not fit in the first 153, then 152 more
    body = "a" * 152 + "€" + "a" * 152
    # when counted / then the euro sign opens segment 2, and the last "a" needs a third
    assert count_segments(body).units == 306
    assert count_segments(body).segments == 3


def test_accented_latin_letters_in_the_gsm_alphabet_stay_gsm7():
    assert count_segments("Café ñoño à Zürich, Ørsted").encoding == "GSM-7"
    assert count_segments("Café ú").encoding == "UCS-2"  # ú is not in GSM 03.38


@pytest.mark.parametrize(("body", "segments"), [
    ("ж" * 70, 1),
    ("ж" * 71, 2),
    ("ж" * 134, 2),
    ("ж" * 135, 3),
])
def test_ucs2_is_70_alone_and_67_per_segment_concatenated(body, segments):
    count = count_segments(body)
    assert (count.encoding, count.segments) == ("UCS-2", segments)


def test_one_emoji_makes_the_whole_message_ucs2():
    # given a GSM-7 text of 100 characters with one emoji
    count = count_segments("a" * 100 + "😀")
    # then it is UCS-2: 102 code units, two segments of at most 67
    assert (count.encoding, count.units, count.segments) == ("UCS-2", 102, 2)


def test_emoji_count_two_code_units_and_are_never_split():
    assert count_segments("😀" * 35).segments == 1  # 70 units
    assert count_segments("😀" * 36).segments == 2  # 72 units
    # 66 units then an emoji (2): it does not fit in 67, so it opens segment 2; 134 units
    # would fit in two segments of 67 if the emoji could be split, but need three
    body = "ж" * 66 + "😀" + "ж" * 66
    assert count_segments(body).units == 134
    assert count_segments(body).segments == 3
