"""Agent calls (conferences, call control, transfers, monitoring, outbound, voice
tokens) and web chat."""

from __future__ import annotations

from functools import lru_cache

from chalicelib import wiring
from chalicelib.config import get_settings

__all__ = [
    "get_call_context",
    "get_call_control",
    "get_chat_agents",
    "get_chat_visitors",
    "get_conference_legs",
    "get_monitoring",
    "get_outbound_calls",
    "get_transfers",
    "get_voice_directory",
    "get_voice_tokens",
]


@lru_cache(maxsize=1)
def get_call_context():  # type: ignore[no-untyped-def]
    from typing import cast

    from chalicelib.services.calls.base import CallContext
    from chalicelib.services.calls.ports import CallUrls, ConferenceCarrier

    routing = wiring.get_routing_service()
    # the routing service's telephony (at most once per event) forwards every operation
    carrier = cast(ConferenceCarrier, routing.telephony)
    return CallContext(
        routing,
        carrier,
        CallUrls(get_settings().public_url),
        wiring.get_tenant_repository(),
        wiring.get_crm_service(),
    )


@lru_cache(maxsize=1)
def get_conference_legs():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.telephony import render_twiml
    from chalicelib.services.calls.conference import ConferenceLegs

    return ConferenceLegs(wiring.get_call_context(), render_twiml)


@lru_cache(maxsize=1)
def get_call_control():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.control import CallControl

    return CallControl(wiring.get_call_context())


@lru_cache(maxsize=1)
def get_transfers():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.transfers import Transfers

    return Transfers(wiring.get_call_context(), wiring.get_conference_legs(),
                     outbound=wiring.get_tenant_gate().require_outbound)


@lru_cache(maxsize=1)
def get_monitoring():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.monitoring import Monitoring

    return Monitoring(wiring.get_call_context())


@lru_cache(maxsize=1)
def get_outbound_calls():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.outbound import OutboundCalls

    return OutboundCalls(
        wiring.get_call_context(), wiring.get_conference_legs(), wiring.get_routing_urls(),
        outbound=wiring.get_tenant_gate().require_outbound,
    )


@lru_cache(maxsize=1)
def get_voice_directory():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.directory import VoiceDirectory

    return VoiceDirectory(wiring.get_call_context())


@lru_cache(maxsize=1)
def get_voice_tokens():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.voice_token import TwilioVoiceSetup, access_token
    from chalicelib.services.calls.ports import CallUrls
    from chalicelib.services.calls.voice_token import VoiceTokens

    settings = wiring.bound_settings()
    return VoiceTokens(
        wiring.get_tenant_repository(),
        TwilioVoiceSetup(settings),
        CallUrls(settings.public_url),
        access_token,
        sim_url=settings.twilio_api_base,
    )


@lru_cache(maxsize=1)
def get_chat_visitors():  # type: ignore[no-untyped-def]
    """The web chat widget's public side (services/chat, docs/chat.md)."""
    import os

    from chalicelib.adapters.dynamo.chat_repository import ChatRepository
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.services.chat.tokens import VisitorTokens
    from chalicelib.services.chat.visitor import ChatVisitors

    settings = wiring.bound_settings()
    routing, crm, threads = (
        wiring.get_routing_service(),
        wiring.get_crm_service(),
        wiring.get_conversations(),
    )
    return ChatVisitors(
        ChatRepository(),
        wiring.get_tenant_repository(),
        routing.store,
        routing,
        threads,
        threads.store,
        crm,
        crm.store,
        DynamoRateLimiter(),
        VisitorTokens(settings.jwt_secret),
        max_wait=float(
            os.environ.get(  # chalice local: short waits
                "HOTLINE_CHAT_WAIT_SECONDS", "5" if settings.stage == "local" else "20"
            )
        ),
        on_start=lambda tenant_id, conversation_id, at: wiring.get_billing().meter_chat(
            tenant_id, conversation_id, at),
        admit=wiring.get_tenant_gate().visitor_refusal,
    )


@lru_cache(maxsize=1)
def get_chat_agents():  # type: ignore[no-untyped-def]
    """The agent's side of web chat tasks; wiring.get_conversations() hands chat tasks to it."""
    from chalicelib.adapters.dynamo.chat_repository import ChatRepository
    from chalicelib.services.chat.agent import ChatAgents

    routing, threads = wiring.get_routing_service(), wiring.get_conversations()
    return ChatAgents(ChatRepository(), threads, threads.store, routing, routing.store)
