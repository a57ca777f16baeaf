"""POST /twilio/sms: the number's SMS flow answers, hands off to the queue, and the CRM
records the message; WhatsApp works the same way."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET

import pytest

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.domain.identity import PhoneNumber
from tests.integration.conftest import ROOT


@pytest.fixture
def sms_line(line, settings):
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    doc = json.loads((ROOT / "flows" / "sms-autoreply.json").read_text())
    flows = FlowRepository(settings)
    flows.create(line.tenant.tenant_id, "sms-autoreply", "SMS", doc)
    flows.publish(line.tenant.tenant_id, "sms-autoreply", doc, expected_revision=0)
    TenantRepository(settings).save_number(PhoneNumber(
        number=line.number, tenant_id=line.tenant.tenant_id, flow_id="voice-ivr",
        sms_flow_id="sms-autoreply"))
    return line


def _message(line, sender: str, body: str) -> dict[str, str]:
    return {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": line.tenant.twilio_account_sid,
            "From": sender, "To": line.number, "Body": body, "NumMedia": "0"}


def _replies(twiml: bytes) -> list[str]:
    return [el.text or "".join(el.itertext()) for el in ET.fromstring(twiml).iter("Message")]


@pytest.mark.parametrize("sender", ["+14155550142", "whatsapp:+14155550143"])
def test_text_gets_the_flows_reply_and_is_recorded(client, sms_line, sender):
    params = _message(sms_line, sender, "Do you deliver on Sundays?")
    body, headers = sms_line.signed("/twilio/sms", params)
    response = client.http.post("/twilio/sms", body=body, headers=headers)
    assert response.status_code == 200
    [reply] = _replies(response.body)
    assert reply.startswith("Thanks for texting Aqua Pure")
    stored = CrmRepository().get_interaction(sms_line.tenant.tenant_id, params["MessageSid"])
    assert stored is not None
    assert stored.channel == ("whatsapp" if sender.startswith("whatsapp:") else "sms")
    assert stored.summary == "Do you deliver on Sundays?"


def test_retried_message_webhook_replies_once(client, sms_line):
    params = _message(sms_line, "+14155550144", "hello")
    body, headers = sms_line.signed("/twilio/sms", params)
    first = client.http.post("/twilio/sms", body=body, headers=headers).body
    second = client.http.post("/twilio/sms", body=body, headers=headers).body
    assert first == second
    stored = CrmRepository().get_interaction(sms_line.tenant.tenant_id, params["MessageSid"])
    contact = CrmRepository().get_contact(sms_line.tenant.tenant_id, stored.contact_id)
    assert contact.interaction_count == 1


def test_forged_message_is_forbidden(client, sms_line):
    body, headers = sms_line.signed("/twilio/sms", _message(sms_line, "+14155550145", "x"),
                                    token="wrong")
    assert client.http.post("/twilio/sms", body=body, headers=headers).status_code == 403
