"""The tenant's data interface: API keys, outgoing webhooks, the CRM export."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.adapters.dynamo.integrations_repository import IntegrationsRepository
    from chalicelib.services.integrations.delivery import EventPublisher
    from chalicelib.services.integrations.events import CrmEvents
    from chalicelib.services.integrations.export import CrmExport
    from chalicelib.services.integrations.keys import ApiKeys
    from chalicelib.services.integrations.webhooks import Webhooks

__all__ = [
    "get_api_keys",
    "get_crm_events",
    "get_crm_export",
    "get_event_publisher",
    "get_integrations_repository",
    "get_webhooks",
]

WEBHOOK_MAX_BYTES = 64 * 1024


@lru_cache(maxsize=1)
def get_integrations_repository() -> IntegrationsRepository:
    from chalicelib.adapters.dynamo import base
    from chalicelib.adapters.dynamo.integrations_repository import IntegrationsRepository

    settings = wiring.bound_settings()
    return IntegrationsRepository(base.connection(settings))


@lru_cache(maxsize=1)
def get_api_keys() -> ApiKeys:
    from chalicelib.services.integrations.keys import ApiKeys

    return ApiKeys(wiring.get_integrations_repository())


@lru_cache(maxsize=1)
def get_event_publisher() -> EventPublisher:
    """``publish(tenant_id, event_type, data, event_id)``; registers the delivery kind with
    the outbox (the sweep builds this before it runs)."""
    from chalicelib.adapters.http_client import UrllibHttp
    from chalicelib.services.integrations.delivery import USER_AGENT, EventPublisher

    settings = wiring.bound_settings()
    http = UrllibHttp(max_bytes=WEBHOOK_MAX_BYTES, user_agent=USER_AGENT,
                      allow_loopback=settings.allow_loopback_http)
    return EventPublisher(wiring.get_integrations_repository(), wiring.get_outbox(), http,
                          timeout_seconds=min(5.0, settings.http_timeout_seconds))


@lru_cache(maxsize=1)
def get_webhooks() -> Webhooks:
    from chalicelib.services.integrations.webhooks import Webhooks

    settings = wiring.bound_settings()
    return Webhooks(wiring.get_integrations_repository(), wiring.get_event_publisher(),
                    allow_loopback=settings.allow_loopback_http)


@lru_cache(maxsize=1)
def get_crm_events() -> CrmEvents:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.integrations.events import CrmEvents

    wiring.bound_settings()
    return CrmEvents(wiring.get_event_publisher(), CrmRepository())


@lru_cache(maxsize=1)
def get_crm_export() -> CrmExport:
    from chalicelib.adapters.dynamo.metrics_repository import InteractionHistory
    from chalicelib.services.integrations.export import CrmExport

    wiring.bound_settings()
    return CrmExport(wiring.get_contacts_repository(), InteractionHistory())
