"""Lazily built services: nothing heavy is imported until a route first needs it.

Each ``get_...()`` builds its service once per Lambda container (warm invocations reuse
it). Routes call these inside their handlers, never at import time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chalicelib.config import Settings, get_settings

if TYPE_CHECKING:
    from chalicelib.services.auth import AuthService
    from chalicelib.services.crm import CrmService


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

    return TenantRepository(bound_settings())


@lru_cache(maxsize=1)
def get_directory():  # type: ignore[no-untyped-def]
    """Numbers and tenants, cached per container (shared by every webhook service)."""
    from chalicelib.services.directory import CachedDirectory

    return CachedDirectory(get_tenant_repository())


@lru_cache(maxsize=1)
def get_auth_service() -> AuthService:
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.adapters.security import PasswordHasher, TokenSigner
    from chalicelib.services.auth import AuthService

    settings = bound_settings()
    return AuthService(
        users=get_tenant_repository(),
        hasher=PasswordHasher(),
        signer=TokenSigner(settings.jwt_secret, settings.jwt_ttl_seconds),
        limiter=DynamoRateLimiter(),
    )


@lru_cache(maxsize=1)
def get_crm_service() -> CrmService:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.crm import CrmService

    bound_settings()
    return CrmService(CrmRepository(), metrics=get_metrics_recorder())


@lru_cache(maxsize=1)
def get_metrics_recorder():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.dynamo.metrics_repository import MetricsRepository
    from chalicelib.services.reports.recorder import MetricsRecorder

    return MetricsRecorder(MetricsRepository(bound_settings()), get_directory(),
                           lookup=CrmRepository())


@lru_cache(maxsize=1)
def get_reports():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.services.reports.reading import AggregateReading
    from chalicelib.services.reports.service import ReportsService

    return ReportsService(AggregateReading(MetricsRepository(bound_settings())),
                          InteractionHistory(), get_routing_service().store, get_directory())


@lru_cache(maxsize=1)
def get_metric_settings():  # type: ignore[no-untyped-def]
    from chalicelib.services.reports.settings import MetricSettings

    return MetricSettings(get_tenant_repository())


@lru_cache(maxsize=1)
def get_live_reports():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.services.reports.board import RoutingBoard
    from chalicelib.services.reports.live import LiveReports
    from chalicelib.services.reports.reading import AggregateReading

    board = RoutingBoard(get_routing_admin(), get_routing_service().store)
    return LiveReports(AggregateReading(MetricsRepository(bound_settings())),
                       InteractionHistory(), board, get_directory())


# --- contacts (CRM) -----------------------------------------------------------------
if TYPE_CHECKING:
    from chalicelib.adapters.dynamo.contacts_repository import ContactsRepository
    from chalicelib.services.contact_history import ContactHistory
    from chalicelib.services.contact_import import ContactImport
    from chalicelib.services.contacts import ContactsService


@lru_cache(maxsize=1)
def get_contacts_repository() -> ContactsRepository:
    from chalicelib.adapters.dynamo.contacts_repository import ContactsRepository

    return ContactsRepository(bound_settings())


@lru_cache(maxsize=1)
def get_contacts_service() -> ContactsService:
    from chalicelib.services.contacts import ContactsService

    return ContactsService(get_contacts_repository())


@lru_cache(maxsize=1)
def get_contact_history() -> ContactHistory:
    from chalicelib.services.contact_history import ContactHistory

    return ContactHistory(get_contacts_service(), get_contacts_repository())


@lru_cache(maxsize=1)
def get_contact_import() -> ContactImport:
    from chalicelib.services.contact_import import ContactImport

    return ContactImport(get_contacts_service(), get_contacts_repository())


def reset() -> None:
    """Forget every built service (tests that change settings)."""
    get_settings.cache_clear()
    for name, value in list(globals().items()):
        if name.startswith("get_") and hasattr(value, "cache_clear"):
            value.cache_clear()


@lru_cache(maxsize=1)
def get_webhook_gate():  # type: ignore[no-untyped-def]
    from chalicelib.services.webhook_gate import WebhookGate

    return WebhookGate(bound_settings(), get_tenant_repository())


@lru_cache(maxsize=1)
def get_idempotency_repository():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.idempotency_repository import IdempotencyRepository

    return IdempotencyRepository(bound_settings())


@lru_cache(maxsize=1)
def get_webhook_claims():  # type: ignore[no-untyped-def]
    from chalicelib.services.webhook_claim import WebhookClaims

    return WebhookClaims(get_idempotency_repository())


@lru_cache(maxsize=1)
def get_flow_engine():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.http_client import UrllibHttp
    from chalicelib.domain.flows.engine import FlowEngine

    settings = bound_settings()
    return FlowEngine(http=UrllibHttp(allow_loopback=settings.allow_loopback_http),
                      http_budget_seconds=settings.http_timeout_seconds)


@lru_cache(maxsize=1)
def get_flow_session():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.flow_repository import ExecutionRepository, FlowRepository
    from chalicelib.services.flow_session import FlowSession

    settings = bound_settings()
    return FlowSession(numbers=get_directory(), flows=FlowRepository(settings),
                       executions=ExecutionRepository(settings),
                       committer=get_idempotency_repository())


@lru_cache(maxsize=1)
def get_effect_applier():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.carrier import TwilioCarrier
    from chalicelib.services.effects import EffectApplier

    return EffectApplier(bound_settings(), get_crm_service(), TwilioCarrier(bound_settings()),
                         outbox=get_outbox(), tenants=get_directory().get,
                         router=lambda: get_routing_service())


@lru_cache(maxsize=1)
def get_outbox():  # type: ignore[no-untyped-def]
    """Effects outside DynamoDB, once per event (services/outbox.py, docs/webhooks.md)."""
    from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository
    from chalicelib.services.once import register_telephony
    from chalicelib.services.outbox import Outbox

    bound_settings()
    outbox = Outbox(OutboxRepository())
    register_telephony(outbox)
    register_number_release(outbox)
    return outbox


def register_number_release(outbox: Any) -> None:
    """The sweep releases a number that a failed signup bought and could not give back."""
    from chalicelib.adapters.twilio.carrier import TwilioAccounts

    def release(item: Any) -> None:
        TwilioAccounts(bound_settings()).release_number_as_platform(
            item.payload["account_sid"], item.payload["number"])

    outbox.register(RELEASE_NUMBER, release, at_most_once=False)


RELEASE_NUMBER = "release_number"


def release_number_later(tenant_id: str, account_sid: str, number: str) -> None:
    get_outbox().defer(f"signup#{tenant_id}", f"release:{number}", tenant_id,
                       RELEASE_NUMBER, {"account_sid": account_sid, "number": number})


def run_outbox_sweep(now: float | None = None):  # type: ignore[no-untyped-def]
    """The outbox's sweep, with every service that registers an effect kind built."""
    get_voice_service()
    get_messaging_service()
    return get_outbox().sweep(now)


