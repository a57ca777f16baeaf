"""The tenant's data interface, pure: API keys, outgoing webhooks (events, signatures,
backoff) and the export's opaque cursors.

- **API keys** are ``hk_<id>_<secret>``: the id finds the stored key, the secret (32
  random bytes, base32) is checked against its SHA-256. A plain hash is enough here, unlike
  passwords: the secret has 160+ bits of entropy, so no dictionary or brute force can
  reverse it, and a fast hash keeps every API call cheap (argon2 would cost ~50 ms each).
- **Webhooks** are signed the way Stripe signs them: ``Hotline-Signature:
  t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>``. Each attempt signs with
  its own timestamp, so a receiver can refuse stale replays.
- **Retries** back off exponentially: attempt ``n`` failed, attempt ``n+1`` runs
  ``BASE * FACTOR**(n-1)`` seconds later (90 s, 4.5 min, 13.5 min, 40.5 min, ~2 h, ~6 h,
  ~18 h), plus up to 10 % of jitter derived from the delivery (deterministic, so a replay
  schedules the same instant). ``MAX_ATTEMPTS`` = 8 attempts span about 27 hours.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from chalicelib.domain.errors import InvalidInput, Unauthorized

KEY_PREFIX = "hk_"
KEY_ROLES = ("agent", "supervisor", "admin")

INTERACTION_COMPLETED = "interaction.completed"
VOICEMAIL_RECEIVED = "voicemail.received"
CONTACT_CREATED = "contact.created"
TASK_ABANDONED = "task.abandoned"
EVENT_TYPES = (INTERACTION_COMPLETED, VOICEMAIL_RECEIVED, CONTACT_CREATED, TASK_ABANDONED)
TEST_EVENT = "webhook.test"  # sent by "Send test" to one subscription, whatever its events

SIGNATURE_HEADER = "Hotline-Signature"
SIGNATURE_TOLERANCE_SECONDS = 300

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 90.0
BACKOFF_FACTOR = 3.0
JITTER = 0.10

# Delivery states, as the log shows them.
PENDING = "pending"  # the first attempt has not run yet
RETRYING = "retrying"  # an attempt failed; the next is scheduled (next_retry_at)
DELIVERED = "delivered"  # a 2xx answer
FAILED = "failed"  # every attempt failed, or the subscription is gone


# --- API keys ------------------------------------------------------------------------
def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def key_token(key_id: str, secret: str) -> str:
    return f"{KEY_PREFIX}{key_id}_{secret}"


def parse_key_token(token: str) -> tuple[str, str]:
    """``hk_<id>_<secret>`` -> (id, secret); Unauthorized when it is not that shape."""
    body = token[len(KEY_PREFIX):] if token.startswith(KEY_PREFIX) else ""
    key_id, _, secret = body.partition("_")
    if not key_id or not secret or len(token) > 200 or not key_id.isalnum():
        raise Unauthorized("that API key is not valid")
    return key_id, secret


def secrets_match(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def check_key_role(role: Any) -> str:
    if role not in KEY_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(KEY_ROLES)}", path="role")
    return str(role)


@dataclass(frozen=True)
class ApiKey:
    tenant_id: str
    key_id: str
    name: str
    role: str
    secret_hash: str = field(repr=False)
    prefix: str  # the token's first characters, shown in lists so a key can be recognised
    created_at: float
    created_by: str
    last_used_at: float | None = None
    revoked_at: float | None = None

    def public(self) -> dict[str, Any]:
        return {"id": self.key_id, "name": self.name, "role": self.role,
                "prefix": self.prefix, "created_at": self.created_at,
                "created_by": self.created_by, "last_used_at": self.last_used_at,
                "revoked_at": self.revoked_at}


# --- webhooks: subscriptions -----------------------------------------------------------
@dataclass(frozen=True)
class Subscription:
    tenant_id: str
    subscription_id: str
    url: str
    events: tuple[str, ...]
    secret: str = field(repr=False)
    created_at: float
    description: str = ""

    def wants(self, event_type: str) -> bool:
        return event_type in self.events

    def public(self) -> dict[str, Any]:
        return {"id": self.subscription_id, "url": self.url, "events": list(self.events),
                "description": self.description, "created_at": self.created_at,
                "secret_hint": self.secret[:10] + "…"}


def check_events(events: Any) -> tuple[str, ...]:
    if not isinstance(events, list) or not events:
        raise InvalidInput("events must list at least one of "
                           f"{', '.join(EVENT_TYPES)}", path="events")
    for index, name in enumerate(events):
        if name not in EVENT_TYPES:
            raise InvalidInput(f"unknown event {name!r}: choose from {', '.join(EVENT_TYPES)}",
                               path=f"events[{index}]")
    return tuple(dict.fromkeys(str(e) for e in events))


def check_webhook_url(url: Any, *, allow_loopback: bool = False) -> str:
    """An https URL (plain http only to 127.0.0.1/localhost, and only when the local run
    allows loopback). Where the name resolves is checked again at every delivery."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("url is required", path="url")
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise InvalidInput(f"url is not a valid URL: {exc}", path="url") from exc
    if not host:
        raise InvalidInput("url has no host", path="url")
    if parts.username or parts.password:
        raise InvalidInput("url must not carry credentials", path="url")
    loopback = host == "localhost" or _is_loopback(host)
    if loopback and not allow_loopback:
        raise InvalidInput("url must not point at this machine (loopback)", path="url")
    if parts.scheme == "https" or (parts.scheme == "http" and loopback and allow_loopback):
        return url
    raise InvalidInput("url must be https://", path="url")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- webhooks: signing ------------------------------------------------------------------
