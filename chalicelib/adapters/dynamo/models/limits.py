"""Fixed-window counters for rate limits (signup, login)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.base import HotlineModel


class RateLimitModel(HotlineModel):
    class Meta:
        base_name = "ratelimits"

    key = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)
    expires_at = NumberAttribute()
