"""The local app server holds a burst of 50 simultaneous Twilio webhooks: every one is
accepted and answered, none is reset (its listen backlog fits the burst)."""

from __future__ import annotations

import http.client
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from twilio.request_validator import RequestValidator

from tests.stack import RunningStack

BURST = 50

pytestmark = pytest.mark.e2e


def _signed_call(stack: RunningStack, account_sid: str, auth_token: str,
                 index: int) -> tuple[bytes, dict[str, str]]:
    """An incoming-call webhook for the demo number, as Twilio signs it."""
    params = {"CallSid": "CA" + uuid.uuid4().hex, "AccountSid": account_sid,
              "From": f"+1628555{index:04d}", "To": stack.demo.number,
              "CallStatus": "ringing", "Direction": "inbound", "ApiVersion": "2010-04-01"}
    signature = RequestValidator(auth_token).compute_signature(
        stack.app_url + "/twilio/voice", params)
    return urlencode(params).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}


def test_fifty_simultaneous_webhooks_are_all_answered_with_no_reset(
        stack: RunningStack) -> None:
    from chalicelib.wiring import get_tenant_repository

    # given 50 signed incoming-call webhooks, ready at once
    tenant = get_tenant_repository().get(stack.demo.tenant_id)
    assert tenant is not None
    requests = [_signed_call(stack, tenant.twilio_account_sid, tenant.twilio_auth_token, i)
                for i in range(BURST)]
    target = urlsplit(stack.app_url)
    start = threading.Barrier(BURST)

    def send(index: int) -> int | str:
        body, headers = requests[index]
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        start.wait()  # every connection opens in the same instant
        try:
            connection.request("POST", "/twilio/voice", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status
        except (ConnectionError, OSError) as exc:  # a reset is the failure under test
            return f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

    # when they all arrive together
    began = time.monotonic()
    with ThreadPoolExecutor(BURST) as pool:
        outcomes = list(pool.map(send, range(BURST)))
    print(f"burst of {BURST} webhooks answered in {time.monotonic() - began:.2f}s")
    # then every one was accepted and answered with TwiML: no reset, no error
    failures = [o for o in outcomes if o != 200]
    assert not failures, f"{len(failures)} of {BURST} failed: {failures[:5]}"
