"""Web chat conversations in DynamoDB; returns domain objects."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamo.errors import dynamo_call
from chalicelib.adapters.dynamo.models.chat import ChatModel
from chalicelib.domain.chat import ChatConversation

_EDITABLE = ("visitor_name", "visitor_email", "mode", "task_id", "interaction_id")


def _conversation(m: ChatModel) -> ChatConversation:
    return ChatConversation(
        tenant_id=m.tenant_id, conversation_id=m.conversation_id,
        created_at=float(m.created_at), visitor_name=m.visitor_name,
        visitor_email=m.visitor_email, page_url=m.page_url, mode=m.mode or "chat",
        task_id=m.task_id, interaction_id=m.interaction_id)


class ChatRepository:
    @dynamo_call("create chat conversation")
    def create(self, conversation: ChatConversation) -> None:
        ChatModel(conversation.tenant_id, conversation.conversation_id,
                  created_at=conversation.created_at, visitor_name=conversation.visitor_name,
                  visitor_email=conversation.visitor_email, page_url=conversation.page_url,
                  mode=conversation.mode,
                  ).save(condition=ChatModel.conversation_id.does_not_exist())

    @dynamo_call("get chat conversation")
    def get(self, tenant_id: str, conversation_id: str) -> ChatConversation | None:
        try:
            return _conversation(ChatModel.get(tenant_id, conversation_id,
                                               consistent_read=True))
        except ChatModel.DoesNotExist:
            return None

    @dynamo_call("update chat conversation")
    def update(self, tenant_id: str, conversation_id: str, changes: dict[str, Any]) -> None:
        actions = [getattr(ChatModel, name).set(value) for name, value in changes.items()
                   if name in _EDITABLE]
        if actions:
            ChatModel(tenant_id, conversation_id).update(
                actions=actions, condition=ChatModel.conversation_id.exists())
