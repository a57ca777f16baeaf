"""Apply what a flow step asked of Hotline once its webhook is committed.

The effects go through the outbox: ``plan`` turns them into outbox items that the
webhook (or the reply-timeout sweep) stages in its commit transaction; the outbox runs
them right after the commit with the executors registered here, and the sweep runs any
that a dead Lambda left pending.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.config import Settings
from chalicelib.domain.errors import NotFound
from chalicelib.domain.flows.verbs import (
    ExecutionEnded,
    MakeOutgoingCall,
    SendMessage,
    VoicemailRecorded,
)
from chalicelib.domain.identity import Tenant
from chalicelib.domain.outbox import OutboxItem
from chalicelib.domain.phone import mask
from chalicelib.services.crm import CrmService

if TYPE_CHECKING:
    from chalicelib.services.outbox import Outbox

log = logging.getLogger("hotline.effects")

SEND_MESSAGE = "carrier.send_message"
VOICEMAIL = "crm.voicemail"
DEFAULT_QUEUE = "support"  # a record-voicemail widget that names no queue


class Carrier(Protocol):
    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = ()) -> str: ...
    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str: ...


class EffectApplier:
    def __init__(self, settings: Settings, crm: CrmService, carrier: Carrier,
                 outbox: Outbox | None = None,
                 tenants: Callable[[str], Tenant | None] | None = None,
                 router: Callable[[], Any] | None = None) -> None:
        self.settings = settings
        self.router = router  # the voicemail's task (routing.RoutingService), if wired
        self.crm = crm
        self.carrier = carrier
        self.outbox = outbox
        self.tenants = tenants
        if outbox is not None:
            outbox.register(SEND_MESSAGE, self._send_item, at_most_once=True)
            outbox.register(VOICEMAIL, self._voicemail_item, at_most_once=False)

    # --- the webhook path: planned, staged with the commit, then run --------------
    def plan(self, event: str, tenant: Tenant, interaction_id: str,
             effects: Sequence[Any]) -> list[OutboxItem]:
        """Outbox items for the effects that act outside DynamoDB; the rest (log lines)
        happen now."""
        assert self.outbox is not None
        items: list[OutboxItem] = []
        for index, effect in enumerate(effects):
            if isinstance(effect, SendMessage):
                items.append(self.outbox.item(event, f"effect:{index}:send", tenant.tenant_id,
                                              SEND_MESSAGE, {
                                                  "from": effect.from_, "to": effect.to,
                                                  "body": effect.body,
                                                  "media": list(effect.media_urls)}))
            elif isinstance(effect, VoicemailRecorded):
                items.append(self.outbox.item(event, f"effect:{index}:voicemail",
                                              tenant.tenant_id, VOICEMAIL, {
                                                  "interaction_id": interaction_id,
                                                  "recording_url": effect.recording_url,
                                                  "transcription": effect.transcription,
                                                  "duration": effect.duration,
                                                  "queue": effect.queue or DEFAULT_QUEUE}))
            else:
                self._note(interaction_id, effect)
        return items

    def _send_item(self, item: OutboxItem) -> str:
        tenant = self.tenants(item.tenant_id) if self.tenants else None
        if tenant is None:
            raise NotFound(f"tenant {item.tenant_id} not found")
        p = item.payload
        sid = self.carrier.send_message(tenant, str(p["from"]), str(p["to"]), str(p["body"]),
                                        tuple(p.get("media") or ()))
        log.info("sent message %s to %s", sid, mask(str(p["to"])))
        return sid

    def _voicemail_item(self, item: OutboxItem) -> None:
        p = item.payload
        interaction = self.crm.record_outcome(item.tenant_id, str(p["interaction_id"]),
                                              "voicemail", recording_url=p.get("recording_url"),
                                              transcription=p.get("transcription"))
        if self.router is not None:
            self._voicemail_task(item, interaction.contact_phone,
                                 interaction.business_number)

    def _voicemail_task(self, item: OutboxItem, caller: str,
                        business_number: str | None) -> None:
        """Every voicemail reaches an agent: a task in the queue the widget names, keyed
        like the queue's own voicemail (``<CallSid>|voicemail``), so it is made once and
        Twilio's transcription finds it."""
        from chalicelib.domain.routing.model import TaskKind

        assert self.router is not None
        p = item.payload
        call_sid = str(p["interaction_id"])
        try:
            self.router().enqueue_task(
                tenant_id=item.tenant_id, key=f"{call_sid}|voicemail", channel="voicemail",
                kind=TaskKind.VOICEMAIL, queue=str(p.get("queue") or DEFAULT_QUEUE),
                caller=caller, business_number=business_number, interaction_id=call_sid,
                attributes={"recording_url": p.get("recording_url"),
                            "recording_duration": int(p.get("duration") or 0),
                            "caller": caller, "source": "ivr",
                            **({"transcript": p["transcription"]}
                               if p.get("transcription") else {})})
        except NotFound as exc:
            log.error("voicemail from %s has no queue to go to: %s", mask(caller),
                      exc.message)

    def _note(self, interaction_id: str, effect: Any) -> None:
        if isinstance(effect, ExecutionEnded):
            level = logging.INFO if effect.reason == "completed" else logging.WARNING
            log.log(level, "flow for %s ended: %s (at %s)", interaction_id, effect.reason,
                    effect.widget)
        elif isinstance(effect, MakeOutgoingCall):
            # make-outgoing-call-v2 belongs to REST-triggered executions, which the
            # webhook path does not start (docs/flows.md).
            log.warning("make-outgoing-call to %s is not placed on the webhook path",
                        mask(effect.to))
        # HandOffToTenant is followed by the voice service before the step is committed.
