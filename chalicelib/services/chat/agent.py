"""The agent's side of a web chat task: read the thread and reply.

``/api/tasks/{id}/messages`` is CHANNELS' route (services/conversations); for a task
with channel "chat" it hands over to this class. The messages live in the same
conversation store as SMS, on the thread whose id is the chat's conversation id, so the
answer has the same shape (wave2-contract.md) and the visitor reads the reply from there.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.conversations import Message, Thread, check_body, message_view
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.routing.model import Task
from chalicelib.services.chat.ports import Agents, ChatStore, Router, Threads
from chalicelib.services.conversations.threads import thread_view


class ThreadStore(Protocol):
    def get_thread(self, tenant_id: str, thread_id: str) -> Thread | None: ...
    def threads_of_contact(self, tenant_id: str, contact_id: str,
                           limit: int = 10) -> list[Thread]: ...
    def messages(self, tenant_id: str, thread_id: str, limit: int = 500) -> list[Message]: ...


class ChatAgents:
    def __init__(self, chats: ChatStore, threads: Threads, store: ThreadStore, router: Router,
                 agents: Agents, clock: Callable[[], float] = time.time) -> None:
        self.chats, self.threads, self.store = chats, threads, store
        self.router, self.agents, self.clock = router, agents, clock

    def _task(self, who: Principal, task_id: str) -> tuple[Task, Thread]:
        # Read under the caller's own tenant: another tenant's task is simply not found.
        task = self.router.task(who.tenant_id, task_id)
        who.owns(task.tenant_id)
        if task.channel != "chat":
            raise NotFound(f"task {task_id} is not a web chat")
        if task.assigned_agent != who.user_id and who.role is Role.AGENT:
            raise Forbidden("only the agent holding this chat can read it")
        thread_id = str(task.attributes.get("thread_id")
                        or task.attributes.get("conversation_id") or "")
        thread = self.store.get_thread(who.tenant_id, thread_id) if thread_id else None
        if thread is None:
            raise NotFound(f"task {task_id} has no conversation yet")
        return task, thread

    def thread(self, who: Principal, task_id: str) -> dict[str, Any]:
        """GET /api/tasks/{id}/messages for a chat task."""
        task, thread = self._task(who, task_id)
        chat = self.chats.get(who.tenant_id, thread.thread_id)
        contact: dict[str, Any] = {"contact_id": thread.contact_id}
        name = chat.visitor_name if chat else thread.extra.get("name")
        email = chat.visitor_email if chat else thread.extra.get("email")
        if name:
            contact["name"] = name
        if email:
            contact["email"] = email
        return {**thread_view(self.store, thread, contact), "channel": "chat",
                "page_url": chat.page_url if chat else None,
                "after_hours": bool(task.attributes.get("after_hours"))}

    def reply(self, who: Principal, task_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /api/tasks/{id}/messages for a chat task: stored on the thread, where the
        visitor's long poll finds it."""
        text = check_body(body.get("body"))
        task, thread = self._task(who, task_id)
        if task.assigned_agent != who.user_id:
            raise Forbidden("only the agent holding this chat can reply")
        if not task.is_active:
            raise NotFound(f"task {task_id} is over; its chat is closed")
        agent = self.agents.get_agent(who.tenant_id, who.user_id)
        author = {"kind": "agent", "agent_id": who.user_id,
                  "name": agent.name if agent is not None and agent.name else "Agent"}
        message = Message(tenant_id=who.tenant_id, thread_id=thread.thread_id,
                          message_id="msg_" + secrets.token_hex(10), direction="outbound",
                          author=author, body=text, created_at=self.clock(), status="sent")
        self.threads.add_inbound(task, message)  # stores it and counts it on the task
        return {"message": message_view(message)}
