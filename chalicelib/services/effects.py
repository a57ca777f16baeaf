"""Apply what a flow step asked of Hotline once its webhook is committed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from chalicelib.config import Settings
from chalicelib.domain.errors import HotlineError
from chalicelib.domain.flows.verbs import (
    ExecutionEnded,
    MakeOutgoingCall,
    SendMessage,
    VoicemailRecorded,
)
from chalicelib.domain.identity import Tenant
from chalicelib.domain.phone import mask
from chalicelib.services.crm import CrmService

log = logging.getLogger("hotline.effects")


class Carrier(Protocol):
    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = ()) -> str: ...
    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str: ...


class HasTenant(Protocol):
    @property
    def tenant(self) -> Tenant: ...


class EffectApplier:
    def __init__(self, settings: Settings, crm: CrmService, carrier: Carrier) -> None:
        self.settings = settings
        self.crm = crm
        self.carrier = carrier

    def apply(self, line: HasTenant, interaction_id: str, effects: Sequence[Any]) -> None:
        """Each effect on its own: one failing (carrier down) is logged, not fatal, since
        the webhook is already committed and the caller must still get their TwiML."""
        for effect in effects:
            try:
                self._apply_one(line.tenant, interaction_id, effect)
            except HotlineError as exc:
                log.error("effect %s for %s failed: %s", type(effect).__name__,
                          interaction_id, exc.message)

    def _apply_one(self, tenant: Tenant, interaction_id: str, effect: Any) -> None:
        if isinstance(effect, SendMessage):
            sid = self.carrier.send_message(tenant, effect.from_, effect.to, effect.body,
                                            tuple(effect.media_urls))
            log.info("sent message %s to %s", sid, mask(effect.to))
        elif isinstance(effect, VoicemailRecorded):
            self.crm.record_outcome(tenant.tenant_id, interaction_id, "voicemail",
                                    recording_url=effect.recording_url,
                                    transcription=effect.transcription)
        elif isinstance(effect, ExecutionEnded):
            level = logging.INFO if effect.reason == "completed" else logging.WARNING
            log.log(level, "flow for %s ended: %s (at %s)", interaction_id, effect.reason,
                    effect.widget)
        elif isinstance(effect, MakeOutgoingCall):
            # make-outgoing-call-v2 belongs to REST-triggered executions, which the
            # webhook path does not start (docs/flows.md).
            log.warning("make-outgoing-call to %s is not placed on the webhook path",
                        mask(effect.to))
        # HandOffToTenant is followed by the voice service before the step is committed.
