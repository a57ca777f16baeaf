"""Conversation threads, their messages and customers' consent, in DynamoDB.

Each message is its own item (keyed by its id), so two messages arriving at once for one
thread never overwrite each other; the thread's ``message_count`` is an atomic ADD.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import PynamoDBException

from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure
from chalicelib.adapters.dynamo.models.conversations import ConversationModel, MessageModel
from chalicelib.config import Settings
from chalicelib.domain.conversations import Media, Message, Thread
from chalicelib.domain.errors import NotFound


def _thread_key(thread_id: str) -> str:
    return f"thread#{thread_id}"


def _message_key(tenant_id: str, thread_id: str) -> str:
    return f"{tenant_id}#{thread_id}"


def _thread(model: ConversationModel) -> Thread:
    return Thread(
        tenant_id=model.tenant_id, thread_id=str(model.thread_id),
        channel=str(model.channel), contact_id=str(model.contact_id),
        started_at=float(model.started_at or 0), task_id=model.task_id,
        contact_address=model.contact_address, business_address=model.business_address,
        message_count=int(model.message_count or 0),
        last_message_at=float(model.last_message_at) if model.last_message_at else None,
        extra=dict(model.extra or {}))


def _message(model: MessageModel) -> Message:
    tenant_id, _, thread_id = model.thread_key.partition("#")
    return Message(
        tenant_id=tenant_id, thread_id=thread_id, message_id=model.message_id,
        direction=model.direction, author=dict(model.author), body=model.body,
        created_at=float(model.created_at), status=model.status,
        media=tuple(Media(str(m["url"]), str(m["content_type"])) for m in model.media or []),
        error=dict(model.error) if model.error else None, carrier_sid=model.carrier_sid)


def _message_model(message: Message) -> MessageModel:
    return MessageModel(
        _message_key(message.tenant_id, message.thread_id), message.message_id,
        direction=message.direction, author=dict(message.author), body=message.body,
        created_at=message.created_at, status=message.status,
        media=[{"url": m.url, "content_type": m.content_type} for m in message.media] or None,
        error=message.error, carrier_sid=message.carrier_sid)


class ConversationRepository:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    # --- threads --------------------------------------------------------------------
    @dynamo_call("create thread")
    def create_thread(self, thread: Thread) -> Thread:
        """Create the thread once (a retry finds the first) and point the customer's
        conversation at it."""
        model = ConversationModel(
            thread.tenant_id, _thread_key(thread.thread_id), thread_id=thread.thread_id,
            tenant_contact=f"{thread.tenant_id}#{thread.contact_id}",
            started_at=thread.started_at, channel=thread.channel,
            contact_id=thread.contact_id, task_id=thread.task_id,
            contact_address=thread.contact_address,
            business_address=thread.business_address, message_count=0,
            extra=thread.extra or None)
        try:
            model.save(condition=ConversationModel.key.does_not_exist())
        except PynamoDBException as exc:
            if not is_conditional_failure(exc):
                raise
            existing = self.get_thread(thread.tenant_id, thread.thread_id)
            return existing or thread
        return thread

    @dynamo_call("open thread")
    def point(self, tenant_id: str, conversation: str, thread_id: str) -> None:
        ConversationModel(tenant_id, f"open#{conversation}", thread_id=thread_id).save()

    @dynamo_call("link thread")
    def set_task(self, tenant_id: str, thread_id: str, task_id: str) -> None:
        ConversationModel(tenant_id, _thread_key(thread_id)).update(
            actions=[ConversationModel.task_id.set(task_id)],
            condition=ConversationModel.key.exists())

    @dynamo_call("read open thread")
    def pointed(self, tenant_id: str, conversation: str) -> str | None:
        try:
            model = ConversationModel.get(tenant_id, f"open#{conversation}",
                                          consistent_read=True)
        except ConversationModel.DoesNotExist:
            return None
        return model.thread_id

    @dynamo_call("get thread")
    def get_thread(self, tenant_id: str, thread_id: str) -> Thread | None:
        try:
            return _thread(ConversationModel.get(tenant_id, _thread_key(thread_id),
                                                 consistent_read=True))
        except ConversationModel.DoesNotExist:
            return None

    @dynamo_call("threads of contact")
    def threads_of_contact(self, tenant_id: str, contact_id: str,
                           limit: int = 10) -> list[Thread]:
        """The contact's threads, newest first."""
        return [_thread(m) for m in ConversationModel.by_contact.query(
            f"{tenant_id}#{contact_id}", scan_index_forward=False, limit=limit)]

    # --- messages -------------------------------------------------------------------
    @dynamo_call("add message")
    def add_message(self, message: Message) -> bool:
        """Store the message, then count it on its thread; False if it was already there.

        Two requests, not a transaction: concurrent transactions on one thread item would
        cancel each other (TransactionConflict), while an atomic ADD never conflicts."""
        try:
            _message_model(message).save(condition=MessageModel.message_id.does_not_exist())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        try:
            ConversationModel(message.tenant_id, _thread_key(message.thread_id)).update(
                actions=[ConversationModel.message_count.add(1),
                         ConversationModel.last_message_at.set(message.created_at)],
                condition=ConversationModel.key.exists())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                raise NotFound(f"thread {message.thread_id} not found") from exc
            raise
        return True

    @dynamo_call("list messages")
    def messages(self, tenant_id: str, thread_id: str, limit: int = 500) -> list[Message]:
        return [_message(m) for m in MessageModel.query(
            _message_key(tenant_id, thread_id), consistent_read=True, limit=limit)]

    @dynamo_call("get message")
    def get_message(self, tenant_id: str, thread_id: str, message_id: str) -> Message | None:
        try:
            return _message(MessageModel.get(_message_key(tenant_id, thread_id), message_id,
                                             consistent_read=True))
        except MessageModel.DoesNotExist:
            return None

    @dynamo_call("update message")
    def update_message(self, message: Message, expected_status: str) -> bool:
        """Write the message's status, error and carrier SID if its status is still
        ``expected_status`` (two status callbacks at once: one wins, the other re-reads)."""
        model = MessageModel(_message_key(message.tenant_id, message.thread_id),
                             message.message_id)
        actions: list[Any] = [MessageModel.status.set(message.status)]
        if message.error is not None:
            actions.append(MessageModel.error.set(message.error))
        if message.carrier_sid:
            actions.append(MessageModel.carrier_sid.set(message.carrier_sid))
        try:
            model.update(actions=actions, condition=MessageModel.status == expected_status)
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    # --- consent --------------------------------------------------------------------
    @dynamo_call("set consent")
    def set_opted_out(self, tenant_id: str, business: str, phone: str, opted_out: bool,
                      at: float) -> None:
        model = ConversationModel(tenant_id, f"optout#{business}#{phone}")
        if opted_out:
            model.updated_at = at
            model.save()
        else:
            model.delete()

    @dynamo_call("read consent")
    def opted_out(self, tenant_id: str, business: str, phone: str) -> bool:
        try:
            ConversationModel.get(tenant_id, f"optout#{business}#{phone}",
                                  consistent_read=True)
        except ConversationModel.DoesNotExist:
            return False
        return True
