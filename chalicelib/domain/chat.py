"""Web chat: a visitor's conversation with the business, and the widget key (pure).

The messages live in the conversation store (domain/conversations.py), on the thread
whose id is the conversation id.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass

WIDGET_KEY = re.compile(r"^wk_(?P<tenant>[A-Za-z0-9_-]{1,64})_(?P<secret>[a-f0-9]{16,64})$")
BODY_MAX = 1600  # Twilio's message limit; the agent's reply has the same cap


@dataclass(frozen=True)
class ChatConversation:
    tenant_id: str
    conversation_id: str
    created_at: float
    visitor_name: str | None = None
    visitor_email: str | None = None
    page_url: str | None = None
    mode: str = "chat"  # "chat", "queue" (no agent free) or "after_hours"
    task_id: str | None = None
    interaction_id: str | None = None

    @property
    def contact_key(self) -> str:
        """What the CRM contact is keyed by: the email, or this conversation when none."""
        if self.visitor_email:
            return self.visitor_email.lower()
        return f"chat:{self.conversation_id}"


def widget_tenant(key: str) -> str | None:
    """The tenant a widget key names, or None when it is not shaped like one."""
    match = WIDGET_KEY.match(key or "")
    return match.group("tenant") if match else None


def widget_key_for(tenant_id: str, secret_hex: str) -> str:
    return f"wk_{tenant_id}_{secret_hex}"


def same_key(given: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(given.encode(), stored.encode())
