"""The widget's public side: start a chat, send, and read the thread by long poll.

A visitor is authorised by a signed token bound to one conversation (``tokens.py``).
A visitor's first message (and the first after the task closed) queues a chat task
through the routing service's ``enqueue_message``, as an SMS conversation does, and
records a CRM interaction with channel "chat" (the contact keyed by email when given).
The messages are stored in the conversation store (CHANNELS), on the thread whose id is
the conversation id, so the agent reads and answers through ``/api/tasks/{id}/messages``.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.domain.chat import ChatConversation, same_key, widget_tenant
from chalicelib.domain.conversations import Message, check_body, message_view, ordered
from chalicelib.domain.crm import contact_id_for
from chalicelib.domain.errors import HotlineError, InvalidInput, NotFound
from chalicelib.domain.flows.hours import is_open
from chalicelib.domain.identity import Tenant
from chalicelib.domain.routing.model import WAITING_STATUSES, Task, TaskStatus
from chalicelib.services.chat.keys import WidgetKeys
from chalicelib.services.chat.ports import (
    Agents,
    ChatStore,
    Crm,
    Interactions,
    Limiter,
    Router,
    Tenants,
    ThreadReader,
    Threads,
)
from chalicelib.services.chat.tokens import VisitorTokens

log = logging.getLogger("hotline.chat")

DEFAULT_QUEUE = "support"
# Fixed windows (per minute): generous for people, tight for scripts.
STARTS_PER_IP, STARTS_PER_KEY = 30, 300
SENDS_PER_IP, SENDS_PER_CONVERSATION = 120, 20
READS_PER_IP = 600
POLL_STEP_SECONDS = 1.0


class ChatVisitors:
    def __init__(self, store: ChatStore, tenants: Tenants, agents: Agents, router: Router,
                 threads: Threads, reader: ThreadReader, crm: Crm, interactions: Interactions,
                 limiter: Limiter, tokens: VisitorTokens, *, max_wait: float = 20.0,
                 queue: str = DEFAULT_QUEUE, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep,
                 on_start: Callable[[str, str, float], object] | None = None,
                 admit: Callable[[Tenant], None] | None = None) -> None:
        # the tenant gate (services/tenancy): a 403 the widget shows when the business is
        # not active or web chat is off; without it, an inactive business has no chat
        self.admit = admit
        self.store, self.tenants, self.agents, self.router = store, tenants, agents, router
        self.on_start = on_start  # billing: one chat conversation metered per start
        self.threads, self.reader = threads, reader
        self.crm, self.interactions = crm, interactions
        self.limiter, self.tokens = limiter, tokens
        self.max_wait, self.queue, self.clock, self.sleep = max_wait, queue, clock, sleep

    # --- the business ------------------------------------------------------------------
    def tenant_of_key(self, widget_key: str) -> Tenant:
        tenant_id = widget_tenant(widget_key)
        stored = self.tenants.widget_key(tenant_id) if tenant_id else None
        tenant = self.tenants.get(tenant_id) if tenant_id and stored else None
        if tenant is None or not same_key(widget_key, stored) or \
                (self.admit is None and tenant.status != "active"):
            raise NotFound("no chat is set up for this widget key")
        if self.admit is not None:
            self.admit(tenant)
        return tenant

    def availability(self, tenant: Tenant) -> dict[str, Any]:
        """Open (the tenant's hours) and whether an agent has room for a chat now."""
        hours: Any = tenant.profile.get("hours") or {}
        holidays: Any = tenant.profile.get("holidays") or []
        open_now = not hours or is_open(self.clock(), tenant.timezone, hours,
                                        [str(h) for h in holidays])
        free = open_now and bool(self.agents.ready_agents(tenant.tenant_id, "chat", limit=1))
        mode = "chat" if free else ("queue" if open_now else "after_hours")
        return {"open": open_now, "agents_available": free, "mode": mode,
                "business": tenant.name}

    def status(self, widget_key: str, source: str) -> dict[str, Any]:
        """GET /chat/{widget_key}/status: what the widget should ask before a chat."""
        self.limiter.hit(f"chat-read#{source}", READS_PER_IP, 60)
        return self.availability(self.tenant_of_key(widget_key))

    # --- visitor -----------------------------------------------------------------------
    def start(self, widget_key: str, body: dict[str, Any], source: str) -> dict[str, Any]:
        """POST /chat/{widget_key}/conversations."""
        self.limiter.hit(f"chat-start#{source}", STARTS_PER_IP, 60)
        self.limiter.hit(f"chat-start-key#{widget_key[:100]}", STARTS_PER_KEY, 60)
        tenant = self.tenant_of_key(widget_key)
        state = self.availability(tenant)
        email = _email(body.get("email"))
        if state["mode"] == "after_hours" and not email:
            raise InvalidInput("we're closed: leave an email so we can answer", path="email")
        conversation = ChatConversation(
            tenant_id=tenant.tenant_id, conversation_id="ch_" + secrets.token_hex(10),
            created_at=self.clock(), visitor_name=_clean(body.get("name")),
            visitor_email=email, page_url=_clean(body.get("page_url"), 500),
            mode=state["mode"])
        self.store.create(conversation)
        if self.on_start is not None:
            self.on_start(tenant.tenant_id, conversation.conversation_id,
                          conversation.created_at)
        log.info("chat %s started for tenant %s (%s)", conversation.conversation_id,
                 tenant.tenant_id, state["mode"])
        return {"conversation_id": conversation.conversation_id,
                "visitor_token": self.tokens.issue(tenant.tenant_id,
                                                   conversation.conversation_id),
                **state}

    def _conversation(self, token: str, conversation_id: str) -> ChatConversation:
        visitor = self.tokens.verify(token, conversation_id)
        found = self.store.get(visitor.tenant_id, conversation_id)
        if found is None:
            raise NotFound("this chat no longer exists")
        return found

    def send(self, token: str, conversation_id: str, body: dict[str, Any],
             source: str) -> dict[str, Any]:
        """POST /chat/conversations/{id}/messages: the visitor writes."""
        self.limiter.hit(f"chat-send#{source}", SENDS_PER_IP, 60)
        conversation = self._conversation(token, conversation_id)
        self.limiter.hit(f"chat-send-conv#{conversation_id}", SENDS_PER_CONVERSATION, 60)
        text = check_body(body.get("body")).strip()
        conversation = self._identify(conversation, body)
        task = self._route(conversation, text)
        message = Message(
            tenant_id=conversation.tenant_id, thread_id=conversation_id,
            message_id="msg_" + secrets.token_hex(10), direction="inbound",
            author={"kind": "customer", "name": conversation.visitor_name or "Visitor"},
            body=text, created_at=self.clock(), status="received")
        self.threads.add_inbound(task, message)
        return {"message": message_view(message)}

    def read(self, token: str, conversation_id: str, after: int, wait: float,
             source: str, known_state: str | None = None) -> dict[str, Any]:
        """GET /chat/conversations/{id}/messages?after=N&wait=S[&state=X]: the whole thread
        once it holds more than N messages, waiting up to S seconds (a long poll) until it
        does, or until the chat's state is no longer X (when X is given).

        ``after`` counts messages, not a position in time: a message stored a moment late
        (an agent's reply written while the visitor's own was read) still raises the
        count, so it is never skipped; the widget places messages by their id.
        ``state``: "new" (nothing sent yet), "waiting" (queued), "connected" (an agent
        holds it, named in ``agent``) or "ended" (wrapped up: a new message reopens it)."""
        self.limiter.hit(f"chat-read#{source}", READS_PER_IP, 60)
        conversation = self._conversation(token, conversation_id)
        tenant_id = conversation.tenant_id
        deadline = self.clock() + max(0.0, min(wait, self.max_wait))
        count = self._count(tenant_id, conversation_id)
        state = self._state(conversation)
        while (count <= after and (known_state is None or state[0] == known_state)
               and self.clock() < deadline):
            self.sleep(min(POLL_STEP_SECONDS, max(0.0, deadline - self.clock())))
            count = self._count(tenant_id, conversation_id)
            if known_state is not None:
                state = self._state(conversation)
        if known_state is None:
            state = self._state(conversation)
        view: dict[str, Any] = {"conversation_id": conversation_id, "mode": conversation.mode,
                                "state": state[0], "agent": state[1],
                                "visitor": {"name": conversation.visitor_name,
                                            "email": conversation.visitor_email},
                                "messages": [], "next": max(after, count) if count else 0}
        if count > after:
            messages = ordered(self.reader.messages(tenant_id, conversation_id))
            view["messages"] = [_public(message_view(m)) for m in messages]
            view["next"] = len(messages)
        return view

    def _count(self, tenant_id: str, conversation_id: str) -> int:
        thread = self.reader.get_thread(tenant_id, conversation_id)
        return thread.message_count if thread is not None else 0

    def _state(self, conversation: ChatConversation) -> tuple[str, str | None]:
        """The chat's state for the visitor, and the name of the agent who holds it."""
        task_id = conversation.task_id
        if task_id is None:  # queued since this request read the chat?
            current = self.store.get(conversation.tenant_id, conversation.conversation_id)
            task_id = current.task_id if current is not None else None
        if task_id is None:
            return "new", None
        try:
            task = self.router.task(conversation.tenant_id, task_id)
        except NotFound:
            return "ended", None
        if task.status in WAITING_STATUSES:
            return "waiting", None
        if task.status is TaskStatus.ASSIGNED and task.assigned_agent:
            agent = self.agents.get_agent(conversation.tenant_id, task.assigned_agent)
            return "connected", (agent.name if agent is not None and agent.name else "Agent")
        return "ended", None

    # --- routing and the CRM -------------------------------------------------------------
    def _identify(self, conversation: ChatConversation,
                  body: dict[str, Any]) -> ChatConversation:
        """A name or email given with a message (the busy form) is kept on the chat; the
        email only before the chat is queued (its CRM contact is keyed by it)."""
        changes: dict[str, Any] = {}
        name, email = _clean(body.get("name")), _email(body.get("email"))
        if name and name != conversation.visitor_name:
            changes["visitor_name"] = name
        if email and email != conversation.visitor_email and conversation.task_id is None:
            changes["visitor_email"] = email
        if not changes:
            return conversation
        self.store.update(conversation.tenant_id, conversation.conversation_id, changes)
        return replace(conversation, **changes)

    def _route(self, conversation: ChatConversation, text: str) -> Task:
        """The chat's task: queued on the first message, and again once the last closed."""
        tenant_id, cid = conversation.tenant_id, conversation.conversation_id
        if conversation.task_id is not None:
            try:
                current = self.router.task(tenant_id, conversation.task_id)
            except NotFound:
                current = None
            if current is not None and current.is_active:
                return current
        # A chat whose task closed opens a new one: its id follows from the closed task's,
        # so two messages racing here still make one task (enqueue_message's key).
        interaction_id = (cid if conversation.task_id is None
                          else f"{cid}.{conversation.task_id[-10:]}")
        contact = conversation.contact_key
        self.crm.record_started(tenant_id, interaction_id, contact, None, "chat", "inbound")
        self._remember_visitor(conversation)
        task = self.router.enqueue_message(
            tenant_id=tenant_id, conversation_id=cid, interaction_id=interaction_id,
            queue=self.queue, contact=contact, channel="chat",
            attributes={"thread_id": cid, "name": conversation.visitor_name or "",
                        "email": conversation.visitor_email or "",
                        "after_hours": conversation.mode == "after_hours"})
        self.threads.open_thread(task, "chat", contact_id_for(tenant_id, contact), None, None,
                                 extra={"name": conversation.visitor_name,
                                        "email": conversation.visitor_email,
                                        "page_url": conversation.page_url})
        self.store.update(tenant_id, cid, {"task_id": task.task_id,
                                           "interaction_id": interaction_id})
        try:
            self.crm.record_queued(tenant_id, interaction_id, task.queue, task.task_id)
            self.interactions.update_interaction(tenant_id, interaction_id,
                                                 {"summary": text[:500]})
        except HotlineError as exc:
            log.warning("chat %s: CRM queue record failed: %s", cid, exc.message)
        return task

    def _remember_visitor(self, conversation: ChatConversation) -> None:
        changes = {k: v for k, v in (("name", conversation.visitor_name),
                                     ("email", conversation.visitor_email)) if v}
        if not changes:
            return
        contact_id = contact_id_for(conversation.tenant_id, conversation.contact_key)
        try:
            self.crm.update_contact(conversation.tenant_id, contact_id, changes)
        except HotlineError as exc:
            log.warning("chat %s: contact not updated: %s", conversation.conversation_id,
                        exc.message)

    # --- the widget key ------------------------------------------------------------------
    def widget_key(self, tenant_id: str) -> str:
        """The tenant's public widget key, made on first use (first writer wins)."""
        return WidgetKeys(self.tenants).ensure(tenant_id)


def _public(view: dict[str, Any]) -> dict[str, Any]:
    """What a visitor may see of a message: never an agent's user id."""
    author = {k: v for k, v in view["author"].items() if k in ("kind", "name")}
    return {**view, "author": author}


def _clean(value: Any, limit: int = 100) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text[:limit] or None


def _email(value: Any) -> str | None:
    text = _clean(value, 254)
    if text is None:
        return None
    local, _, domain = text.partition("@")
    if not local or "." not in domain or " " in text:
        raise InvalidInput("email must be an address like name@example.com", path="email")
    return text.lower()
