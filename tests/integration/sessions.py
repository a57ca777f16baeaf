"""Sessions for tests that act as a user through HTTP.

``AuthService.authenticate`` reads the user on every request (active, token version,
role; docs/accounts.md), so a test's session must name a user that exists. This stores
one (without an email claim: it never logs in by password) unless it is there already.
"""

from __future__ import annotations

from chalicelib.adapters.dynamo.models.tenants import UserModel
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import Principal


def ensure_user(principal: Principal) -> None:
    try:
        UserModel.get(principal.tenant_id, principal.user_id, consistent_read=True)
    except UserModel.DoesNotExist:
        UserModel(principal.tenant_id, principal.user_id,
                  email=f"{principal.user_id}@{principal.tenant_id}.example",
                  name=principal.user_id, role=principal.role.value,
                  password_hash="not-used", created_at=0).save()


def session_token(settings: Settings, principal: Principal, ttl_seconds: int = 3600) -> str:
    """A signed session for ``principal``, whose user now exists."""
    ensure_user(principal)
    return TokenSigner(settings.jwt_secret, ttl_seconds).issue(principal)
