"""Twilio's webhooks: the gate, exactly-once claims, the flow engine and session,
the outbox, and the voice, messaging, voicemail and conversation services."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib import wiring

__all__ = [
    "RELEASE_NUMBER",
    "get_conversations",
    "get_effect_applier",
    "get_flow_engine",
    "get_flow_session",
    "get_idempotency_repository",
    "get_messaging_service",
    "get_outbox",
    "get_voice_service",
    "get_voicemail",
    "get_webhook_claims",
    "get_webhook_gate",
    "get_webhook_parts",
    "register_number_release",
    "release_number_later",
    "run_outbox_sweep",
]


@lru_cache(maxsize=1)
def get_webhook_gate():  # type: ignore[no-untyped-def]
    from chalicelib.services.webhook_gate import WebhookGate

    return WebhookGate(wiring.bound_settings(), wiring.get_tenant_repository())


@lru_cache(maxsize=1)
def get_idempotency_repository():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.idempotency_repository import IdempotencyRepository

    return IdempotencyRepository(wiring.bound_settings())


@lru_cache(maxsize=1)
def get_webhook_claims():  # type: ignore[no-untyped-def]
    from chalicelib.services.webhook_claim import WebhookClaims

    return WebhookClaims(wiring.get_idempotency_repository())


@lru_cache(maxsize=1)
def get_flow_engine():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.http_client import UrllibHttp
    from chalicelib.domain.flows.engine import FlowEngine

    settings = wiring.bound_settings()
    return FlowEngine(
        http=UrllibHttp(allow_loopback=settings.allow_loopback_http),
        http_budget_seconds=settings.http_timeout_seconds,
    )


@lru_cache(maxsize=1)
def get_flow_session():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.flow_repository import ExecutionRepository, FlowRepository
    from chalicelib.services.flow_session import FlowSession

    settings = wiring.bound_settings()
    return FlowSession(
        numbers=wiring.get_directory(),
        flows=FlowRepository(settings),
        executions=ExecutionRepository(settings),
        committer=wiring.get_idempotency_repository(),
        outbound=lambda tenant, permission: wiring.get_tenant_gate().outbound_refusal(
            tenant, permission),
    )


@lru_cache(maxsize=1)
def get_effect_applier():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.carrier import TwilioCarrier
    from chalicelib.services.effects import EffectApplier

    return EffectApplier(
        wiring.bound_settings(),
        wiring.get_crm_service(),
        wiring.metered_carrier(TwilioCarrier(wiring.bound_settings())),
        outbox=wiring.get_outbox(),
        tenants=wiring.get_directory().get,
        router=lambda: wiring.get_routing_service(),
    )


@lru_cache(maxsize=1)
def get_outbox():  # type: ignore[no-untyped-def]
    """Effects outside DynamoDB, once per event (services/outbox.py, docs/webhooks.md)."""
    from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository
    from chalicelib.services.once import register_telephony
    from chalicelib.services.outbox import Outbox

    wiring.bound_settings()
    outbox = Outbox(OutboxRepository())
    register_telephony(outbox)
    wiring.register_number_release(outbox)
    return outbox


def register_number_release(outbox: Any) -> None:
    """The sweep releases a number that a failed signup bought and could not give back."""
    from chalicelib.adapters.twilio.carrier import TwilioAccounts

    def release(item: Any) -> None:
        TwilioAccounts(wiring.bound_settings()).release_number_as_platform(
            item.payload["account_sid"], item.payload["number"]
        )

    outbox.register(wiring.RELEASE_NUMBER, release, at_most_once=False)


RELEASE_NUMBER = "release_number"


def release_number_later(tenant_id: str, account_sid: str, number: str) -> None:
    wiring.get_outbox().defer(
        f"signup#{tenant_id}",
        f"release:{number}",
        tenant_id,
        wiring.RELEASE_NUMBER,
        {"account_sid": account_sid, "number": number},
    )


def run_outbox_sweep(now: float | None = None):  # type: ignore[no-untyped-def]
    """The outbox's sweep, with every service that registers an effect kind built."""
    wiring.get_voice_service()
    wiring.get_messaging_service()
    wiring.get_event_publisher()  # outgoing webhooks' deliveries (services/integrations)
    return wiring.get_outbox().sweep(now)


@lru_cache(maxsize=1)
def get_webhook_parts():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.flow_session import WebhookParts

    return WebhookParts(
        session=wiring.get_flow_session(),
        engine=wiring.get_flow_engine(),
        crm=wiring.get_crm_service(),
        crm_stager=CrmRepository(),
        router=lambda: wiring.get_routing_service(),
        effects=wiring.get_effect_applier(),
        committer=wiring.get_idempotency_repository(),
        outbox=wiring.get_outbox(),
        gate=wiring.get_tenant_gate(),
    )


@lru_cache(maxsize=1)
def get_voice_service():  # type: ignore[no-untyped-def]
    from chalicelib.services.voice import VoiceService

    return VoiceService(wiring.bound_settings(), wiring.get_webhook_parts(),
                        shared_front=wiring.get_shared_front)


@lru_cache(maxsize=1)
def get_messaging_service():  # type: ignore[no-untyped-def]
    from chalicelib.services.messaging import MessagingService

    return MessagingService(wiring.get_webhook_parts(), conversations=wiring.get_conversations())


@lru_cache(maxsize=1)
def get_voicemail():  # type: ignore[no-untyped-def]
    """Voicemail tasks' audio and transcripts (services/conversations/voicemail.py)."""
    from chalicelib.adapters.twilio.recordings import TwilioRecordings
    from chalicelib.adapters.twilio.telephony import tenant_credentials
    from chalicelib.services.conversations.voicemail import VoicemailService

    settings = wiring.bound_settings()
    crm = wiring.get_crm_service()
    return VoicemailService(
        wiring.get_routing_service(),
        TwilioRecordings(settings, tenant_credentials(wiring.get_directory(), settings)),
        record_transcript=lambda tenant_id, interaction_id, text: crm.record_outcome(
            tenant_id, interaction_id, "voicemail", transcription=text
        ),
    )


@lru_cache(maxsize=1)
def get_conversations():  # type: ignore[no-untyped-def]
    """SMS, WhatsApp and chat threads (services/conversations, docs/conversations.md)."""
    from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.twilio.carrier import TwilioCarrier
    from chalicelib.services.conversations.threads import ConversationService

    settings = wiring.bound_settings()
    return ConversationService(
        ConversationRepository(settings),
        wiring.get_routing_service(),
        wiring.metered_carrier(TwilioCarrier(settings)),
        wiring.get_outbox(),
        wiring.get_directory().get,
        settings.public_url,
        contacts=CrmRepository(),
        chat=lambda: wiring.get_chat_agents(),
        outbound=lambda tenant_id, permission: wiring.get_tenant_gate().require_outbound(
            tenant_id, permission),
    )
