"""Idempotency records: one per (tenant, CallSid or MessageSid, event)."""

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
