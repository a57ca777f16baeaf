"""NumSegments as Twilio reports it on a message (its "What the Heck is a Segment?" page).

GSM-7 text: one segment up to 160 septets, else 153 per segment; a character of the
extension table costs two septets and is not split. Anything else: UCS-2, one segment up
to 70 UTF-16 code units, else 67 per segment; a surrogate pair is not split. Written apart
from Hotline's own count on purpose: the simulator is the carrier Hotline is checked against.
"""

from __future__ import annotations

_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
             "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_EXTENSION = set("\f^{}\\[~]|€")


def num_segments(body: str) -> int:
    if all(c in _BASIC or c in _EXTENSION for c in body):
        costs, alone, each = [1 + (c in _EXTENSION) for c in body], 160, 153
    else:
        costs, alone, each = [1 + (ord(c) > 0xFFFF) for c in body], 70, 67
    if sum(costs) <= alone:
        return 1
    segments, room = 1, each
    for cost in costs:
        if cost > room:
            segments, room = segments + 1, each
        room -= cost
    return segments
