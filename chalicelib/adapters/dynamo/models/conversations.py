"""Conversations: thread headers (and per-conversation pointers, consent) and messages."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.adapters.dynamo.base import HotlineModel


class ThreadByContact(GlobalSecondaryIndex["ConversationModel"]):
    class Meta:
        index_name = "by_contact"
        projection = AllProjection()

    tenant_contact = UnicodeAttribute(hash_key=True)
    started_at = NumberAttribute(range_key=True)


class ConversationModel(HotlineModel):
    """Items keyed ``thread#<id>`` (a thread; in the ``by_contact`` index), ``open#<id>``
    (the thread a customer's messages go to now) and ``optout#<business>#<phone>``."""

    class Meta:
        base_name = "conversations"

    tenant_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)
    tenant_contact = UnicodeAttribute(null=True)
    started_at = NumberAttribute(null=True)
    channel = UnicodeAttribute(null=True)
    contact_id = UnicodeAttribute(null=True)
    task_id = UnicodeAttribute(null=True)
    thread_id = UnicodeAttribute(null=True)
    contact_address = UnicodeAttribute(null=True)
    business_address = UnicodeAttribute(null=True)
    message_count = NumberAttribute(null=True)
    last_message_at = NumberAttribute(null=True)
    extra = JSONAttribute(null=True)
    updated_at = NumberAttribute(null=True)
    by_contact = ThreadByContact()


class MessageModel(HotlineModel):
    class Meta:
        base_name = "messages"

    thread_key = UnicodeAttribute(hash_key=True)  # <tenant>#<thread id>
    message_id = UnicodeAttribute(range_key=True)
    direction = UnicodeAttribute()
    author = JSONAttribute()
    body = UnicodeAttribute()
    created_at = NumberAttribute()
    status = UnicodeAttribute()
    media = JSONAttribute(null=True)
    error = JSONAttribute(null=True)
    carrier_sid = UnicodeAttribute(null=True)