@lru_cache(maxsize=1)
def get_webhook_parts():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.flow_session import WebhookParts

    return WebhookParts(session=get_flow_session(), engine=get_flow_engine(),
                        crm=get_crm_service(), crm_stager=CrmRepository(),
                        router=lambda: get_routing_service(), effects=get_effect_applier(),
                        committer=get_idempotency_repository(), outbox=get_outbox())


@lru_cache(maxsize=1)
def get_voice_service():  # type: ignore[no-untyped-def]
    from chalicelib.services.voice import VoiceService

    return VoiceService(bound_settings(), get_webhook_parts())


@lru_cache(maxsize=1)
def get_messaging_service():  # type: ignore[no-untyped-def]
    from chalicelib.services.messaging import MessagingService

    return MessagingService(get_webhook_parts(), conversations=get_conversations())


@lru_cache(maxsize=1)
def get_voicemail():  # type: ignore[no-untyped-def]
    """Voicemail tasks' audio and transcripts (services/conversations/voicemail.py)."""
    from chalicelib.adapters.twilio.recordings import TwilioRecordings
    from chalicelib.adapters.twilio.telephony import tenant_credentials
    from chalicelib.services.conversations.voicemail import VoicemailService

    settings = bound_settings()
    crm = get_crm_service()
    return VoicemailService(
        get_routing_service(),
        TwilioRecordings(settings, tenant_credentials(get_directory(), settings)),
        record_transcript=lambda tenant_id, interaction_id, text: crm.record_outcome(
            tenant_id, interaction_id, "voicemail", transcription=text))


