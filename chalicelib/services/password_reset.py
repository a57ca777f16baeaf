"""Password reset by a single-use, expiring link (docs/accounts.md).

A request always ends the same way for the caller (202), whether or not the address is
known. For a known, active user it keeps only the SHA-256 of a fresh 256-bit token with
its expiry on the user's item (a newer request replaces an older link) and mails the link.
Confirming sets the password, consumes the token and ends every session in one
conditional UpdateItem, so a link works once and two clicks racing cannot both win.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.identity import User
from chalicelib.services.onboarding import check_password

log = logging.getLogger("hotline.accounts")

RESET_TTL_SECONDS = 30 * 60
# As for logging in (services/auth.py): per address, and per source address.
RESET_LIMIT_PER_EMAIL = 5
RESET_LIMIT_PER_SOURCE = 60
RESET_WINDOW_SECONDS = 300
SECRET_BYTES = 32


class ResetStore(Protocol):
    def user_by_email(self, email: str) -> User | None: ...
    def start_reset(self, tenant_id: str, user_id: str, token_hash: str,
                    expires_at: float) -> None: ...
    def consume_reset(self, tenant_id: str, user_id: str, token_hash: str, now: float,
                      password_hash: str) -> None: ...


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> None: ...


class Limiter(Protocol):
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None: ...


def token_hash(token: str) -> str:
    """SHA-256 is enough here: the token is 256 random bits, not a guessable password."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def new_token(user: User) -> str:
    """``<whose>.<secret>``: whose names the user's item (tenant and user id, base64url),
    so confirming is one keyed UpdateItem, never a scan; the secret is what proves it."""
    whose = _b64(f"{user.tenant_id}/{user.user_id}")
    return f"{whose}.{secrets.token_urlsafe(SECRET_BYTES)}"


def whose(token: object) -> tuple[str, str]:
    """The (tenant id, user id) a token names; InvalidInput on anything malformed."""
    bad = InvalidInput("this reset link is not valid; ask for a new one", path="token")
    if not isinstance(token, str) or token.count(".") != 1:
        raise bad
    head, secret = token.split(".")
    if len(secret) < 40:
        raise bad
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise bad from exc
    tenant_id, _, user_id = decoded.partition("/")
    if not tenant_id or not user_id:
        raise bad
    return tenant_id, user_id


class PasswordReset:
    def __init__(self, users: ResetStore, hasher: Hasher, mailer: Mailer, limiter: Limiter,
                 link: Callable[[str], str], clock: Callable[[], float] = time.time,
                 ttl_seconds: int = RESET_TTL_SECONDS) -> None:
        self.users = users
        self.hasher = hasher
        self.mailer = mailer
        self.limiter = limiter
        self.link = link  # token -> the /reset page's URL carrying it
        self.clock = clock
        self.ttl = ttl_seconds

    def request(self, email: object, source: str) -> None:
        """POST /api/auth/password-reset: mail a link if the address is an active user's.
        The caller learns nothing either way."""
        if not isinstance(email, str) or "@" not in email:
            raise InvalidInput("email is required", path="email")
        email = email.strip().lower()
        self.limiter.hit(f"reset#email#{email}", RESET_LIMIT_PER_EMAIL, RESET_WINDOW_SECONDS)
        self.limiter.hit(f"reset#source#{source}", RESET_LIMIT_PER_SOURCE,
                         RESET_WINDOW_SECONDS)
        user = self.users.user_by_email(email)
        if user is None or not user.active:
            log.info("password reset asked for an address with no active user; no mail sent")
            return
        self.send_link(user)

    def send_link(self, user: User) -> None:
        """Store the new token's hash with its expiry, then mail the link."""
        token = new_token(user)
        minutes = self.ttl // 60
        self.users.start_reset(user.tenant_id, user.user_id, token_hash(token),
                               self.clock() + self.ttl)
        self.mailer.send(
            user.email, "Reset your Hotline password",
            f"Hello {user.name},\n\nTo choose a new Hotline password, open this link within "
            f"{minutes} minutes:\n\n{self.link(token)}\n\nThe link works once. If you did "
            "not ask for it, ignore this mail: your password stays as it is.\n")
        log.info("password reset link sent to user %s of %s", user.user_id, user.tenant_id)

    def confirm(self, token: object, password: object, source: str) -> None:
        """POST /api/auth/password-reset/confirm: the new password, for a live token."""
        self.limiter.hit(f"reset#source#{source}", RESET_LIMIT_PER_SOURCE,
                         RESET_WINDOW_SECONDS)
        tenant_id, user_id = whose(token)
        new_hash = self.hasher.hash(check_password(password))
        try:
            self.users.consume_reset(tenant_id, user_id, token_hash(str(token)), self.clock(),
                                     new_hash)
        except Conflict as exc:
            raise InvalidInput("this reset link has expired or was already used; ask for "
                               "a new one", path="token") from exc
        log.info("password reset used by user %s of %s", user_id, tenant_id)
