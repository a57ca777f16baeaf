"""The agent's side of a conversation: read the thread, reply, follow delivery.

A reply is stored first (``queued``), then sent through the outbox (at most once: an
item that a dead Lambda left running is never sent again), with a ``StatusCallback``
to ``/twilio/sms/status`` that moves the message's status on.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol
from urllib.parse import urlencode

from chalicelib.domain.conversations import (
    WHATSAPP,
    Message,
    OptedOut,
    Thread,
    advances,
    bare,
    check_body,
    message_view,
    ordered,
)
from chalicelib.domain.errors import Forbidden, HotlineError, NotFound, Unavailable
from chalicelib.domain.identity import Principal, Role, Tenant
from chalicelib.domain.outbox import OutboxItem
from chalicelib.domain.phone import mask
from chalicelib.domain.routing.model import Task, TaskKind
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.conversations")

SEND_REPLY = "carrier.send_reply"
HANDOFF_SECONDS = 120.0  # a thread whose task never came (the queue is gone) expires
STATUS_PATH = "/twilio/sms/status"



EARLIER_THREADS = 5


def thread_view(store: Any, thread: Thread, contact: dict[str, Any]) -> dict[str, Any]:
    """``GET /api/tasks/{id}/messages``: the thread, oldest message first, and up to
    ``EARLIER_THREADS`` earlier threads of the same contact (SMS, WhatsApp and chat alike)."""
    earlier = [t for t in store.threads_of_contact(thread.tenant_id, thread.contact_id)
               if t.thread_id != thread.thread_id and t.started_at <= thread.started_at]

    def messages(of: Thread) -> list[dict[str, Any]]:
        return [message_view(m) for m in ordered(store.messages(of.tenant_id, of.thread_id))]

    return {
        "conversation_id": thread.thread_id, "channel": thread.channel, "contact": contact,
        "messages": messages(thread),
        "earlier": [{"conversation_id": t.thread_id, "channel": t.channel,
                     "started_at": t.started_at, "messages": messages(t)}
                    for t in earlier[:EARLIER_THREADS]],
    }

class ThreadStore(Protocol):
    def create_thread(self, thread: Thread) -> Thread: ...
    def point(self, tenant_id: str, conversation: str, thread_id: str) -> None: ...
    def pointed(self, tenant_id: str, conversation: str) -> str | None: ...
    def get_thread(self, tenant_id: str, thread_id: str) -> Thread | None: ...
    def threads_of_contact(self, tenant_id: str, contact_id: str,
                           limit: int = 10) -> list[Thread]: ...
    def add_message(self, message: Message) -> bool: ...
    def messages(self, tenant_id: str, thread_id: str, limit: int = 500) -> list[Message]: ...
    def get_message(self, tenant_id: str, thread_id: str,
                    message_id: str) -> Message | None: ...
    def update_message(self, message: Message, expected_status: str) -> bool: ...
    def set_task(self, tenant_id: str, thread_id: str, task_id: str) -> None: ...
    def set_opted_out(self, tenant_id: str, business: str, phone: str, opted_out: bool,
                      at: float) -> None: ...
    def opted_out(self, tenant_id: str, business: str, phone: str) -> bool: ...


class Tasks(Protocol):
    def task(self, tenant_id: str, task_id: str) -> Task: ...
    def update_task(self, tenant_id: str, task_id: str, change: Callable[[Task], Task | None],
                    known: Task | None = None) -> Task | None: ...


class Sender(Protocol):
    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = (),
                     status_callback: str | None = None) -> str: ...


class Contacts(Protocol):
    def get_contact(self, tenant_id: str, contact_id: str) -> Any: ...


def thread_id_of(task: Task) -> str:
    """A task's thread: CHAT names its conversation in ``thread_id``; an SMS or WhatsApp
    task's thread is the task itself."""
    return str(task.attributes.get("thread_id") or task.task_id)


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(10)


