"""send-and-wait-for-reply across SMS webhooks: a reply resumes the conversation; no
reply by the deadline takes the timeout path, from the sweep or from a late message."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.adapters.dynamo.flow_repository import ExecutionRepository, FlowRepository
from chalicelib.adapters.dynamo.idempotency_repository import IdempotencyRepository
from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository
from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.http_client import UrllibHttp
from chalicelib.domain.flows.engine import FlowEngine
from chalicelib.domain.identity import PhoneNumber
from chalicelib.services.crm import CrmService
from chalicelib.services.effects import EffectApplier
from chalicelib.services.flow_session import FlowSession, WebhookParts
from chalicelib.services.messaging import MessagingService
from chalicelib.services.outbox import Outbox
from chalicelib.services.webhook_gate import Webhook

MSG = {"from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}"}
CONFIRM = {
    "description": "delivery confirmation", "initial_state": "Trigger", "flags": {},
    "states": [
        {"name": "Trigger", "type": "trigger", "properties": {},
         "transitions": [{"event": "incomingMessage", "next": "ask"},
                         {"event": "incomingCall"}, {"event": "incomingRequest"}]},
        {"name": "ask", "type": "send-and-wait-for-reply",
         "properties": {"from": "{{flow.channel.address}}", "timeout": "600",
                        "body": "Reply YES to confirm your delivery."},
         "transitions": [{"event": "incomingMessage", "next": "thanks"},
                         {"event": "timeout", "next": "nudge"},
                         {"event": "deliveryFailure"}]},
        {"name": "thanks", "type": "send-message",
         "properties": {**MSG, "body": "Thanks, confirmed."},
         "transitions": [{"event": "sent"}, {"event": "failed"}]},
        {"name": "nudge", "type": "send-message",
         "properties": {**MSG, "body": "We did not hear back; your delivery is on hold."},
         "transitions": [{"event": "sent"}, {"event": "failed"}]},
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class FakeCarrier:
    """Records what Hotline asked the carrier to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_message(self, tenant: Any, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = ()) -> str:
        self.sent.append((to, body))
        return "SM" + uuid.uuid4().hex

    def place_call(self, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("no call expected")


@pytest.fixture
def confirm(line, settings):
    flows = FlowRepository(settings)
    flows.create(line.tenant.tenant_id, "confirm", "confirm", CONFIRM)
    flows.publish(line.tenant.tenant_id, "confirm", CONFIRM, expected_revision=0)
    TenantRepository(settings).save_number(PhoneNumber(
        number=line.number, tenant_id=line.tenant.tenant_id, sms_flow_id="confirm"))
    clock, carrier = Clock(), FakeCarrier()
    crm = CrmService(CrmRepository(), clock)
    outbox = Outbox(OutboxRepository(), clock=clock)
    parts = WebhookParts(
        session=FlowSession(TenantRepository(settings), flows,
                            ExecutionRepository(settings, clock), IdempotencyRepository(settings)),
        engine=FlowEngine(UrllibHttp(), clock=clock), crm=crm, crm_stager=CrmRepository(),
        router=lambda: None,  # type: ignore[arg-type,return-value]
        effects=EffectApplier(settings, crm, carrier, outbox=outbox,
                              tenants=TenantRepository(settings).get),
        committer=IdempotencyRepository(settings), outbox=outbox)
    return MessagingService(parts, clock), clock, carrier


def _text(service, line, sender: str, body: str) -> list[str]:
    hook = Webhook(account_sid=line.tenant.twilio_account_sid, tenant=line.tenant,
                   params={"MessageSid": "SM" + uuid.uuid4().hex, "From": sender,
                           "To": line.number, "Body": body,
                           "AccountSid": line.tenant.twilio_account_sid},
                   path="/twilio/sms")
    return ["".join(m.itertext()) for m in ET.fromstring(service.incoming_message(hook))]


def test_a_reply_before_the_deadline_resumes_the_conversation(confirm, line):
    service, clock, carrier = confirm
    sender = "+14155550181"
    assert _text(service, line, sender, "hi") == ["Reply YES to confirm your delivery."]
    clock.now += 60
    assert _text(service, line, sender, "YES") == ["Thanks, confirmed."]
    clock.now += 3600
    assert service.expire_due() == 0
    assert carrier.sent == []


def test_no_reply_by_the_deadline_takes_the_timeout_path_once(confirm, line):
    service, clock, carrier = confirm
    sender = "+14155550182"
    _text(service, line, sender, "hi")
    clock.now += 599
    service.expire_due()
    assert carrier.sent == []
    clock.now += 2
    service.expire_due()
    service.expire_due()
    assert (sender, "We did not hear back; your delivery is on hold.") in carrier.sent
    assert len([s for s in carrier.sent if s[0] == sender]) == 1


def test_a_late_reply_before_the_sweep_times_out_first_then_starts_again(confirm, line):
    service, clock, carrier = confirm
    sender = "+14155550183"
    _text(service, line, sender, "hi")
    clock.now += 601
    assert _text(service, line, sender, "YES") == ["Reply YES to confirm your delivery."]
    assert carrier.sent == [(sender, "We did not hear back; your delivery is on hold.")]
    assert service.expire_due() == 0


def test_a_due_conversation_whose_number_is_gone_is_ended_not_retried(confirm, line, settings):
    from chalicelib.domain.flows.context import ExecutionContext

    service, clock, _ = confirm
    orphan = ExecutionContext("conv:gone", "confirm", 1, "sms", waiting_on="ask",
                              deadline=clock.now - 1, status="waiting",
                              flow_address="+19995550000")
    executions = ExecutionRepository(settings, clock)
    executions.put(line.tenant.tenant_id, orphan)
    service.expire_due()
    stored = executions.get(line.tenant.tenant_id, "conv:gone")
    assert stored is not None and stored.status == "ended"
    assert all(d.context.execution_id != "conv:gone" for d in executions.due(clock.now + 1))
