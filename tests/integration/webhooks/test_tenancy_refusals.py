"""Every webhook refusal of the tenant gate (docs/tenancy.md), through signed HTTP on
DynamoDB Local: an inactive tenant's callers hear its message and texters read it; a
medium the operator switched off gets its polite refusal; a flow's send-message on an
sms_out-off tenant fails its widget. Nothing is queued, no flow runs, and the CRM still
shows the contact."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import replace
from html import unescape

import pytest

from chalicelib.domain.tenancy import ALL_ON, DEFAULT_MESSAGES
from chalicelib.services.tenancy import INBOUND_OFF
from tests.integration.webhooks.conftest import Business


def _with_terms(biz: Business, **terms: object) -> Business:
    """The operator's terms, saved before the business's first webhook."""
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    biz.tenant = replace(biz.tenant, **terms)  # type: ignore[arg-type]
    TenantRepository(biz.settings).save(biz.tenant)
    return biz


def _off(*names: str) -> dict[str, bool]:
    return {**ALL_ON, **{name: False for name in names}}


def _sms(biz: Business, body: str = "Hi", sender: str | None = None) -> dict[str, str]:
    sender = sender or biz.caller
    to = ("whatsapp:" + biz.number) if sender.startswith("whatsapp:") else biz.number
    return {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": biz.tenant.twilio_account_sid,
            "From": sender, "To": to, "Body": body, "NumMedia": "0",
            "ApiVersion": "2010-04-01"}


def _said(twiml: str) -> list[str]:
    return [unescape(s) for s in re.findall(r"<Say[^>]*>([^<]*)</Say>", twiml)]


def _replies(twiml: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<Message[^>]*>([^<]*)</Message>", twiml)]


def _interaction(biz: Business, sid: str):  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository

    return CrmRepository().get_interaction(biz.tenant_id, sid)


def _tasks_and_executions(biz: Business) -> tuple[list, list]:
    """What a flow would have left: its execution, and its hand-off to routing (an outbox
    item: the queue's task is made from it)."""
    snapshot = biz.snapshot()
    return snapshot["outbox"], snapshot["flow_executions"]


# --- voice ------------------------------------------------------------------------------
def test_a_suspended_tenants_caller_hears_its_message_and_is_not_queued(business_factory):
    # given a business the operator suspended, with its own words for callers
    biz = _with_terms(business_factory(), status="suspended",
                      messages={"suspended": "Aqua Pure is closed for renovation."})
    call = "CA" + uuid.uuid4().hex
    # when a caller rings its number
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    # then the caller hears the message, then Twilio hangs up: no menu, no queue
    assert _said(twiml) == ["Aqua Pure is closed for renovation."]
    assert twiml.rstrip().endswith("<Hangup /></Response>")
    assert "<Gather" not in twiml and "<Enqueue" not in twiml
    tasks, executions = _tasks_and_executions(biz)
    assert tasks == [] and executions == []
    # and the CRM shows the refused call; a retry hears the same words
    stored = _interaction(biz, call)
    assert stored is not None and stored.status == "refused"
    assert biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing")) == twiml


@pytest.mark.parametrize(("terms", "words"), [
    ({"status": "closed", "closed_at": 1.0}, DEFAULT_MESSAGES["closed"]),
    ({"valid_until": 1_000_000.0}, DEFAULT_MESSAGES["expired"]),
    ({"permissions": _off("voice_in")}, INBOUND_OFF["voice_in"]),
])
def test_a_closed_expired_or_voice_off_tenant_refuses_calls_politely(business_factory, terms,
                                                                      words):
    biz = _with_terms(business_factory(), **terms)

    twiml = biz.answer("/twilio/voice", biz.call_params("CA" + uuid.uuid4().hex))

    assert _said(twiml) == [words]
    assert "<Hangup" in twiml and "<Gather" not in twiml


def test_a_tenant_with_voice_in_on_and_sms_off_still_takes_calls(business_factory):
    biz = _with_terms(business_factory(), permissions=_off("sms_in", "sms_out"))

    twiml = biz.answer("/twilio/voice", biz.call_params("CA" + uuid.uuid4().hex))

    assert "<Gather" in twiml


def test_an_unsigned_request_is_still_refused_before_any_gate(business_factory):
    biz = _with_terms(business_factory(), status="suspended")

    response = biz.client.http.post("/twilio/voice", body="CallSid=CA1", headers={
        "Content-Type": "application/x-www-form-urlencoded"})

    assert response.status_code == 403


# --- SMS and WhatsApp ---------------------------------------------------------------------
def test_a_suspended_tenants_texter_gets_its_message_and_no_agent_task(business_factory):
    biz = _with_terms(business_factory(), status="suspended")
    params = _sms(biz)

    reply = biz.answer("/twilio/sms", params)

    assert _replies(reply) == [DEFAULT_MESSAGES["suspended"]]
    tasks, executions = _tasks_and_executions(biz)
    assert tasks == [] and executions == []
    stored = _interaction(biz, params["MessageSid"])
    assert stored is not None and stored.status == "refused"


def test_an_expired_tenants_whatsapp_texter_gets_the_expired_message(business_factory):
    biz = _with_terms(business_factory(), valid_until=time.time() - 60,
                      messages={"expired": "Our subscription lapsed; call back soon."})

    reply = biz.answer("/twilio/sms", _sms(biz, sender="whatsapp:+14155550123"))

    assert _replies(reply) == ["Our subscription lapsed; call back soon."]


def test_sms_in_off_gets_the_polite_reply_and_no_flow(business_factory):
    biz = _with_terms(business_factory(), permissions=_off("sms_in"))

    reply = biz.answer("/twilio/sms", _sms(biz))

    assert _replies(reply) == [INBOUND_OFF["sms_in"]]
    assert _tasks_and_executions(biz) == ([], [])


def test_sms_in_off_with_sms_out_off_gets_no_reply_at_all(business_factory):
    biz = _with_terms(business_factory(), permissions=_off("sms_in", "sms_out"))

    reply = biz.answer("/twilio/sms", _sms(biz))

    assert _replies(reply) == []
    assert "<Message" not in reply and reply.strip().endswith("<Response />")
    assert _tasks_and_executions(biz) == ([], [])


def test_whatsapp_in_off_refuses_whatsapp_but_sms_still_runs_the_flow(business_factory):
    biz = _with_terms(business_factory(), permissions=_off("whatsapp_in"))

    refused = biz.answer("/twilio/sms", _sms(biz, sender="whatsapp:+14155550123"))
    served = biz.answer("/twilio/sms", _sms(biz))

    assert _replies(refused) == [INBOUND_OFF["whatsapp_in"]]
    assert _replies(served) and "Thanks for texting" in _replies(served)[0]


def test_sms_out_off_fails_the_flows_send_message_widget_with_a_logged_reason(
        business_factory, caplog):
    # given a business whose outbound SMS the operator switched off
    biz = _with_terms(business_factory(), permissions=_off("sms_out"))
    params = _sms(biz)
    # when a customer texts, and the SMS flow's first widget would acknowledge it
    with caplog.at_level("WARNING", logger="hotline.tenancy"):
        reply = biz.answer("/twilio/sms", params)
    # then no acknowledgement is sent; the widget took "failed" (the flow went on to an
    # agent, as its failed transition says), and the reason is in the log
    assert _replies(reply) == []
    assert "sms_out refused" in caplog.text
    from chalicelib.domain.flows.context import conversation_id
    from chalicelib.wiring import get_flow_session

    context = get_flow_session().execution(biz.tenant_id,
                                           conversation_id(params["From"], biz.number))
    assert context is not None
    assert "sms_out" in context.widgets["ack_open"]["error"]
