"""API keys: created (the secret shown once), listed, revoked, and turned into a
principal on each request that bears one."""

from __future__ import annotations

import base64
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.errors import Forbidden, InvalidInput, NotFound, Unauthorized
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.integrations import (
    ApiKey,
    check_key_role,
    hash_secret,
    key_token,
    parse_key_token,
    secrets_match,
)

log = logging.getLogger("hotline.integrations.keys")

NAME_MAX = 80
MAX_KEYS = 50
# last_used_at is written at most this often per key (one UpdateItem), not on every call.
TOUCH_EVERY_SECONDS = 60.0


class KeyStore(Protocol):
    def add_key(self, key: ApiKey) -> None: ...
    def keys(self, tenant_id: str) -> list[ApiKey]: ...
    def find_key(self, key_id: str) -> ApiKey | None: ...
    def revoke_key(self, tenant_id: str, key_id: str, at: float) -> bool: ...
    def touch_key(self, tenant_id: str, key_id: str, at: float) -> None: ...


def require_key_manager(who: Principal) -> None:
    """Keys are managed by a person with a session, an owner or admin: never by a key."""
    if who.via == "api_key":
        raise Forbidden("API keys cannot manage API keys: log in as an owner or admin")
    who.require(Role.ADMIN)


def _random_id() -> str:
    return secrets.token_hex(8)


def _random_secret() -> str:
    return base64.b32encode(secrets.token_bytes(25)).decode().lower()  # 200 bits, 40 chars


class ApiKeys:
    def __init__(self, store: KeyStore, clock: Callable[[], float] = time.time,
                 new_id: Callable[[], str] = _random_id,
                 new_secret: Callable[[], str] = _random_secret) -> None:
        self.store = store
        self.clock = clock
        self.new_id = new_id
        self.new_secret = new_secret

    def create(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        """A new key; the answer's ``key`` is the only time its secret is shown."""
        require_key_manager(who)
        name = str(body.get("name") or "").strip()
        if not name:
            raise InvalidInput("name is required", path="name")
        if len(name) > NAME_MAX:
            raise InvalidInput(f"name is longer than {NAME_MAX} characters", path="name")
        role = check_key_role(body.get("role"))
        active = [k for k in self.store.keys(who.tenant_id) if k.revoked_at is None]
        if len(active) >= MAX_KEYS:
            raise InvalidInput(f"a business has at most {MAX_KEYS} active keys: revoke one "
                               "first", path="name")
        key_id, secret = self.new_id(), self.new_secret()
        token = key_token(key_id, secret)
        key = ApiKey(tenant_id=who.tenant_id, key_id=key_id, name=name, role=role,
                     secret_hash=hash_secret(secret), prefix=token[:12],
                     created_at=self.clock(), created_by=who.user_id)
        self.store.add_key(key)
        log.info("API key %s (%s) created for tenant %s by %s", key_id, role, who.tenant_id,
                 who.user_id)
        return {**key.public(), "key": token}

    def list(self, who: Principal) -> list[dict[str, Any]]:
        require_key_manager(who)
        found = sorted(self.store.keys(who.tenant_id), key=lambda k: -k.created_at)
        return [k.public() for k in found]

    def revoke(self, who: Principal, key_id: str) -> dict[str, Any]:
        require_key_manager(who)
        if not self.store.revoke_key(who.tenant_id, key_id, self.clock()):
            raise NotFound(f"no active API key {key_id}")
        log.info("API key %s revoked for tenant %s by %s", key_id, who.tenant_id,
                 who.user_id)
        return {"id": key_id, "revoked": True}

    def authenticate(self, token: str) -> Principal:
        """The principal a bearer ``hk_…`` stands for; 401 for anything else."""
        key_id, secret = parse_key_token(token)
        key = self.store.find_key(key_id)
        if key is None or not secrets_match(secret, key.secret_hash):
            raise Unauthorized("that API key is not valid")
        if key.revoked_at is not None:
            raise Unauthorized("that API key has been revoked")
        now = self.clock()
        if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY_SECONDS:
            self.store.touch_key(key.tenant_id, key_id, now)
        return Principal(tenant_id=key.tenant_id, user_id=f"key:{key_id}",
                         role=Role(key.role), via="api_key")
