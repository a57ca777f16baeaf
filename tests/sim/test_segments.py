"""The simulator's NumSegments follows Twilio's published segment rules."""

from __future__ import annotations

import pytest

from sim.segments import num_segments


@pytest.mark.parametrize(("body", "segments"), [
    ("", 1),
    ("a" * 160, 1),  # GSM-7: 160 septets fit one segment
    ("a" * 161, 2),  # then 153 per segment
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("€" * 80, 1),  # an extension character takes two septets
    ("€" * 81, 2),
    ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but the € is not split: 152+154
    ("é" * 160, 1),  # é is in the GSM-7 basic set
    ("ł" * 70, 1),  # outside GSM-7: UCS-2, 70 code units in one segment
    ("ł" * 71, 2),  # then 67 per segment
    ("😀" * 35, 1),  # an emoji is two UTF-16 code units
    ("😀" * 36, 2),
    ("a" * 66 + "😀", 1),
    ("a" * 66 + "😀" + "a" * 4, 2),  # 71 units: the pair moves whole to the second
])
def test_num_segments_follows_twilios_gsm7_and_ucs2_rules(body: str, segments: int) -> None:
    assert num_segments(body) == segments