@lru_cache(maxsize=1)
def get_conversations():  # type: ignore[no-untyped-def]
    """SMS, WhatsApp and chat threads (services/conversations, docs/conversations.md)."""
    from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.twilio.carrier import TwilioCarrier
    from chalicelib.services.conversations.threads import ConversationService

    settings = bound_settings()
    return ConversationService(ConversationRepository(settings), get_routing_service(),
                               TwilioCarrier(settings), get_outbox(), get_directory().get,
                               settings.public_url, contacts=CrmRepository(),
                               chat=lambda: get_chat_agents())


@lru_cache(maxsize=1)
def get_onboarding():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.security import PasswordHasher
    from chalicelib.adapters.twilio.carrier import TwilioAccounts
    from chalicelib.services.onboarding import Onboarding
    from chalicelib.services.provisioning import provisioners, user_hooks

    settings = bound_settings()
    return Onboarding(settings, get_tenant_repository(), TwilioAccounts(settings),
                      PasswordHasher(),
                      provisioners(get_flow_admin, get_routing_admin, get_voice_tokens),
                      user_hooks(get_routing_admin), release_later=release_number_later)


@lru_cache(maxsize=1)
def get_tenant_admin():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.adapters.security import TokenSigner
    from chalicelib.services.chat.keys import WidgetKeys
    from chalicelib.services.tenant_admin import TenantAdmin

    settings = bound_settings()
    return TenantAdmin(get_onboarding(), get_tenant_repository(), DynamoRateLimiter(),
                       TokenSigner(settings.jwt_secret, settings.jwt_ttl_seconds),
                       widget_keys=WidgetKeys(get_tenant_repository()).ensure)


@lru_cache(maxsize=1)
def get_flow_admin():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.services.flows import FlowAdminService

    tenants = get_tenant_repository()

    def account_sid_of(tenant_id: str) -> str | None:
        tenant = tenants.get(tenant_id)
        return tenant.twilio_account_sid if tenant is not None else None

    return FlowAdminService(FlowRepository(bound_settings()), account_sid_of)


# --- routing ------------------------------------------------------------------------
if TYPE_CHECKING:
    from chalicelib.adapters.twilio.telephony import TwilioTelephony
    from chalicelib.services.routing.admin import RoutingAdminService
    from chalicelib.services.routing.desk import AgentDesk
    from chalicelib.services.routing.ports import RoutingUrls
    from chalicelib.services.routing.queue_calls import QueueCallService
    from chalicelib.services.routing.service import RoutingService
    from chalicelib.services.routing.sweep import RoutingSweep


@lru_cache(maxsize=1)
def get_routing_urls() -> RoutingUrls:
    from chalicelib.services.routing.ports import RoutingUrls

    return RoutingUrls(get_settings().public_url)


@lru_cache(maxsize=1)
def get_routing_telephony() -> TwilioTelephony:
    from chalicelib.adapters.twilio.telephony import TwilioTelephony, tenant_credentials

    settings = bound_settings()
    return TwilioTelephony(settings, tenant_credentials(get_directory(), settings))


@lru_cache(maxsize=1)
def get_routing_service() -> RoutingService:
    from chalicelib.adapters.dynamo.routing_config_repository import RoutingConfigRepository
    from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
    from chalicelib.services.routing.matcher import Matcher
    from chalicelib.services.routing.ports import ConfigCache
    from chalicelib.services.routing.service import RoutingService

    settings = bound_settings()
    store = RoutingRepository(settings)
    from chalicelib.services.once import OnceTelephony

    telephony = OnceTelephony(get_routing_telephony(), get_outbox())
    matcher = Matcher(store, telephony, get_routing_urls(),
                      reservation_timeout=settings.reservation_timeout_seconds)
    return RoutingService(store, ConfigCache(RoutingConfigRepository()), matcher, telephony,
                          get_crm_service())


@lru_cache(maxsize=1)
def get_agent_desk() -> AgentDesk:
    from chalicelib.services.routing.desk import AgentDesk

    return AgentDesk(get_routing_service(), get_routing_urls())


