"""Who sent this webhook: verify X-Twilio-Signature and find the tenant behind it."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from chalicelib.adapters.twilio import signature
from chalicelib.config import Settings
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.identity import Tenant
from chalicelib.services.ttl_cache import TtlCache


class TenantsByAccount(Protocol):
    def by_account(self, account_sid: str) -> Tenant | None: ...


@dataclass(frozen=True)
class Webhook:
    """A verified Twilio request: its account's tenant (None for the platform account),
    its form fields, and the query string Hotline put on its own callback URL."""

    account_sid: str
    tenant: Tenant | None
    params: Mapping[str, str]
    query: Mapping[str, str] = field(default_factory=dict)
    path: str = ""

    def require(self, name: str) -> str:
        value = self.params.get(name, "")
        if not value:
            raise InvalidInput(f"{name} is missing", path=name)
        return value

    @property
    def idempotency_key(self) -> str:
        """The event's identity: the account, the CallSid or MessageSid, Hotline's callback
        URL (path and query), and the fields by which Twilio tells apart the events it
        posts to one URL (a status callback's status, a queue result, digits...)."""
        sid = self.params.get("CallSid") or self.params.get("MessageSid") or ""
        query = "&".join(f"{k}={v}" for k, v in sorted(self.query.items()))
        event = "&".join(f"{name}={_discriminator(name, self.params[name])}"
                         for name in DISCRIMINATORS if self.params.get(name))
        key = f"{self.account_sid}#{sid}#{self.path}?{query}"
        if event:
            key += "#" + event
        if len(key) > MAX_KEY_LENGTH:  # a long callback query: keep the key under 2 KB
            digest = hashlib.sha256(key.encode()).hexdigest()
            key = f"{self.account_sid}#{sid}#{self.path}#sha256={digest}"
        return key


# QueueTime: Twilio posts the waitUrl again and again while the caller waits; each
# poll (seconds in the queue) is its own event. StatusCallbackEvent/SequenceNumber: a
# conference's status callbacks, all to one URL.
DISCRIMINATORS = ("CallStatus", "MessageStatus", "SmsStatus", "QueueResult", "QueueTime",
                  "DialCallStatus", "Digits", "SpeechResult", "RecordingSid",
                  "StatusCallbackEvent", "SequenceNumber")
MAX_KEY_LENGTH = 1024
# What the caller typed or said (an account number, a card, their own phone number):
# the key is logged and stored, so it carries a fingerprint of these, never the value.
CALLER_INPUT = frozenset({"Digits", "SpeechResult"})


def _discriminator(name: str, value: str) -> str:
    if name in CALLER_INPUT:
        return "h" + hashlib.sha256(value.encode()).hexdigest()[:16]
    return value


class WebhookGate:
    """Verifies signatures. Tenants are cached per container for ``ttl`` seconds."""

    def __init__(self, settings: Settings, tenants: TenantsByAccount,
                 clock: Callable[[], float] = time.monotonic, ttl: float = 60.0) -> None:
        self.settings = settings
        self.tenants = tenants
        self._cache = TtlCache(ttl, clock)

    def tenant_for_account(self, account_sid: str) -> Tenant | None:
        tenant: Tenant | None = self._cache.get_or_load(
            account_sid, lambda: self.tenants.by_account(account_sid))
        return tenant

    def verify(self, path: str, query: Sequence[tuple[str, str]], params: Mapping[str, str],
               sig: str) -> Webhook:
        """Raise Forbidden unless the request is signed by the account it names."""
        account_sid = params.get("AccountSid", "")
        if not account_sid.startswith("AC"):
            raise Forbidden("the request names no Twilio account")
        # A tenant's subaccount first (cached per container): comparing with the platform
        # account would read the platform's secret on a deployed stage's first webhook.
        tenant = self.tenant_for_account(account_sid)
        if tenant is not None:
            token = tenant.twilio_auth_token
        elif account_sid == self.settings.twilio_account_sid:
            token = self.settings.twilio_auth_token
        else:
            raise Forbidden("the request's account is not one of Hotline's")
        urls = signature.candidate_urls(self.settings.public_base_url, path, query)
        if not signature.is_valid(urls, params, sig, token):
            raise Forbidden("the request's X-Twilio-Signature does not match")
        return Webhook(account_sid=account_sid, tenant=tenant, params=dict(params),
                       query=dict(query), path=path)
