"""An outgoing webhook through the whole stack: a caller leaves a voicemail through the
carrier simulator (IVR, press 3, speak, #), Hotline publishes ``voicemail.received``, and the
outbox's sweep delivers it to the business's receiver, which fails twice (500) and then
accepts. Every attempt carries the same body, signed afresh and correctly; the delivery log
shows the three attempts and the backoff between them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.domain.integrations import backoff_seconds, verify_signature
from sim.client import SimClient
from tests.integrations_receiver import WebhookReceiver
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(500, 500)  # then 200
    yield server
    server.close()


@pytest.fixture
def subscription(stack: RunningStack, receiver: WebhookReceiver) -> Iterator[dict[str, Any]]:
    owner = stack.owner()
    created = owner.ok("POST", "/api/webhooks", {"url": receiver.url,
                                                 "events": ["voicemail.received"]})
    yield created
    owner.ok("DELETE", f"/api/webhooks/{created['id']}")


def leave_voicemail(stack: RunningStack, phone: SimClient, caller: str) -> str:
    sid = phone.call(caller, stack.demo.number)
    phone.wait_listening(sid)
    phone.press(sid, "3")
    phone.wait_listening(sid, "record")
    phone.say(sid, "Please call me back about my water delivery")
    phone.press(sid, "#")
    phone.wait_for_text(sid, "Thank you for your message")
    return sid


def delivery(owner: Api, webhook_id: str) -> dict[str, Any] | None:
    log = owner.ok("GET", f"/api/webhooks/{webhook_id}/deliveries")["deliveries"]
    return next((d for d in log if d["event_type"] == "voicemail.received"), None)


def sweep_until_attempt(owner: Api, webhook_id: str, attempts: int, at: float) -> dict:
    """Run the scheduled sweep as of ``at`` (passes of 50 items) until the attempt is in."""
    from chalicelib.wiring import run_outbox_sweep

    for _ in range(10):
        run_outbox_sweep(at)
        found = delivery(owner, webhook_id)
        if found is not None and found["attempt_count"] >= attempts:
            return found
    raise AssertionError(f"attempt {attempts} never ran")


def test_a_voicemail_webhook_fails_twice_then_succeeds_signed_each_time(
        stack: RunningStack, receiver: WebhookReceiver, subscription: dict[str, Any]) -> None:
    owner = stack.owner()
    phone = SimClient(stack.sim_url, timeout=40.0)
    # given a caller who leaves a voicemail through the IVR
    caller = new_caller()
    call_sid = leave_voicemail(stack, phone, caller)
    # then the event is published once, waiting for the sweep
    queued = phone.wait_for(lambda: delivery(owner, subscription["id"]),
                            what="the voicemail.received delivery")
    assert queued["status"] == "pending" and queued["attempt_count"] == 0
    # when the sweep runs, and again once each backoff has passed
    first = sweep_until_attempt(owner, subscription["id"], 1, time.time() + 1)
    assert (first["status"], first["status_code"]) == ("retrying", 500)
    assert first["next_retry_at"] - first["attempts"][0]["at"] >= backoff_seconds(1)
    second = sweep_until_attempt(owner, subscription["id"], 2, first["next_retry_at"] + 1)
    assert (second["status"], second["status_code"]) == ("retrying", 500)
    assert second["next_retry_at"] - second["attempts"][1]["at"] >= backoff_seconds(2)
    third = sweep_until_attempt(owner, subscription["id"], 3, second["next_retry_at"] + 1)
    # then the third attempt delivered it, and the log holds all three
    assert (third["status"], third["status_code"], third["next_retry_at"]) == (
        "delivered", 200, None)
    assert [(a["attempt"], a["status_code"]) for a in third["attempts"]] == [
        (1, 500), (2, 500), (3, 200)]
    assert "HTTP 500" in third["attempts"][0]["error"]
    # and the receiver got the same event three times, each correctly signed
    assert len(receiver.received) == 3
    assert len({r.body for r in receiver.received}) == 1
    for got in receiver.received:
        assert verify_signature(got.headers["Hotline-Signature"], got.body,
                                subscription["secret"], now=time.time())
        assert got.headers["Hotline-Event"] == "voicemail.received"
        assert not verify_signature(got.headers["Hotline-Signature"], got.body,
                                    "whsec_wrong", now=time.time())
    event = json.loads(receiver.received[0].body)
    assert event["type"] == "voicemail.received" and event["id"] == third["event_id"]
    assert event["data"]["interaction_id"] == call_sid
    assert event["data"]["phone"] == caller and event["data"]["recording_url"]
    # and no fourth attempt was scheduled
    from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository

    tenant = owner.ok("GET", "/api/me")["tenant_id"]
    fourth = f"whk#{tenant}#{event['id']}#{subscription['id']}:4"
    assert OutboxRepository().get(fourth) is None
    assert OutboxRepository().get(fourth[:-1] + "3").status == "done"
