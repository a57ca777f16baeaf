"""Conversations: the messages of an SMS, WhatsApp or chat task, one thread per task.

A thread lives from the task's creation until its wrap-up; a message after that starts a
new thread (and a new task, through the flow). Pure: no AWS, no Twilio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import Conflict, InvalidInput

# Twilio's limit on a message body (Messages resource: "up to 1,600 characters").
MAX_BODY = 1600
# Twilio's default opt-out and opt-in keywords (Advanced Opt-Out), matched on the whole
# body, trimmed and case-insensitive.
OPT_OUT_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP"})

STATUSES = ("received", "queued", "sent", "delivered", "read", "failed", "undelivered")
# A status callback may arrive out of order: a later stage never goes back.
_RANK = {"queued": 0, "accepted": 0, "sending": 1, "sent": 1, "received": 1,
         "delivered": 2, "read": 3, "failed": 4, "undelivered": 4}
WHATSAPP = "whatsapp:"


class OptedOut(Conflict):
    """The customer texted STOP: nothing may be sent until they text START."""

    error_code = "opted_out"


def keyword_of(body: str) -> str | None:
    """"out", "in" or None: what a message body says about consent."""
    word = body.strip().upper()
    if word in OPT_OUT_KEYWORDS:
        return "out"
    if word in OPT_IN_KEYWORDS:
        return "in"
    return None


def bare(address: str | None) -> str:
    """The E.164 number of an address, without the ``whatsapp:`` prefix."""
    text = address or ""
    return text[len(WHATSAPP):] if text.startswith(WHATSAPP) else text


def channel_of_address(address: str | None) -> str:
    return "whatsapp" if (address or "").startswith(WHATSAPP) else "sms"


def check_body(body: Any) -> str:
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput("body must not be empty", path="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(f"body is {len(body)} characters; a message can have at most "
                           f"{MAX_BODY}", path="body")
    return body


def advances(current: str, new: str) -> bool:
    """Whether a status callback's ``new`` status moves the message on from ``current``."""
    return _RANK.get(new, -1) > _RANK.get(current, -1)


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str


@dataclass(frozen=True)
class Message:
    tenant_id: str
    thread_id: str
    message_id: str
    direction: str                 # "inbound" | "outbound"
    author: dict[str, Any]         # {"kind": "customer"|"agent"|"system", ...}
    body: str
    created_at: float
    status: str = "received"
    media: tuple[Media, ...] = ()
    error: dict[str, Any] | None = None
    carrier_sid: str | None = None


@dataclass(frozen=True)
class Thread:
    tenant_id: str
    thread_id: str                 # the task's id for SMS/WhatsApp; CHAT's conversation id
    channel: str                   # "sms" | "whatsapp" | "chat"
    contact_id: str
    started_at: float
    task_id: str | None = None
    contact_address: str | None = None   # where replies go (``whatsapp:+1…`` or ``+1…``)
    business_address: str | None = None  # the tenant's number replies come from
    message_count: int = 0
    last_message_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def media_from_form(params: dict[str, str]) -> tuple[Media, ...]:
    """Twilio's ``NumMedia`` and ``MediaUrl{N}``/``MediaContentType{N}``."""
    count = params.get("NumMedia", "0")
    n = int(count) if count.isdigit() else 0
    found = []
    for index in range(min(n, 10)):
        url = params.get(f"MediaUrl{index}")
        if url:
            found.append(Media(url, params.get(f"MediaContentType{index}") or
                               "application/octet-stream"))
    return tuple(found)


def message_view(message: Message) -> dict[str, Any]:
    return {
        "message_id": message.message_id, "direction": message.direction,
        "author": dict(message.author), "body": message.body,
        "media": [{"url": m.url, "content_type": m.content_type} for m in message.media],
        "status": message.status, "error": dict(message.error) if message.error else None,
        "created_at": message.created_at,
    }


def ordered(messages: list[Message]) -> list[Message]:
    return sorted(messages, key=lambda m: (m.created_at, m.message_id))
