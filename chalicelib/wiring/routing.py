"""Routing: the DynamoDB queue, matcher, agent desk, sweep and the queue's callbacks."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring
from chalicelib.config import get_settings

if TYPE_CHECKING:
    from chalicelib.adapters.twilio.telephony import TwilioTelephony
    from chalicelib.services.routing.admin import RoutingAdminService
    from chalicelib.services.routing.desk import AgentDesk
    from chalicelib.services.routing.ports import RoutingUrls
    from chalicelib.services.routing.queue_calls import QueueCallService
    from chalicelib.services.routing.service import RoutingService
    from chalicelib.services.routing.sweep import RoutingSweep

__all__ = [
    "get_agent_desk",
    "get_queue_calls",
    "get_routing_admin",
    "get_routing_service",
    "get_routing_sweep",
    "get_routing_telephony",
    "get_routing_urls",
]


@lru_cache(maxsize=1)
def get_routing_urls() -> RoutingUrls:
    from chalicelib.services.routing.ports import RoutingUrls

    return RoutingUrls(get_settings().public_url)


@lru_cache(maxsize=1)
def get_routing_telephony() -> TwilioTelephony:
    from chalicelib.adapters.twilio.telephony import TwilioTelephony, tenant_credentials

    settings = wiring.bound_settings()
    return TwilioTelephony(settings, tenant_credentials(wiring.get_directory(), settings))


@lru_cache(maxsize=1)
def get_routing_service() -> RoutingService:
    from chalicelib.adapters.dynamo.routing_config_repository import RoutingConfigRepository
    from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
    from chalicelib.services.routing.matcher import Matcher
    from chalicelib.services.routing.ports import ConfigCache
    from chalicelib.services.routing.service import RoutingService

    settings = wiring.bound_settings()
    store = RoutingRepository(settings)
    from chalicelib.services.once import OnceTelephony

    telephony = OnceTelephony(wiring.get_routing_telephony(), wiring.get_outbox())
    matcher = Matcher(
        store,
        telephony,
        wiring.get_routing_urls(),
        reservation_timeout=settings.reservation_timeout_seconds,
    )
    return RoutingService(
        store, ConfigCache(RoutingConfigRepository()), matcher, telephony, wiring.get_crm_service()
    )


@lru_cache(maxsize=1)
def get_agent_desk() -> AgentDesk:
    from chalicelib.services.routing.desk import AgentDesk

    return AgentDesk(wiring.get_routing_service(), wiring.get_routing_urls(),
                     may_go_available=wiring.get_tenant_gate().require_active)


@lru_cache(maxsize=1)
def get_routing_admin() -> RoutingAdminService:
    from chalicelib.services.routing.admin import RoutingAdminService

    return RoutingAdminService(wiring.get_routing_service(), wiring.get_tenant_repository())


@lru_cache(maxsize=1)
def get_routing_sweep() -> RoutingSweep:
    from chalicelib.services.routing.sweep import RoutingSweep

    return RoutingSweep(wiring.get_routing_service())


@lru_cache(maxsize=1)
def get_queue_calls() -> QueueCallService:
    from chalicelib.adapters.twilio.telephony import render_twiml
    from chalicelib.services.routing.queue_calls import QueueCallService

    return QueueCallService(
        wiring.get_routing_service(),
        wiring.get_agent_desk(),
        wiring.get_directory(),
        wiring.get_routing_urls(),
        render_twiml,
        wiring.get_voice_service,
        conference=wiring.get_conference_legs,
    )
