"""The tenant's data interface: API keys, webhook subscriptions and their delivery log.

One table, the tenant's partition; the sort key says what an item is:

- ``key#<key id>``: an API key (its secret only as a SHA-256), found by id through the
  sparse ``by_key`` index (keys only), then read from the table with a strongly
  consistent GetItem, so a revoked key stops at once;
- ``hook#<subscription id>``: a webhook subscription (its signing secret, which Hotline
  needs to sign every delivery);
- ``dlv#<subscription id>#<created ms>#<event id>``: one event's delivery to one
  subscription with every attempt, newest last (at most 8), kept 30 days (TTL).
"""

from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.adapters.dynamo.base import HotlineModel


class IntegrationByKey(GlobalSecondaryIndex["IntegrationModel"]):
    class Meta:
        index_name = "by_key"
        projection = KeysOnlyProjection()

    key_id = UnicodeAttribute(hash_key=True)


class IntegrationModel(HotlineModel):
    class Meta:
        base_name = "integrations"

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    created_at = NumberAttribute()
    # API keys
    key_id = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    role = UnicodeAttribute(null=True)
    secret_hash = UnicodeAttribute(null=True)
    prefix = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute(null=True)
    last_used_at = NumberAttribute(null=True)
    revoked_at = NumberAttribute(null=True)
    # webhook subscriptions
    url = UnicodeAttribute(null=True)
    events = ListAttribute(of=UnicodeAttribute, null=True)
    secret = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    # deliveries
    event_id = UnicodeAttribute(null=True)
    event_type = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)
    attempts = ListAttribute(of=UnicodeAttribute, null=True)  # JSON text, one per attempt
    next_retry_at = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_key = IntegrationByKey()
