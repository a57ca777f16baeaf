"""Settings bound to the tables, tenants, sessions, signup and the admin services."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring
from chalicelib.config import Settings, get_settings

if TYPE_CHECKING:
    from chalicelib.services.auth import AuthService

__all__ = [
    "bound_settings",
    "get_auth_service",
    "get_directory",
    "get_flow_admin",
    "get_onboarding",
    "get_tenant_admin",
    "get_tenant_repository",
    "reset",
]


def bound_settings() -> Settings:
    """Settings with every DynamoDB model bound to the stage's tables."""
    settings = get_settings()
    from chalicelib.adapters.dynamo import base
    from chalicelib.adapters.dynamo.tables import import_all_models

    import_all_models()
    base.bind(settings)
    return settings


@lru_cache(maxsize=1)
def get_tenant_repository():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    return TenantRepository(wiring.bound_settings())


@lru_cache(maxsize=1)
def get_directory():  # type: ignore[no-untyped-def]
    """Numbers and tenants, cached per container (shared by every webhook service)."""
    from chalicelib.services.directory import CachedDirectory

    return CachedDirectory(wiring.get_tenant_repository())


@lru_cache(maxsize=1)
def get_auth_service() -> AuthService:
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.adapters.security import PasswordHasher, TokenSigner
    from chalicelib.services.auth import AuthService

    settings = wiring.bound_settings()
    return AuthService(
        users=wiring.get_tenant_repository(),
        hasher=PasswordHasher(),
        signer=TokenSigner(settings.jwt_secret, settings.jwt_ttl_seconds),
        limiter=DynamoRateLimiter(),
    )


def reset() -> None:
    """Forget every built service (tests that change settings)."""
    get_settings.cache_clear()
    for name, value in list(vars(wiring).items()):
        if name.startswith("get_") and hasattr(value, "cache_clear"):
            value.cache_clear()


@lru_cache(maxsize=1)
def get_onboarding():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.security import PasswordHasher
    from chalicelib.adapters.twilio.carrier import TwilioAccounts
    from chalicelib.services.onboarding import Onboarding
    from chalicelib.services.provisioning import provisioners, user_hooks

    settings = wiring.bound_settings()
    return Onboarding(
        settings,
        wiring.get_tenant_repository(),
        TwilioAccounts(settings),
        PasswordHasher(),
        provisioners(wiring.get_flow_admin, wiring.get_routing_admin, wiring.get_voice_tokens),
        user_hooks(wiring.get_routing_admin),
        release_later=wiring.release_number_later,
    )


@lru_cache(maxsize=1)
def get_tenant_admin():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.adapters.security import TokenSigner
    from chalicelib.services.chat.keys import WidgetKeys
    from chalicelib.services.tenant_admin import TenantAdmin

    settings = wiring.bound_settings()
    return TenantAdmin(
        wiring.get_onboarding(),
        wiring.get_tenant_repository(),
        DynamoRateLimiter(),
        TokenSigner(settings.jwt_secret, settings.jwt_ttl_seconds),
        widget_keys=WidgetKeys(wiring.get_tenant_repository()).ensure,
        signups_per_source=settings.signups_per_source_hour,
    )


@lru_cache(maxsize=1)
def get_flow_admin():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.services.flows import FlowAdminService

    tenants = wiring.get_tenant_repository()

    def account_sid_of(tenant_id: str) -> str | None:
        tenant = tenants.get(tenant_id)
        return tenant.twilio_account_sid if tenant is not None else None

    return FlowAdminService(FlowRepository(wiring.bound_settings()), account_sid_of)
