"""Where billable events meet metering: Twilio's callbacks and the messages Hotline sends.

- ``WebhookMeter.wrap(handler)`` wraps a Twilio webhook handler. Before the handler runs,
  it meters what the request reports: a leg's final status with its ``CallDuration``
  (voice minutes), a ``<Dial>`` action's ``DialCallSid`` with its ``DialCallDuration`` (the
  dialed leg, in outbound minutes), a ``RecordingDuration`` with its ``RecordingSid``
  (recording minutes), an inbound message (SMS segments or a WhatsApp message). After the
  handler answers, the ``<Message>`` replies in its TwiML are metered as outbound messages,
  keyed by the inbound MessageSid and their position (Twilio creates those messages; their
  SIDs never reach us).
- ``MeteredCarrier`` wraps the carrier adapter: every message sent through Twilio's REST API
  (agents' replies, flows' send-message) is metered with the SID Twilio returned.

Metering is idempotent on the source, and never breaks the webhook: a failure is logged.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.identity import Tenant
from chalicelib.services.billing.service import BillingService
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.billing")

FINAL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
WHATSAPP = "whatsapp:"


def _bare(address: str) -> str:
    return address[len(WHATSAPP):] if address.startswith(WHATSAPP) else address


def _digits(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


class WebhookMeter:
    def __init__(self, billing: BillingService,
                 tenant_of_number: Callable[[str], str | None]) -> None:
        self.billing = billing
        self.tenant_of_number = tenant_of_number

    def tenant_of(self, hook: Webhook) -> str | None:
        """Hotline's own callback names the tenant (``t``); else the subaccount the event
        belongs to (Twilio bills that account); else the business number's tenant."""
        named = hook.query.get("t")
        if named:
            return named
        if hook.tenant is not None:
            return hook.tenant.tenant_id
        inbound = hook.params.get("Direction", "inbound") == "inbound"
        number = hook.params.get("To" if inbound else "From", "")
        return self.tenant_of_number(_bare(number)) if number else None

    def wrap(self, handler: Callable[[Webhook], str]) -> Callable[[Webhook], str]:
        def metered(hook: Webhook) -> str:
            self._safely(self.before, hook)
            answer = handler(hook)
            self._safely(self.after, hook, answer)
            return answer

        return metered

    def _safely(self, step: Callable[..., None], *args: Any) -> None:
        try:
            step(*args)
        except Exception:  # metering never breaks a webhook; the log has the stack
            log.exception("metering failed on %s", args[0].path if args else "?")

    def before(self, hook: Webhook) -> None:
        p = hook.params
        tenant_id = None
        status, duration = p.get("CallStatus", ""), _digits(p.get("CallDuration"))
        if status in FINAL_STATUSES and duration is not None and p.get("CallSid"):
            tenant_id = self.tenant_of(hook)
            if tenant_id:
                self.billing.meter_call_leg(tenant_id, p["CallSid"], p.get("Direction", ""),
                                            duration)
        dialed = _digits(p.get("DialCallDuration"))
        if dialed is not None and p.get("DialCallSid"):
            # a <Dial>'s action: the dialed (child) leg, which has no status callback of
            # its own; Twilio bills it as an outbound leg
            tenant_id = tenant_id or self.tenant_of(hook)
            if tenant_id:
                self.billing.meter_call_leg(tenant_id, p["DialCallSid"], "outbound-dial",
                                            dialed)
        recorded = _digits(p.get("RecordingDuration"))
        if recorded and p.get("RecordingSid"):
            tenant_id = tenant_id or self.tenant_of(hook)
            if tenant_id:
                self.billing.meter_recording(tenant_id, p["RecordingSid"], recorded)
        if p.get("MessageSid") and "Body" in p and not p.get("MessageStatus"):
            tenant_id = tenant_id or self.tenant_of(hook)
            if tenant_id:
                channel = "whatsapp" if p.get("From", "").startswith(WHATSAPP) else "sms"
                self.billing.meter_message(tenant_id, p["MessageSid"], channel, "inbound",
                                           p.get("Body", ""))

    def after(self, hook: Webhook, answer: str) -> None:
        p = hook.params
        if not (p.get("MessageSid") and "Body" in p and "<Message" in (answer or "")):
            return
        tenant_id = self.tenant_of(hook)
        if not tenant_id:
            return
        channel = "whatsapp" if p.get("From", "").startswith(WHATSAPP) else "sms"
        for index, body in enumerate(message_bodies(answer)):
            self.billing.meter_message(tenant_id, f"{p['MessageSid']}#reply{index}", channel,
                                       "outbound", body)


def message_bodies(twiml: str) -> list[str]:
    """The text of each ``<Message>`` in a messaging TwiML answer."""
    root = ET.fromstring(twiml)
    bodies = []
    for message in root.iter("Message"):
        body = message.find("Body")
        text = body.text if body is not None else message.text
        bodies.append(text or "")
    return bodies


class Carrier(Protocol):
    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     *args: Any, **options: Any) -> str: ...
    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str: ...


class MeteredCarrier:
    """The carrier, with every sent message metered under the SID Twilio returned."""

    def __init__(self, carrier: Carrier, billing: Callable[[], BillingService]) -> None:
        self.carrier = carrier
        self.billing = billing

    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     *args: Any, **options: Any) -> str:
        """The carrier's ``send_message`` with the options as given (media, status
        callback), then the message metered."""
        sid = self.carrier.send_message(tenant, from_, to, body, *args, **options)
        channel = "whatsapp" if to.startswith(WHATSAPP) else "sms"
        try:
            self.billing().meter_message(tenant.tenant_id, sid, channel, "outbound", body)
        except Exception:  # the message is sent; a lost bill line must not resend it
            log.exception("metering the message %s failed", sid)
        return sid

    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str:
        return self.carrier.place_call(tenant, from_, to, url, timeout=timeout,
                                       status_callback=status_callback)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.carrier, name)
