"""Usage records and the monthly counters behind invoices (docs/billing.md)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.base import HotlineModel


class UsageModel(HotlineModel):
    """``pk`` = ``{tenant}#{YYYY-MM}`` (the tenant's month). A record: ``sk`` =
    ``r#{kind}#{source}`` with ``quantity``, ``at`` and ``detail``; created only if absent,
    so a retried callback meters once. The month's counters: ``sk`` = ``totals``, one
    number per usage kind, added in the same transaction as each new record.
    """

    class Meta:
        base_name = "usage"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute(null=True)
    quantity = NumberAttribute(null=True)
    at = NumberAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    voice_in_minutes = NumberAttribute(null=True)
    voice_out_minutes = NumberAttribute(null=True)
    sms_in_segments = NumberAttribute(null=True)
    sms_out_segments = NumberAttribute(null=True)
    whatsapp_in = NumberAttribute(null=True)
    whatsapp_out = NumberAttribute(null=True)
    chat_conversations = NumberAttribute(null=True)
    numbers = NumberAttribute(null=True)
    recording_minutes = NumberAttribute(null=True)
