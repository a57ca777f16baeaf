"""SMS segments counted as Twilio counts them.

A message written entirely in the GSM-7 alphabet is one segment up to 160 characters;
longer, it is split into segments of 153 (7 septets go to the concatenation header).
Characters of the GSM-7 extension table (``^{}\\[~]|€`` and form feed) take two septets
(an escape plus the character), and an extension character is never split across
segments. Any character outside GSM-7 makes the whole message UCS-2: 70 UTF-16 code
units in one segment, 67 per segment when concatenated; a character outside the Basic
Multilingual Plane (most emoji) is two code units and is never split across segments.
Sources: Twilio, "What the Heck is a Segment?" and the Messaging Services' smart-encoding
notes (docs/billing.md cites them).
"""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 basic character set (the default alphabet), as Unicode.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs an escape septet plus its own.
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class SegmentCount:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(body: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in body)


def _pack(widths: list[int], single: int, multi: int) -> int:
    """Segments for characters of these widths, never splitting one character."""
    total = sum(widths)
    if total <= single:
        return 1
    segments, used = 1, 0
    for width in widths:
        if used + width > multi:
            segments += 1
            used = 0
        used += width
    return segments


def count_segments(body: str) -> SegmentCount:
    """The segments an SMS body is billed as (an empty body is one segment)."""
    if is_gsm7(body):
        widths = [2 if ch in GSM7_EXTENDED else 1 for ch in body]
        return SegmentCount("GSM-7", sum(widths), _pack(widths, GSM7_SINGLE, GSM7_MULTI))
    widths = [2 if ord(ch) > 0xFFFF else 1 for ch in body]
    return SegmentCount("UCS-2", sum(widths), _pack(widths, UCS2_SINGLE, UCS2_MULTI))
