"""Contacts and interactions: the CRM tables."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)
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
    company = UnicodeAttribute(null=True)
    tags = UnicodeSetAttribute(null=True)
    fields = JSONAttribute(null=True)  # the tenant's custom fields, by name
    merged_into = UnicodeAttribute(null=True)
    merged_ids = UnicodeSetAttribute(null=True)
    imported_by = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


class ContactIndexModel(HotlineModel):
    """A tenant's contact search index and CRM records, in the tenant's own partition:
    ``tok#<token>#<contact_id>`` (one per search token), ``settings#fields``,
    ``merge#<survivor>#<merged>`` and ``import#<job_id>``."""

    class Meta:
        base_name = "contact-index"

    tenant_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    contact_id = UnicodeAttribute(null=True)
    data = JSONAttribute(null=True)
    created_at = NumberAttribute(null=True)


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
    """One call, SMS conversation, voicemail or callback, keyed by the carrier's SID.

    Each fact is its own attribute so that concurrent webhooks (status callback, wrap-up,
    queue events) update disjoint attributes with UpdateItem and never overwrite each other.
    """

    class Meta:
        base_name = "interactions"

    tenant_id = UnicodeAttribute(hash_key=True)
    interaction_id = UnicodeAttribute(range_key=True)
    tenant_contact = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    contact_phone = UnicodeAttribute()
    business_number = UnicodeAttribute(null=True)
    channel = UnicodeAttribute()
    direction = UnicodeAttribute()
    status = UnicodeAttribute()
    started_at = NumberAttribute()
    queue = UnicodeAttribute(null=True)
    task_id = UnicodeAttribute(null=True)
    queued_at = NumberAttribute(null=True)
    answered_at = NumberAttribute(null=True)
    ringing_at = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)
    duration_seconds = NumberAttribute(null=True)
    agent_id = UnicodeAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    disposition = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    wrapped_up_at = NumberAttribute(null=True)
    recording_url = UnicodeAttribute(null=True)
    transcription = UnicodeAttribute(null=True)
    summary = UnicodeAttribute(null=True)
    hold_count = NumberAttribute(null=True)
    hold_seconds = NumberAttribute(null=True)
    transfers: ListAttribute[Any] = ListAttribute(null=True)  # [{from, to, kind, mode, at}]
    monitoring: ListAttribute[Any] = ListAttribute(null=True)  # [{supervisor_id, mode, at}]
    by_contact = InteractionByContact()
    by_time = InteractionByTime()
