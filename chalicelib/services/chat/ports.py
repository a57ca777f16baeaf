"""What the chat services need from the rest of Hotline (built and passed in by wiring)."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.chat import ChatConversation
from chalicelib.domain.conversations import Message, Thread
from chalicelib.domain.identity import Tenant
from chalicelib.domain.routing.model import Agent, Task


class ChatStore(Protocol):
    def create(self, conversation: ChatConversation) -> None: ...
    def get(self, tenant_id: str, conversation_id: str) -> ChatConversation | None: ...
    def update(self, tenant_id: str, conversation_id: str, changes: dict[str, Any]) -> None: ...


class Threads(Protocol):
    """CHANNELS' conversation service (services/conversations/threads.py)."""

    def open_thread(self, task: Task, channel: str, contact_id: str,
                    contact_address: str | None, business_address: str | None,
                    conversation: str | None = None,
                    extra: dict[str, Any] | None = None) -> Thread: ...
    def add_inbound(self, task: Task, message: Message) -> None: ...


class ThreadReader(Protocol):
    """CHANNELS' conversation store, read only."""

    def get_thread(self, tenant_id: str, thread_id: str) -> Thread | None: ...
    def messages(self, tenant_id: str, thread_id: str, limit: int = 500) -> list[Message]: ...


class Tenants(Protocol):
    def get(self, tenant_id: str) -> Tenant | None: ...
    def widget_key(self, tenant_id: str) -> str | None: ...
    def save_widget_key(self, tenant_id: str, key: str) -> str: ...


class Agents(Protocol):
    def ready_agents(self, tenant_id: str, channel: str, limit: int | None = None
                     ) -> list[Agent]: ...
    def get_agent(self, tenant_id: str, agent_id: str) -> Agent | None: ...


class Router(Protocol):
    def task(self, tenant_id: str, task_id: str) -> Task: ...
    def enqueue_message(self, *, tenant_id: str, conversation_id: str, interaction_id: str,
                        queue: str, priority: int = 0, timeout: int | None = None,
                        attributes: dict[str, Any] | None = None, contact: str | None = None,
                        business_number: str | None = None, channel: str = "sms") -> Task: ...


class Crm(Protocol):
    def record_started(self, tenant_id: str, interaction_id: str, contact_phone: str,
                       business_number: str | None, channel: str, direction: str) -> Any: ...
    def record_queued(self, tenant_id: str, interaction_id: str, queue: str,
                      task_id: str) -> Any: ...
    def update_contact(self, tenant_id: str, contact_id: str, body: dict[str, Any]) -> Any: ...


class Interactions(Protocol):
    def update_interaction(self, tenant_id: str, interaction_id: str, changes: dict[str, Any],
                           only_if_absent: tuple[str, ...] = (),
                           unless_ended: bool = False) -> Any: ...


class Limiter(Protocol):
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None: ...
