"""The routing sweep: offer time-outs, escalations, wrap-up ends, callbacks, lost callers.

In AWS a schedule runs once a minute (EventBridge's finest rate), so one invocation
sweeps every few seconds for most of the minute, stopping in time for the function's
own timeout (give ``routing_sweep`` a ``lambda_timeout`` of 60 in .chalice/config.json);
the local runner calls ``run_sweep()`` every few seconds instead.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from chalice import Blueprint, Rate

bp = Blueprint(__name__)
log = logging.getLogger("hotline.routing.sweep")

SWEEP_EVERY_SECONDS = 5.0
SWEEP_FOR_SECONDS = 50.0


def run_sweep(now: float | None = None) -> dict[str, Any]:
    """One pass over every due timer (routing, and conversations waiting for a reply
    past their deadline); returns what it did."""
    from chalicelib.wiring import get_messaging_service, get_routing_sweep, run_outbox_sweep

    report = dict(get_routing_sweep().run(now).__dict__)
    report["conversations_expired"] = get_messaging_service().expire_due(now)
    report["numbers_released"] = _release_closed_numbers(now)  # before the outbox runs
    report["numbers_metered"] = _meter_held_numbers(now)
    report["outbox"] = run_outbox_sweep(now).__dict__
    return report


def _release_closed_numbers(now: float | None) -> int:
    """Closed tenants' numbers past their grace (docs/tenancy.md; scans at most hourly)."""
    from chalicelib.wiring import release_closed_numbers

    return release_closed_numbers(now)


def _meter_held_numbers(now: float | None) -> int:
    """This month's numbers units for every tenant holding a number (docs/billing.md;
    at most hourly)."""
    from chalicelib.wiring import meter_held_numbers

    return meter_held_numbers(now)


def _seconds_left(event: Any) -> float:
    context = getattr(event, "context", None)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return remaining() / 1000.0 if callable(remaining) else SWEEP_FOR_SECONDS


@bp.schedule(Rate(1, unit=Rate.MINUTES))
def routing_sweep(event: Any) -> None:
    budget = min(SWEEP_FOR_SECONDS, _seconds_left(event) - SWEEP_EVERY_SECONDS)
    deadline = time.monotonic() + budget
    while True:
        report = run_sweep()
        if report["examined"] or report["conversations_expired"] or \
                report["outbox"]["examined"] or report.get("numbers_released") or \
                report.get("numbers_metered"):
            log.info("sweep: %s", report)
        if time.monotonic() + SWEEP_EVERY_SECONDS >= deadline:
            return
        time.sleep(SWEEP_EVERY_SECONDS)