@lru_cache(maxsize=1)
def get_routing_admin() -> RoutingAdminService:
    from chalicelib.services.routing.admin import RoutingAdminService

    return RoutingAdminService(get_routing_service(), get_tenant_repository())


@lru_cache(maxsize=1)
def get_routing_sweep() -> RoutingSweep:
    from chalicelib.services.routing.sweep import RoutingSweep

    return RoutingSweep(get_routing_service())


@lru_cache(maxsize=1)
def get_queue_calls() -> QueueCallService:
    from chalicelib.adapters.twilio.telephony import render_twiml
    from chalicelib.services.routing.queue_calls import QueueCallService

    return QueueCallService(get_routing_service(), get_agent_desk(), get_directory(),
                            get_routing_urls(), render_twiml, get_voice_service,
                            conference=get_conference_legs)


# --- agent calls: conferences, call control, voice tokens (services/calls) ----------
@lru_cache(maxsize=1)
def get_call_context():  # type: ignore[no-untyped-def]
    from typing import cast

    from chalicelib.services.calls.base import CallContext
    from chalicelib.services.calls.ports import CallUrls, ConferenceCarrier

    routing = get_routing_service()
    # the routing service's telephony (at most once per event) forwards every operation
    carrier = cast(ConferenceCarrier, routing.telephony)
    return CallContext(routing, carrier, CallUrls(get_settings().public_url),
                       get_tenant_repository(), get_crm_service())


@lru_cache(maxsize=1)
def get_conference_legs():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.telephony import render_twiml
    from chalicelib.services.calls.conference import ConferenceLegs

    return ConferenceLegs(get_call_context(), render_twiml)


@lru_cache(maxsize=1)
def get_call_control():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.control import CallControl

    return CallControl(get_call_context())


@lru_cache(maxsize=1)
def get_transfers():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.transfers import Transfers

    return Transfers(get_call_context(), get_conference_legs())


@lru_cache(maxsize=1)
def get_monitoring():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.monitoring import Monitoring

    return Monitoring(get_call_context())


@lru_cache(maxsize=1)
def get_outbound_calls():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.outbound import OutboundCalls

    return OutboundCalls(get_call_context(), get_conference_legs(), get_routing_urls())


@lru_cache(maxsize=1)
def get_voice_directory():  # type: ignore[no-untyped-def]
    from chalicelib.services.calls.directory import VoiceDirectory

    return VoiceDirectory(get_call_context())


@lru_cache(maxsize=1)
def get_voice_tokens():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.twilio.voice_token import TwilioVoiceSetup, access_token
    from chalicelib.services.calls.ports import CallUrls
    from chalicelib.services.calls.voice_token import VoiceTokens

    settings = bound_settings()
    return VoiceTokens(get_tenant_repository(), TwilioVoiceSetup(settings),
                       CallUrls(settings.public_url), access_token,
                       sim_url=settings.twilio_api_base)


@lru_cache(maxsize=1)
def get_chat_visitors():  # type: ignore[no-untyped-def]
    """The web chat widget's public side (services/chat, docs/chat.md)."""
    import os

    from chalicelib.adapters.dynamo.chat_repository import ChatRepository
    from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
    from chalicelib.services.chat.tokens import VisitorTokens
    from chalicelib.services.chat.visitor import ChatVisitors

    settings = bound_settings()
    routing, crm, threads = get_routing_service(), get_crm_service(), get_conversations()
    return ChatVisitors(ChatRepository(), get_tenant_repository(), routing.store, routing,
                        threads, threads.store, crm, crm.store, DynamoRateLimiter(),
                        VisitorTokens(settings.jwt_secret),
                        max_wait=float(os.environ.get(  # chalice local: short waits
                            "HOTLINE_CHAT_WAIT_SECONDS",
                            "5" if settings.stage == "local" else "20")))


@lru_cache(maxsize=1)
def get_chat_agents():  # type: ignore[no-untyped-def]
    """The agent's side of web chat tasks; get_conversations() hands chat tasks to it."""
    from chalicelib.adapters.dynamo.chat_repository import ChatRepository
    from chalicelib.services.chat.agent import ChatAgents

    routing, threads = get_routing_service(), get_conversations()
    return ChatAgents(ChatRepository(), threads, threads.store, routing, routing.store)
