"""Web chat conversations: who the visitor is, the chat's mode and its current task.

The messages themselves are in the conversations table (models/conversations.py), on the
thread whose id is the conversation id.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute

from chalicelib.adapters.dynamo.base import HotlineModel


class ChatModel(HotlineModel):
    class Meta:
        base_name = "chat"

    tenant_id = UnicodeAttribute(hash_key=True)
    conversation_id = UnicodeAttribute(range_key=True)
    created_at = NumberAttribute()
    visitor_name = UnicodeAttribute(null=True)
    visitor_email = UnicodeAttribute(null=True)
    page_url = UnicodeAttribute(null=True)
    mode = UnicodeAttribute(null=True)
    task_id = UnicodeAttribute(null=True)
    interaction_id = UnicodeAttribute(null=True)
