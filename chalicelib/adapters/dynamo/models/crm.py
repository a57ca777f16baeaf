"""Contacts and interactions: the CRM tables."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.adapters.dynamo.base import HotlineModel


class ContactModel(HotlineModel):
    """A caller or texter. ``contact_id`` is derived from the tenant and E.164 number."""

    class Meta:
        base_name = "contacts"

    tenant_id = UnicodeAttribute(hash_key=True)
    contact_id = UnicodeAttribute(range_key=True)
    phone = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    last_seen_at = NumberAttribute()
    interaction_count = NumberAttribute(default=0)


class InteractionByContact(GlobalSecondaryIndex["InteractionModel"]):
    class Meta:
        index_name = "by_contact"
        projection = AllProjection()

    tenant_contact = UnicodeAttribute(hash_key=True)
    started_at = NumberAttribute(range_key=True)


class InteractionByTime(GlobalSecondaryIndex["InteractionModel"]):
    class Meta:
        index_name = "by_time"
        projection = AllProjection()

    tenant_id = UnicodeAttribute(hash_key=True)
    started_at = NumberAttribute(range_key=True)


class InteractionModel(HotlineModel):
    """One call, SMS conversation, voicemail or callback. Keyed by the carrier's SID."""

    class Meta:
        base_name = "interactions"

    tenant_id = UnicodeAttribute(hash_key=True)
    interaction_id = UnicodeAttribute(range_key=True)
    tenant_contact = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    direction = UnicodeAttribute()
    status = UnicodeAttribute()
    started_at = NumberAttribute()
    data = JSONAttribute(default=dict)
    by_contact = InteractionByContact()
    by_time = InteractionByTime()