def signature(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.{body}".encode(), hashlib.sha256)
    return mac.hexdigest()


def signature_header(secret: str, timestamp: int, body: str) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(header: str, body: str, secret: str, now: float,
                     tolerance: float = SIGNATURE_TOLERANCE_SECONDS) -> bool:
    """What a receiver does (docs/integrations.md has the same in a snippet)."""
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields.get("t", [""])[0])
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, v) for v in fields.get("v1", []))


def event_body(event_id: str, event_type: str, tenant_id: str, created_at: float,
               data: dict[str, Any]) -> str:
    """The JSON every attempt of a delivery sends, byte for byte."""
    return json.dumps({"id": event_id, "type": event_type, "tenant_id": tenant_id,
                       "created_at": created_at, "data": data},
                      sort_keys=True, separators=(",", ":"), default=str)


# --- webhooks: retries ---------------------------------------------------------------
def backoff_seconds(attempt: int, jitter_key: str = "") -> float:
    """How long after failed attempt ``attempt`` (1-based) the next one runs."""
    delay = BACKOFF_BASE_SECONDS * BACKOFF_FACTOR ** (max(1, attempt) - 1)
    if not jitter_key:
        return delay
    digest = hashlib.sha256(f"{jitter_key}#{attempt}".encode()).digest()
    fraction = int.from_bytes(digest[:4], "big") / 2**32
    return delay * (1 + JITTER * fraction)


def retry_at(attempt: int, now: float, jitter_key: str = "") -> float | None:
    """When to try again after failed attempt ``attempt``; None once the last has failed."""
    if attempt >= MAX_ATTEMPTS:
        return None
    return now + backoff_seconds(attempt, jitter_key)


def succeeded(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300


@dataclass(frozen=True)
class Attempt:
    attempt: int
    at: float
    status_code: int | None
    error: str | None
    duration_ms: int

    def public(self) -> dict[str, Any]:
        return {"attempt": self.attempt, "at": self.at, "status_code": self.status_code,
                "error": self.error, "duration_ms": self.duration_ms}


@dataclass(frozen=True)
class Delivery:
    tenant_id: str
    subscription_id: str
    delivery_id: str  # sort key suffix: <created ms>#<event id>
    event_id: str
    event_type: str
    created_at: float
    status: str = PENDING
    attempts: tuple[Attempt, ...] = ()
    next_retry_at: float | None = None

    def public(self) -> dict[str, Any]:
        last = self.attempts[-1] if self.attempts else None
        return {"id": self.delivery_id, "event_id": self.event_id,
                "event_type": self.event_type, "created_at": self.created_at,
                "status": self.status, "attempt_count": len(self.attempts),
                "status_code": last.status_code if last else None,
                "error": last.error if last else None,
                "next_retry_at": self.next_retry_at,
                "attempts": [a.public() for a in self.attempts]}


# --- export cursors -------------------------------------------------------------------
CURSOR_MAX = 128


def tenant_mark(tenant_id: str) -> str:
    """A short fingerprint of the tenant in each cursor: another business's is refused."""
    return hashlib.sha256(tenant_id.encode()).hexdigest()[:6]


def encode_cursor(parts: list[str]) -> str:
    """Where the next page starts, base64url of the parts (opaque to clients, <= 128)."""
    raw = "|".join(parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: str, tenant_id: str, size: int) -> list[str] | None:
    """The parts after the kind and tenant mark; InvalidInput naming the cursor unless it
    is one this API gave this tenant for this kind of export."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("cursor is not one this API gave out", path="cursor") from exc
    parts = raw.split("|")
    if len(parts) != size + 2 or parts[0] != kind or parts[1] != tenant_mark(tenant_id):
        raise InvalidInput("cursor is not one this API gave out", path="cursor")
    return parts[2:]
