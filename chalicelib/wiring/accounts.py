"""Accounts: password reset by mail, and owners managing their users (docs/accounts.md)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.services.accounts import UserAccounts
    from chalicelib.services.password_reset import PasswordReset

__all__ = ["get_mailer", "get_password_reset", "get_user_accounts"]


@lru_cache(maxsize=1)
def get_mailer():  # type: ignore[no-untyped-def]
    """The log mailer (docs/accounts.md says how SES would take its place)."""
    from chalicelib.adapters.mail import LogMailer

    return LogMailer(wiring.bound_settings().mail_from)


@lru_cache(maxsize=1)
def get_password_reset() -> PasswordReset:
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.adapters.security import PasswordHasher
    from chalicelib.services.password_reset import PasswordReset

    settings = wiring.bound_settings()
    return PasswordReset(wiring.get_tenant_repository(), PasswordHasher(), wiring.get_mailer(),
                         DynamoRateLimiter(),
                         link=lambda token: settings.public_url("/reset") + "#token=" + token)


@lru_cache(maxsize=1)
def get_user_accounts() -> UserAccounts:
    from chalicelib.services.accounts import UserAccounts

    def go_offline(tenant_id: str, user_id: str) -> None:
        wiring.get_agent_desk().set_activity(tenant_id, user_id, "offline")

    def sync_profile(tenant_id: str, user_id: str, changes: Mapping[str, object]) -> None:
        from chalicelib.domain.errors import NotFound

        try:
            wiring.get_agent_desk().me(tenant_id, user_id)
        except NotFound:
            return  # no routing profile (an owner who takes no calls): nothing to copy
        body = dict(changes)
        if "mobile" in body and body["mobile"] is None:
            body["take_on_mobile"] = False  # no phone to ring any more
        wiring.get_routing_admin().put_agent_routing(tenant_id, user_id, body)

    def seats(tenant_id: str) -> int | None:
        tenant = wiring.get_tenant_repository().get(tenant_id)
        return None if tenant is None else tenant.seats

    return UserAccounts(wiring.get_tenant_repository(), wiring.get_password_reset(),
                        go_offline, sync_profile, seats)
