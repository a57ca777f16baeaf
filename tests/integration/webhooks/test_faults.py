"""Faults on the webhook path, each through signed HTTP on DynamoDB Local: the caller
hears polite TwiML, and the interaction is still recorded (or recorded by the sweep's
retry). DynamoDB faults come from a failing botocore client (a ``before-send`` hook that
answers ThrottlingException, times out, or cancels a transaction); Twilio's from the
recording fake's fault switch. Each test prints the TwiML; none asserts a duration.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from tests.integration.webhooks.conftest import Business, path_of

SORRY = "Sorry, we can't take your call right now"


def _sid(prefix: str = "CA") -> str:
    return prefix + uuid.uuid4().hex


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def _error(code: str, **extra: Any) -> AWSResponse:
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}",
                       "message": f"injected {code}", **extra}).encode()
    return AWSResponse("https://dynamodb.local/", 400,
                       {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.0"},
                       _Raw(body))


@contextmanager
def dynamo_fault(settings: Any, operation: str, fault: str,
                 times: int | None = None) -> Iterator[list[str]]:
    """Make DynamoDB's ``operation`` fail (``throttle``, ``timeout``, ``conflict``) for its
    next ``times`` attempts (botocore's own retries included), or until the block ends."""
    from chalicelib.adapters.dynamo import base

    client = base.connection(settings).client
    attempts: list[str] = []

    def fail(request: Any, **_: Any) -> AWSResponse | None:
        if times is not None and len(attempts) >= times:
            return None
        attempts.append(operation)
        if fault == "timeout":
            raise ReadTimeoutError(endpoint_url=request.url)
        if fault == "conflict":  # the execution's version condition, as in a race
            return _error("TransactionCanceledException", CancellationReasons=[
                {"Code": "None"}, {"Code": "None"}, {"Code": "None"},
                {"Code": "ConditionalCheckFailed", "Message": "injected"}])
        return _error("ThrottlingException")

    event = f"before-send.dynamodb.{operation}"
    client.meta.events.register(event, fail)
    try:
        yield attempts
    finally:
        client.meta.events.unregister(event, fail)


def _interaction(biz: Business, sid: str) -> Any:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository

    return CrmRepository().get_interaction(biz.tenant_id, sid)


def _menu(biz: Business) -> tuple[str, str]:
    call = _sid()
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    found = re.search(r'<Gather[^>]*action="([^"]+)"', twiml)
    assert found, twiml
    return call, path_of(found.group(1), biz.settings)


# --- DynamoDB -------------------------------------------------------------------------
def test_a_throttled_commit_answers_politely_and_still_records_the_call(business_factory,
                                                                         settings):
    # given DynamoDB throttling every transaction
    biz = business_factory()
    call = _sid()
    with dynamo_fault(settings, "TransactWriteItems", "throttle") as attempts:
        # when a call arrives
        twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    print(f"\nthrottled commit ({len(attempts)} attempts, {biz.last_seconds:.2f} s): {twiml}")
    # then the caller hears the apology and the call is recorded, once, as unserved
    assert SORRY in twiml and "<Hangup" in twiml
    assert len(attempts) == 2  # botocore's one retry (HOTLINE_DYNAMODB_RETRIES=1)
    stored = _interaction(biz, call)
    assert stored is not None and stored.status == "unserved"


def test_a_dynamodb_timeout_mid_call_answers_politely_and_the_retry_is_served(
        business_factory, settings):
    # given a caller in the menu, and DynamoDB timing out on reads
    biz = business_factory()
    call, menu = _menu(biz)
    with dynamo_fault(settings, "GetItem", "timeout") as attempts:
        # when the caller presses 2
        twiml = biz.answer(menu, biz.call_params(call, Digits="2"))
    print(f"\nread timeout mid-call ({len(attempts)} attempts, {biz.last_seconds:.2f} s): "
          f"{twiml}")
    # then they hear the apology, and the call they are on stays recorded
    assert SORRY in twiml
    assert _interaction(biz, call) is not None
    # and Twilio's retry, once DynamoDB is back, is served (the claim was given back)
    retry = biz.answer(menu, biz.call_params(call, Digits="2"))
    assert "<Enqueue" in retry


def test_a_storm_of_conditional_failures_is_retried_then_answered(business_factory,
                                                                  settings):
    # given the execution's version condition failing on two commits in a row
    biz = business_factory()
    call = _sid()
    with dynamo_fault(settings, "TransactWriteItems", "conflict", times=2) as attempts:
        twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    print(f"\nconditional failures x{len(attempts)} ({biz.last_seconds:.2f} s): {twiml}")
    # then the step ran again from a fresh read and the caller hears the flow
    assert len(attempts) == 2 and "<Gather" in twiml
    assert _interaction(biz, call).status != "unserved"
    # and when the condition keeps failing, the caller hears the apology, call recorded
    other = _sid()
    with dynamo_fault(settings, "TransactWriteItems", "conflict"):
        polite = biz.answer("/twilio/voice", biz.call_params(other, CallStatus="ringing"))
    print(f"conditional failures, endless ({biz.last_seconds:.2f} s): {polite}")
    assert SORRY in polite and _interaction(biz, other).status == "unserved"


def test_twenty_deliveries_at_once_of_one_step_have_one_effect(business_factory):
    # given a caller in the menu and a part-timer whose mobile rings on overflow
    biz = business_factory()
    biz.agent("pat", tier="part-time", mobile="+14155550777", take_on_mobile=True)
    call, menu = _menu(biz)
    # when the menu answer arrives twenty times at once (a storm of conditional failures)
    params = biz.call_params(call, Digits="2")
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: biz.answer(menu, params), range(20)))
    # then one answer, one task, one ring
    assert len(set(answers)) == 1 and "<Enqueue" in answers[0]
    from chalicelib.domain.routing.model import task_id_for

    task = biz.task(task_id_for(biz.tenant_id, call))
    assert len(task.reservations) == 1
    assert [op for op, _ in biz.telephony.of(biz.tenant_id)] == ["place_call"]
    assert _interaction(biz, call).task_id == task.task_id


