"""What the call services need from the outside: the carrier's conference operations,
the tenant's voice credentials, and callback URLs."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.calls.voice import VoiceCredentials
from chalicelib.domain.identity import Tenant, User
from chalicelib.services.routing.ports import CallbackUrls


class ConferenceCarrier(Protocol):
    """The carrier's REST side for agent calls (``adapters/twilio/telephony``)."""

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str: ...
    def end_call(self, tenant_id: str, call_sid: str) -> None: ...
    def redirect_call(self, tenant_id: str, call_sid: str, url: str) -> None: ...
    def conference_sid(self, tenant_id: str, name: str) -> str | None: ...
    def add_participant(self, tenant_id: str, conference: str, *, from_: str, to: str,
                        label: str, status_callback: str, timeout: int = 30,
                        muted: bool = False, coaching: bool = False,
                        call_sid_to_coach: str | None = None,
                        end_conference_on_exit: bool = False) -> str: ...
    def update_participant(self, tenant_id: str, conference_sid: str, call_sid: str, *,
                           hold: bool | None = None, hold_url: str | None = None,
                           muted: bool | None = None, coaching: bool | None = None,
                           call_sid_to_coach: str | None = None,
                           announce_url: str | None = None,
                           end_conference_on_exit: bool | None = None) -> None: ...
    def remove_participant(self, tenant_id: str, conference_sid: str, call_sid: str) -> None: ...


class CallCrm(Protocol):
    """The CRM's part the call services write (``services/crm``)."""

    def record_started(self, tenant_id: str, interaction_id: str, contact_phone: str,
                       business_number: str | None, channel: str, direction: str) -> Any: ...
    def record_answered(self, tenant_id: str, interaction_id: str, agent_id: str) -> Any: ...
    def record_ended(self, tenant_id: str, interaction_id: str, call_status: str,
                     duration_seconds: int | None) -> Any: ...
    def record_outcome(self, tenant_id: str, interaction_id: str, outcome: str,
                       **details: Any) -> Any: ...
    def record_holds(self, tenant_id: str, interaction_id: str, count: int,
                     seconds: float) -> Any: ...
    def record_transfer(self, tenant_id: str, interaction_id: str, from_agent: str,
                        to: dict[str, str], kind: str, mode: str) -> None: ...
    def record_monitoring(self, tenant_id: str, interaction_id: str, supervisor_id: str,
                          mode: str) -> None: ...


class VoiceSetup(Protocol):
    def create(self, tenant: Tenant, voice_url: str) -> VoiceCredentials: ...
    def discard(self, tenant: Tenant, credentials: VoiceCredentials) -> None: ...


class TenantVoiceStore(Protocol):
    """The tenant repository's part the call services use."""

    def get(self, tenant_id: str) -> Tenant | None: ...
    def get_user(self, tenant_id: str, user_id: str) -> User | None: ...
    def voice_credentials(self, tenant_id: str) -> VoiceCredentials | None: ...
    def save_voice_credentials(self, tenant_id: str,
                               credentials: VoiceCredentials) -> VoiceCredentials: ...
    def update_profile(self, tenant_id: str, profile: dict[str, object],
                       timezone: str | None = None) -> None: ...


class CallUrls(CallbackUrls):
    """Callback URLs named by the call services' TwiML and REST calls."""

    def customer_join(self, tenant_id: str, task_id: str) -> str:
        """The caller leaves the queue for this TwiML: the task's conference."""
        return self._url("/twilio/voice/conference/customer", {"t": tenant_id, "task": task_id})

    def participant_status(self, tenant_id: str, task_id: str, role: str) -> str:
        return self._url("/twilio/voice/conference/participant",
                         {"role": role, "t": tenant_id, "task": task_id})

    def digits(self, tenant_id: str, digits: str) -> str:
        """An announcement that plays DTMF tones to one participant."""
        return self._url("/twilio/voice/conference/digits", {"d": digits, "t": tenant_id})

    def client_voice(self) -> str:
        """The TwiML App's voice URL (a call placed from the browser's Device)."""
        return self._public_url("/twilio/voice/client")
