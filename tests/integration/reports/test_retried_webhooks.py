"""Through the signed Twilio routes: a call that ends in the IVR is counted once, however
often its final status is delivered or its settlement replayed."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.metrics.aggregates import Filter


def test_a_retried_status_callback_counts_the_call_once(client, line) -> None:
    from chalicelib import wiring

    # given a caller who hangs up at the menu
    call = "CA" + uuid.uuid4().hex
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    assert client.http.post("/twilio/voice", body=body, headers=headers).status_code == 200
    status = line.call_params(call, CallStatus="completed", CallDuration="4")
    body, headers = line.signed("/twilio/voice/status", status)
    # when Twilio delivers the final status three times, and the settlement is replayed
    for _ in range(3):
        assert client.http.post("/twilio/voice/status", body=body,
                                headers=headers).status_code == 200
    tenant_id = line.tenant.tenant_id
    assert wiring.get_crm_service().settle(tenant_id, call) is False
    # then today's report counts one IVR abandon, not offered to any queue
    today = datetime.fromtimestamp(time.time(), ZoneInfo("America/New_York")).date()
    summary = wiring.get_reports().summary(tenant_id, today.isoformat(), today.isoformat(),
                                           Filter())
    assert (summary["ivr_abandoned"], summary["offered"]) == (1, 0)
    rows = wiring.get_reports().interactions(tenant_id, today.isoformat(), today.isoformat(),
                                             Filter(), "ivr_abandoned", None)["interactions"]
    assert [r["id"] for r in rows] == [call]
    assert rows[0]["ivr_seconds"] >= 0 and rows[0]["metric_outcome"] == "abandoned-ivr"