# --- Twilio REST ----------------------------------------------------------------------
def _ring_fails(biz: Business, fault: str) -> None:
    biz.agent("pat", tier="part-time", mobile="+14155550777", take_on_mobile=True)
    call, menu = _menu(biz)
    biz.telephony.fault = fault
    try:
        twiml = biz.answer(menu, biz.call_params(call, Digits="2"))
    finally:
        biz.telephony.fault = None
    print(f"\nTwilio {fault} on the part-timer's ring ({biz.last_seconds:.2f} s): {twiml}")
    # the caller waits in the queue, the offer is withdrawn, the failure is on record
    assert "<Enqueue" in twiml
    from chalicelib.domain.routing.model import TaskStatus, task_id_for

    assert biz.task(task_id_for(biz.tenant_id, call)).status is TaskStatus.PENDING
    rings = [i for i in biz.snapshot()["outbox"] if i["kind"] == "telephony.place_call"]
    assert [i["status"] for i in rings] == ["failed"]
    assert _interaction(biz, call).queue == "support"


def test_twilio_5xx_on_a_ring_leaves_the_caller_queued_and_the_failure_recorded(
        business_factory):
    _ring_fails(business_factory(), "5xx")


def test_twilio_timeout_on_a_ring_leaves_the_caller_queued_and_the_failure_recorded(
        business_factory):
    _ring_fails(business_factory(), "timeout")


def test_an_sms_the_carrier_refused_is_sent_once_by_the_sweep(business_factory):
    # given a voice flow that texts the caller a link, and the carrier answering 503
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository

    biz = business_factory()
    flow = {"description": "text a link", "initial_state": "Trigger", "flags": {},
            "states": [
                {"name": "Trigger", "type": "trigger", "properties": {},
                 "transitions": [{"event": "incomingCall", "next": "text"},
                                 {"event": "incomingMessage"}, {"event": "incomingRequest"}]},
                {"name": "text", "type": "send-message",
                 "properties": {"body": "Our menu: https://example.com/menu"},
                 "transitions": [{"event": "sent", "next": "bye"}, {"event": "failed"}]},
                {"name": "bye", "type": "say-play",
                 "properties": {"say": "We sent you a text. Goodbye."},
                 "transitions": [{"event": "audioComplete"}]}]}
    flows = FlowRepository(biz.settings)
    flows.create(biz.tenant_id, "link", "link", flow)
    flows.publish(biz.tenant_id, "link", flow, expected_revision=0)
    flows.bind_number(biz.tenant_id, biz.number, "link", "voice")
    biz.carrier.fault = "5xx"
    call = _sid()
    # when a call arrives
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    print(f"\ncarrier 503 on send-message ({biz.last_seconds:.2f} s): {twiml}")
    # then the caller hears the flow, the text waits in the outbox
    assert "We sent you a text" in twiml and not biz.carrier.of(biz.tenant_id)
    [item] = [i for i in biz.snapshot()["outbox"] if i["kind"] == "carrier.send_message"]
    assert item["status"] == "pending"
    # and once the carrier is back the sweep sends it, once
    import time

    from chalicelib.wiring import run_outbox_sweep

    biz.carrier.fault = None
    run_outbox_sweep(time.time() + 120)
    run_outbox_sweep(time.time() + 240)
    assert biz.carrier.of(biz.tenant_id) == [(biz.caller, "Our menu: https://example.com/menu")]
