"""Outgoing webhooks through HTTP on DynamoDB Local: subscriptions (secret shown once,
bad input named), events published where they happen (a contact created, an interaction
completed, a voicemail, an abandoned caller) once per event, delivered by the outbox's
sweep to a local receiver with a valid signature, the delivery log, and "Send test"."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from chalicelib.domain.integrations import verify_signature
from tests.integration.api.conftest import Session
from tests.integration.api.integrations_fixtures import other_owner_fixture  # noqa: F401
from tests.integrations_receiver import WebhookReceiver

ALL_EVENTS = ["interaction.completed", "voicemail.received", "contact.created",
              "task.abandoned"]


@pytest.fixture
def receiver(monkeypatch) -> Iterator[WebhookReceiver]:
    """A receiver on 127.0.0.1, reachable through the local-run setting only."""
    from chalicelib import wiring
    from chalicelib.config import get_settings

    monkeypatch.setenv("HOTLINE_ALLOW_LOOPBACK_HTTP", "1")
    get_settings.cache_clear()
    wiring.reset()
    server = WebhookReceiver()
    yield server
    server.close()
    get_settings.cache_clear()
    wiring.reset()


def subscribe(owner: Session, url: str, events: list[str] = ALL_EVENTS) -> dict:
    status, body = owner.send("POST", "/api/webhooks", body={"url": url, "events": events})
    assert status == 201, body
    return body


def sweep() -> None:
    from chalicelib.wiring import run_outbox_sweep

    run_outbox_sweep(time.time() + 1)


def test_a_subscription_shows_its_secret_once_and_refuses_bad_input_by_field(owner, receiver):
    created = subscribe(owner, receiver.url)
    assert created["secret"].startswith("whsec_") and created["events"] == ALL_EVENTS
    listed = owner.send("GET", "/api/webhooks")[1]["webhooks"]
    assert [w["id"] for w in listed] == [created["id"]]
    assert created["secret"] not in json.dumps(listed)
    for body, path in [({"url": "http://hooks.example.com/x", "events": ALL_EVENTS}, "url"),
                       ({"url": "https://hooks.example.com/x", "events": ["call.made"]},
                        "events[0]")]:
        status, answer = owner.send("POST", "/api/webhooks", body=body)
        assert (status, answer["path"]) == (400, path)


def test_events_are_published_where_they_happen_once_each_and_delivered_signed(owner, receiver):
    # given a subscription to every event
    sub = subscribe(owner, receiver.url)
    tenant = owner.user.tenant_id
    # when a contact is created by hand, and a call is recorded as abandoned then ended,
    # and another as a voicemail (each CRM write repeated, as retried webhooks would)
    assert owner.send("POST", "/api/contacts", body={"phone": "+14155550142"})[0] == 200
    from chalicelib.wiring import get_crm_service

    crm = get_crm_service()
    for sid in ("CAabandon", "CAvoicemail"):
        crm.record_started(tenant, sid, "+14155550143", "+14155550100", "voice", "inbound")
    for _ in range(2):
        crm.record_outcome(tenant, "CAabandon", "abandoned")
        crm.record_ended(tenant, "CAabandon", "completed", 30)
        crm.record_outcome(tenant, "CAvoicemail", "voicemail",
                           recording_url="https://api.twilio.com/rec/RE1")
    sweep()
    # then each event reached the receiver once (both contacts: by hand, and first call)
    events = [json.loads(r.body) for r in receiver.received]
    types = sorted(e["type"] for e in events)
    assert types == ["contact.created", "contact.created", "interaction.completed",
                     "task.abandoned", "voicemail.received"]
    assert {e["data"]["phone"] for e in events if e["type"] == "contact.created"} == {
        "+14155550142", "+14155550143"}
    assert all(e["data"]["created_at"] > time.time() - 600 for e in events
               if e["type"] == "contact.created")
    by_type = {e["type"]: e["data"] for e in events}
    assert by_type["task.abandoned"]["interaction_id"] == "CAabandon"
    assert by_type["interaction.completed"]["id"] == "CAabandon"
    assert by_type["voicemail.received"]["recording_url"] == "https://api.twilio.com/rec/RE1"
    assert len({e["id"] for e in events}) == len(events)
    for r in receiver.received:
        assert verify_signature(r.headers["Hotline-Signature"], r.body, sub["secret"],
                                now=time.time())
        assert json.loads(r.body)["tenant_id"] == tenant
    # and the log shows each delivered at the first attempt
    status, log = owner.send("GET", f"/api/webhooks/{sub['id']}/deliveries")
    assert status == 200
    assert sorted(d["event_type"] for d in log["deliveries"]) == types
    assert {(d["status"], d["attempt_count"], d["status_code"])
            for d in log["deliveries"]} == {("delivered", 1, 200)}


def test_send_test_delivers_now_and_a_failure_is_logged_with_its_next_retry(owner, receiver):
    sub = subscribe(owner, receiver.url, ["contact.created"])
    receiver.statuses = [500]
    # when "Send test" runs against a receiver answering 500
    status, body = owner.send("POST", f"/api/webhooks/{sub['id']}/test")
    # then the attempt is logged with the status code, the error and the next retry
    assert status == 200, body
    delivery = body["delivery"]
    assert delivery["event_type"] == "webhook.test" and delivery["status"] == "retrying"
    assert delivery["status_code"] == 500 and "HTTP 500" in delivery["error"]
    assert delivery["next_retry_at"] - time.time() > 80
    assert len(receiver.received) == 1
    # and the next test is delivered
    status, body = owner.send("POST", f"/api/webhooks/{sub['id']}/test")
    assert body["delivery"]["status"] == "delivered"


def test_a_deleted_webhook_is_gone_and_another_business_never_sees_it(owner, receiver,
                                                                     other_owner):
    sub = subscribe(owner, receiver.url)
    for method, path in [("GET", f"/api/webhooks/{sub['id']}/deliveries"),
                         ("POST", f"/api/webhooks/{sub['id']}/test"),
                         ("DELETE", f"/api/webhooks/{sub['id']}")]:
        assert other_owner.send(method, path)[0] == 404
    assert other_owner.send("GET", "/api/webhooks")[1]["webhooks"] == []
    assert owner.send("DELETE", f"/api/webhooks/{sub['id']}")[0] == 200
    assert owner.send("GET", f"/api/webhooks/{sub['id']}/deliveries")[0] == 404


def test_a_first_call_creates_a_contact_once_though_twilio_retries_the_webhook(line, client,
                                                                               receiver):
    # given a business subscribed to contact.created
    from chalicelib.domain.identity import Principal, Role
    from chalicelib.wiring import get_webhooks

    owner = Principal(line.tenant.tenant_id, "u_owner", Role.OWNER)
    sub = get_webhooks().create(owner, {"url": receiver.url, "events": ["contact.created"]})
    # when a new number calls, and Twilio delivers the webhook twice
    params = line.call_params("CA" + "f1" * 16, caller="+14155550177")
    for _ in range(2):
        body, headers = line.signed("/twilio/voice", params)
        assert client.http.post("/twilio/voice", headers=headers, body=body).status_code == 200
    sweep()
    # then the receiver hears of the new contact once, signed
    (got,) = receiver.received
    event = json.loads(got.body)
    assert (event["type"], event["data"]["phone"]) == ("contact.created", "+14155550177")
    assert verify_signature(got.headers["Hotline-Signature"], got.body, sub["secret"],
                            now=time.time())
    # and a second call from that number is no new contact
    second = line.call_params("CA" + "f2" * 16, caller="+14155550177")
    body, headers = line.signed("/twilio/voice", second)
    assert client.http.post("/twilio/voice", headers=headers, body=body).status_code == 200
    sweep()
    assert len(receiver.received) == 1
