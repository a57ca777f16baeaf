"""Idempotency records: one per Twilio event (account, CallSid or MessageSid, URL, and
the event's own discriminator), in the style of powertools' idempotency records.

``status`` is INPROGRESS while the first delivery runs (``in_progress_until`` bounds
how long a crashed Lambda can hold it; ``token`` names the holder) and COMPLETED with
the ``response`` every retry replays. ``expires_at`` is the table's TTL.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.base import HotlineModel


class IdempotencyModel(HotlineModel):
    class Meta:
        base_name = "idempotency"

    key = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    response = UnicodeAttribute(null=True)
    expires_at = NumberAttribute()
    in_progress_until = NumberAttribute(null=True)
    token = UnicodeAttribute(null=True)
