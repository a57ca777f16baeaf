"""Usage and invoices through HTTP: metered from signed Twilio callbacks, read by the
owner and the operator, refused to agents and other tenants (docs/billing.md)."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid

from chalicelib.domain.billing.usage import month_of
from chalicelib.domain.identity import PLATFORM_TENANT, Principal, Role
from tests.integration.sessions import session_token


def _auth(settings, tenant_id: str, role: Role, user: str = "u1") -> dict[str, str]:
    token = session_token(settings, Principal(tenant_id, f"{user}-{role.value}", role))
    return {"Authorization": f"Bearer {token}"}


def _operator(settings) -> dict[str, str]:
    return _auth(settings, PLATFORM_TENANT, Role.OPERATOR, "op")


def _completed(line, call_sid: str, seconds: int) -> tuple[str, dict[str, str]]:
    return line.signed("/twilio/voice/status", line.call_params(
        call_sid, CallStatus="completed", CallDuration=str(seconds)))


def _month(line) -> str:
    return month_of(time.time(), line.tenant.timezone)


def test_a_retried_status_callback_meters_the_leg_once(client, line, settings):
    # given a 125 s inbound call whose completed callback Twilio delivers twice
    body, headers = _completed(line, "CA" + uuid.uuid4().hex, 125)
    for _ in range(2):
        assert client.http.post("/twilio/voice/status", body=body,
                                headers=headers).status_code == 200
    # when the owner reads this month's usage
    response = client.http.get("/api/usage",
                               headers=_auth(settings, line.tenant.tenant_id, Role.OWNER))
    # then three started minutes, one record, and the number held this month
    usage = json.loads(response.body)
    assert response.status_code == 200
    assert usage["month"] == _month(line)
    assert usage["totals"]["voice_in_minutes"] == 3
    assert usage["totals"]["numbers"] == 1
    calls = [r for r in usage["records"] if r["kind"] == "voice_in_minutes"]
    assert [r["quantity"] for r in calls] == [3]


def test_an_inbound_text_and_the_flows_reply_are_metered_in_segments(client, line, settings):
    # given the number's SMS flow auto-replies, and a text with an emoji (UCS-2) of 80
    # characters: two segments
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.adapters.dynamo.usage_repository import UsageRepository
    from chalicelib.domain.billing.segments import count_segments
    from chalicelib.domain.identity import PhoneNumber
    from chalicelib.services.billing.hooks import message_bodies
    from tests.integration.conftest import ROOT

    doc = json.loads((ROOT / "flows" / "sms-autoreply.json").read_text())
    FlowRepository(settings).create(line.tenant.tenant_id, "sms-autoreply", "SMS", doc)
    FlowRepository(settings).publish(line.tenant.tenant_id, "sms-autoreply", doc,
                                     expected_revision=0)
    TenantRepository(settings).save_number(PhoneNumber(
        number=line.number, tenant_id=line.tenant.tenant_id, flow_id="voice-ivr",
        sms_flow_id="sms-autoreply"))

    sid = "SM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "AccountSid": line.tenant.twilio_account_sid,
              "From": "+14155550199", "To": line.number, "Body": "😀" + "x" * 79,
              "NumMedia": "0"}
    body, headers = line.signed("/twilio/sms", params)
    # when it arrives twice
    replies = [client.http.post("/twilio/sms", body=body, headers=headers) for _ in range(2)]
    # then the inbound segments count once, and each <Message> replied counts once
    sent = message_bodies(replies[0].body.decode())
    assert sent and replies[1].body == replies[0].body
    counters = UsageRepository(settings).counters(line.tenant.tenant_id, _month(line))
    assert counters["sms_in_segments"] == 2
    assert counters["sms_out_segments"] == sum(count_segments(b).segments for b in sent)


def test_the_invoice_is_json_or_a_csv_download(client, line, settings):
    body, headers = _completed(line, "CA" + uuid.uuid4().hex, 60)
    client.http.post("/twilio/voice/status", body=body, headers=headers)
    owner = _auth(settings, line.tenant.tenant_id, Role.OWNER)
    month = _month(line)
    # when the owner asks for the invoice as JSON and as CSV
    as_json = json.loads(client.http.get(f"/api/invoices/{month}", headers=owner).body)
    response = client.http.get(f"/api/invoices/{month}.csv", headers=owner)
    # then the same lines and total
    assert as_json["status"] == "open" and as_json["currency"] == "USD"
    lines = {line["kind"]: line for line in as_json["lines"]}
    assert lines["voice_in_minutes"]["quantity"] == 1
    assert lines["voice_in_minutes"]["amount"] == "0.02"  # 0.015 half-up
    assert lines["numbers"]["amount"] == "2.00"
    assert as_json["total"] == "2.02"
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="invoice-{month}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    assert [r["kind"] for r in rows] == ["voice_in_minutes", "numbers", "total"]
    assert rows[-1]["amount"] == "2.02"


def test_the_operator_reads_a_tenants_usage_and_invoice_but_not_through_tenant_routes(
        client, line, settings):
    op = _operator(settings)
    tenant = line.tenant.tenant_id
    month = _month(line)
    usage = client.http.get(f"/api/operator/tenants/{tenant}/usage?month={month}", headers=op)
    invoice = client.http.get(f"/api/operator/tenants/{tenant}/invoices/{month}.csv",
                              headers=op)
    assert usage.status_code == 200 and json.loads(usage.body)["totals"]["numbers"] == 1
    assert invoice.status_code == 200 and b"numbers" in invoice.body
    assert client.http.get("/api/usage", headers=op).status_code == 403
    assert client.http.get(f"/api/operator/tenants/{PLATFORM_TENANT}/usage",
                           headers=op).status_code == 404


def test_agents_and_tenants_cannot_read_bills_they_do_not_own(client, line, settings):
    tenant = line.tenant.tenant_id
    agent = _auth(settings, tenant, Role.AGENT)
    owner_b = _auth(settings, "tn_" + uuid.uuid4().hex[:12], Role.OWNER)
    assert client.http.get("/api/usage", headers=agent).status_code == 403
    assert client.http.get("/api/invoices/2026-11", headers=agent).status_code == 403
    for path in (f"/api/operator/tenants/{tenant}/usage",
                 f"/api/operator/tenants/{tenant}/invoices/2026-11"):
        assert client.http.get(path, headers=owner_b).status_code == 403


def test_a_bad_month_or_cursor_is_a_400_naming_the_field(client, line, settings):
    owner = _auth(settings, line.tenant.tenant_id, Role.OWNER)
    for path in ("/api/usage?month=2026-13", "/api/invoices/2026-11.pdf",
                 "/api/invoices/november", "/api/invoices/0000-01"):
        response = client.http.get(path, headers=owner)
        assert response.status_code == 400, path
        assert json.loads(response.body)["path"] == "month"
    response = client.http.get("/api/usage?kind=numbers&cursor=r%23chat_conversations%23ch_1",
                               headers=owner)
    assert response.status_code == 400
    assert json.loads(response.body)["path"] == "cursor"


def test_a_dial_action_meters_the_dialed_leg_and_its_recording(client, line, settings):
    # given a flow's <Dial record> whose action reports the dialed leg and the recording
    from chalicelib.adapters.dynamo.usage_repository import UsageRepository

    params = line.call_params("CA" + uuid.uuid4().hex, CallStatus="in-progress",
                              DialCallSid="CA" + uuid.uuid4().hex, DialCallStatus="completed",
                              DialCallDuration="95", RecordingSid="RE" + uuid.uuid4().hex,
                              RecordingDuration="95")
    body, headers = line.signed("/twilio/voice/flow", params)
    # when it arrives twice
    for _ in range(2):
        assert client.http.post("/twilio/voice/flow", body=body,
                                headers=headers).status_code == 200
    # then the dialed leg counts two outbound minutes and the recording two minutes, once
    counters = UsageRepository(settings).counters(line.tenant.tenant_id, _month(line))
    assert (counters["voice_out_minutes"], counters["recording_minutes"]) == (2, 2)
    assert counters["voice_in_minutes"] == 0