class ConversationService:
    def __init__(self, store: ThreadStore, tasks: Tasks, sender: Sender, outbox: Any,
                 tenants: Callable[[str], Tenant | None], public_url: Callable[[str], str],
                 contacts: Contacts | None = None,
                 chat: Callable[[], Any] | None = None,
                 clock: Callable[[], float] = time.time,
                 outbound: Callable[[str, str], None] | None = None) -> None:
        self.outbound = outbound  # the tenant gate: active, the medium's permission, cap
        self.store = store
        self.tasks = tasks
        self.sender = sender
        self.outbox = outbox
        self.tenants = tenants
        self.public_url = public_url
        self.contacts = contacts
        self.chat = chat  # CHAT's agent side (services/chat): web chat tasks' threads
        self.clock = clock
        outbox.register(SEND_REPLY, self._send_item, at_most_once=True)

    # --- who may see a task's thread ------------------------------------------------
    def _task(self, who: Principal, task_id: str) -> Task:
        task = self.tasks.task(who.tenant_id, task_id)
        who.owns(task.tenant_id)
        if task.kind is not TaskKind.MESSAGE:
            raise NotFound(f"task {task_id} has no messages")
        if task.assigned_agent != who.user_id and who.role is Role.AGENT:
            raise Forbidden("only the agent holding this task can read its messages")
        return task

    def task_view(self, who: Principal, task_id: str) -> dict[str, Any]:
        """GET /api/tasks/{id}: the caller's own tenant; the agent holding it, or a
        supervisor."""
        from chalicelib.domain.routing.views import task_view

        task = self.tasks.task(who.tenant_id, task_id)
        who.owns(task.tenant_id)
        if task.assigned_agent != who.user_id and who.role is Role.AGENT:
            raise Forbidden("only the agent holding this task can see it")
        return task_view(task, self.clock())

    def _thread(self, task: Task) -> Thread:
        thread = self.store.get_thread(task.tenant_id, thread_id_of(task))
        if thread is None:
            raise NotFound(f"task {task.task_id} has no conversation yet")
        return thread

    # --- reading --------------------------------------------------------------------
    def _is_chat(self, who: Principal, task_id: str) -> bool:
        return self.chat is not None and \
            self.tasks.task(who.tenant_id, task_id).channel == "chat"

    def read(self, who: Principal, task_id: str) -> dict[str, Any]:
        if self._is_chat(who, task_id):
            assert self.chat is not None
            return dict(self.chat().thread(who, task_id))
        task = self._task(who, task_id)
        thread = self._thread(task)
        return thread_view(self.store, thread, self._contact(thread))

    def _contact(self, thread: Thread) -> dict[str, Any]:
        view: dict[str, Any] = {"contact_id": thread.contact_id}
        if thread.contact_address and thread.channel != "chat":
            view["phone"] = bare(thread.contact_address)
        found = self.contacts.get_contact(thread.tenant_id, thread.contact_id) \
            if self.contacts else None
        for name in ("phone", "name", "email"):
            value = getattr(found, name, None) if found is not None else None
            if value:
                view[name] = value
        for name in ("name", "email"):
            if thread.extra.get(name) and name not in view:
                view[name] = thread.extra[name]
        return view

    # --- replying -------------------------------------------------------------------
    def reply(self, who: Principal, task_id: str, body: Any) -> dict[str, Any]:
        text = check_body(body)
        if self._is_chat(who, task_id):
            assert self.chat is not None
            if self.outbound is not None:
                self.outbound(who.tenant_id, "chat")
            return dict(self.chat().reply(who, task_id, {"body": text}))
        task = self._task(who, task_id)
        if task.assigned_agent != who.user_id:
            raise Forbidden("only the agent holding this task can reply")
        if not task.is_active:
            raise NotFound(f"task {task_id} is over; its conversation is closed")
        thread = self._thread(task)
        if self.outbound is not None:  # sms_out, whatsapp_out or chat, by the thread
            self.outbound(task.tenant_id, {"whatsapp": "whatsapp_out", "chat": "chat"}.get(
                thread.channel, "sms_out"))
        tenant = self.tenants(task.tenant_id)
        if tenant is None:
            raise NotFound(f"tenant {task.tenant_id} not found")
        if thread.channel != "chat":
            if not thread.contact_address or not thread.business_address:
                raise NotFound("this conversation has no address to reply to")
            if self.store.opted_out(task.tenant_id, bare(thread.business_address),
                                    bare(thread.contact_address)):
                raise OptedOut("the customer opted out (texted STOP); nothing was sent. "
                               "They can text START to opt back in")
        message = Message(
            tenant_id=task.tenant_id, thread_id=thread.thread_id,
            message_id=new_message_id(), direction="outbound",
            author={"kind": "agent", "agent_id": who.user_id}, body=text,
            created_at=self.clock(), status="queued" if thread.channel != "chat" else "sent")
        self.store.add_message(message)
        self._count(task, message.created_at)
        if thread.channel != "chat":
            self._send(message, thread)
            message = self.store.get_message(task.tenant_id, thread.thread_id,
                                             message.message_id) or message
        return {"message": message_view(message)}

    def _send(self, message: Message, thread: Thread) -> None:
        status_callback = self.public_url(STATUS_PATH + "?" + urlencode(sorted({
            "t": message.tenant_id, "th": message.thread_id, "m": message.message_id}.items())))
        event = f"reply#{message.tenant_id}#{message.message_id}"
        item = self.outbox.item(event, "send", message.tenant_id, SEND_REPLY, {
            "thread_id": message.thread_id, "message_id": message.message_id,
            "from": thread.business_address, "to": thread.contact_address,
            "body": message.body, "status_callback": status_callback})
        self.outbox.store.add(item, "pending", item.created_at + self.outbox.grace_seconds)
        self.outbox.run_staged([item])

    def _send_item(self, item: OutboxItem) -> str:
        p = item.payload
        tenant = self.tenants(item.tenant_id)
        if tenant is None:
            raise NotFound(f"tenant {item.tenant_id} not found")
        queued = self.store.get_message(item.tenant_id, str(p["thread_id"]),
                                        str(p["message_id"]))
        try:
            sid = self.sender.send_message(tenant, str(p["from"]), str(p["to"]),
                                           str(p["body"]),
                                           status_callback=str(p["status_callback"]))
        except Unavailable as exc:
            # Twilio 5xx/429/timeout: the outbox tries again later; the last try fails it.
            if queued is not None and item.attempts >= self.outbox.max_attempts:
                self._move(replace(queued, status="failed",
                                   error={"code": None, "message": exc.message}))
            raise
        except HotlineError as exc:
            if queued is not None:
                self._move(replace(queued, status="failed",
                                   error={"code": None, "message": exc.message}))
            raise
        log.info("reply %s sent to %s as %s", p["message_id"], mask(str(p["to"])), sid)
        if queued is not None:
            self._move(replace(queued, carrier_sid=sid), force_sid=True)
        return sid

    def _move(self, message: Message, force_sid: bool = False) -> None:
        """Write the new status (or SID) unless a later status already landed."""
        for _ in range(3):
            current = self.store.get_message(message.tenant_id, message.thread_id,
                                             message.message_id)
            if current is None:
                return
            if force_sid:
                wanted = replace(current, carrier_sid=message.carrier_sid)
            elif advances(current.status, message.status):
                wanted = replace(current, status=message.status, error=message.error)
            else:
                return
            if self.store.update_message(wanted, current.status):
                return

    def on_status(self, hook: Webhook) -> str:
        """POST /twilio/sms/status: Twilio's MessageStatus for one of our replies."""
        tenant_id = hook.query.get("t", "")
        if hook.tenant is not None and hook.tenant.tenant_id != tenant_id:
            raise Forbidden("the message belongs to another account")
        self.status_callback(tenant_id, hook.query.get("th", ""), hook.query.get("m", ""),
                             hook.require("MessageStatus"), hook.params.get("ErrorCode"),
                             hook.params.get("MessageSid"))
        return ""

    def status_callback(self, tenant_id: str, thread_id: str, message_id: str,
                        status: str, error_code: str | None, sid: str | None) -> None:
        """Move one reply's status on (a late or repeated callback changes nothing)."""
        error = None
        if status in ("failed", "undelivered"):
            error = {"code": int(error_code) if error_code and error_code.isdigit()
                     else error_code,
                     "message": _error_text(error_code)}
        current = self.store.get_message(tenant_id, thread_id, message_id)
        if current is None:
            raise NotFound(f"message {message_id} not found")
        self._move(replace(current, status=status, error=error, carrier_sid=sid))

    def _count(self, task: Task, at: float) -> None:
        thread = self.store.get_thread(task.tenant_id, thread_id_of(task))
        count = thread.message_count if thread else 0

        def bump(current: Task) -> Task | None:
            if int(current.attributes.get("message_count") or 0) >= count:
                return None
            return replace(current, attributes={**current.attributes,
                                                "message_count": count,
                                                "last_message_at": at})

        self.tasks.update_task(task.tenant_id, task.task_id, bump)

    # --- inbound (the SMS/WhatsApp webhook; CHAT's visitor messages) ---------------
    def open_thread(self, task: Task, channel: str, contact_id: str,
                    contact_address: str | None, business_address: str | None,
                    conversation: str | None = None,
                    extra: dict[str, Any] | None = None) -> Thread:
        """A task's thread (``thread_id_of(task)``), created once (CHAT's entry point)."""
        thread = self.store.create_thread(Thread(
            tenant_id=task.tenant_id, thread_id=thread_id_of(task), channel=channel,
            contact_id=contact_id, started_at=task.enqueued_at, task_id=task.task_id,
            contact_address=contact_address, business_address=business_address,
            extra=dict(extra or {})))
        if conversation:
            self.store.point(task.tenant_id, conversation, thread.thread_id)
        return thread

    def open_handoff(self, tenant_id: str, thread_id: str, channel: str, contact_id: str,
                     contact_address: str | None, business_address: str | None, *,
                     started_at: float, conversation: str | None = None) -> Thread:
        """A hand-off's thread before its task exists, created once; ``conversation``
        (the customer's address pair) then points at it, so their next messages reach it
        even while the task is being created."""
        thread = self.store.create_thread(Thread(
            tenant_id=tenant_id, thread_id=thread_id, channel=channel,
            contact_id=contact_id, started_at=started_at, contact_address=contact_address,
            business_address=business_address))
        if conversation:
            self.store.point(tenant_id, conversation, thread.thread_id)
        return thread

    def link(self, tenant_id: str, thread_id: str, task: Task) -> None:
        """The thread's task is created: name it, and give the task the thread's count."""
        self.store.set_task(tenant_id, thread_id, task.task_id)
        self._count(task, self.clock())

    def add_inbound(self, task: Task, message: Message) -> None:
        """Store a customer's message on the task's thread and move the task's counters
        (CHAT's entry point)."""
        self.store.add_message(message)
        self._count(task, message.created_at)

    def add_to_thread(self, thread: Thread, message: Message) -> None:
        """Store a customer's message on the thread and move its task's counters."""
        self.store.add_message(message)
        if thread.task_id:
            try:
                task = self.tasks.task(thread.tenant_id, thread.task_id)
            except NotFound:
                return
            self._count(task, message.created_at)

    def open_for(self, tenant_id: str, conversation: str) -> Thread | None:
        """The thread a customer's messages go to now: its task is open, or it is being
        handed off (no task yet, for at most ``HANDOFF_SECONDS``)."""
        thread_id = self.store.pointed(tenant_id, conversation)
        thread = self.store.get_thread(tenant_id, thread_id) if thread_id else None
        if thread is None:
            return None
        if thread.task_id is None:
            return thread if self.clock() - thread.started_at < HANDOFF_SECONDS else None
        try:
            task = self.tasks.task(tenant_id, thread.task_id)
        except NotFound:
            return None
        return thread if task.is_active else None

    def consent(self, tenant_id: str, business: str, sender: str, keyword: str) -> None:
        self.store.set_opted_out(tenant_id, bare(business), bare(sender), keyword == "out",
                                 self.clock())
        log.info("%s opted %s on %s", mask(bare(sender)), keyword, mask(bare(business)))


def reply_address(business_number: str, channel: str) -> str:
    return WHATSAPP + bare(business_number) if channel == "whatsapp" else business_number


def _error_text(code: str | None) -> str:
    known = {"30003": "Unreachable destination handset", "30004": "Message blocked",
             "30005": "Unknown destination handset", "30006": "Landline or unreachable carrier",
             "30007": "Carrier violation (filtered)", "30008": "Unknown error",
             "21610": "Attempt to send to unsubscribed recipient"}
    return known.get(code or "", f"Twilio error {code}" if code else "delivery failed")
