"""The outbox: the outcome of every effect outside DynamoDB that a webhook asked for.

One item per effect, keyed by its event (``<idempotency key>#<effect>``). ``due_shard``
and ``due_at`` are set only while the effect is unsettled (pending or running), so the
``by_due`` index holds just the work the sweep may have to pick up.
"""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.adapters.dynamo.base import HotlineModel


class OutboxByDue(GlobalSecondaryIndex["OutboxModel"]):
    class Meta:
        index_name = "by_due"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)
    due_at = NumberAttribute(range_key=True)


class OutboxModel(HotlineModel):
    class Meta:
        base_name = "outbox"

    key = UnicodeAttribute(hash_key=True)
    tenant_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    payload = JSONAttribute()
    status = UnicodeAttribute()  # pending | running | done | failed | unknown
    attempts = NumberAttribute(default=0)
    created_at = NumberAttribute()
    result = JSONAttribute(null=True)
    error = UnicodeAttribute(null=True)
    due_shard = UnicodeAttribute(null=True)
    due_at = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    by_due = OutboxByDue()
