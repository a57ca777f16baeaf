"""Numbers per month, by the scheduled sweep: at most once per ``every`` seconds, every
tenant holding a number gets this month's ``numbers`` units (idempotent: a number already
metered this month is skipped). Reading a month's usage or invoice, and the spend, meter
them too, so a bill never misses a number even between sweeps."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from chalicelib.domain.errors import HotlineError
from chalicelib.services.billing.service import BillingService

log = logging.getLogger("hotline.billing")


class NumbersSweep:
    def __init__(self, billing: BillingService, holders: Callable[[], Iterable[str]],
                 every: float = 3600.0, clock: Callable[[], float] = time.time) -> None:
        self.billing = billing
        self.holders = holders
        self.every = every
        self.clock = clock
        self._last: float | None = None

    def run(self, now: float | None = None) -> int:
        at = self.clock() if now is None else now
        if self._last is not None and at - self._last < self.every:
            return 0
        self._last = at
        try:
            return self.billing.meter_held_numbers(self.holders(), at)
        except HotlineError as exc:  # the rest of the sweep (outbox, routing) must still run
            log.error("metering held numbers failed (next try in %.0f s): %s: %s",
                      self.every, type(exc).__name__, exc.message)
            return 0
