"""A closed tenant's numbers go back to the carrier once its grace period is over.

The operator closes a tenant (``closed_at``); ``release_grace_days`` later the scheduled
sweep releases each of its numbers through the same path a failed signup uses
(``services/onboarding.py``): an outbox item ``release_number`` (keyed
``closed#<tenant>`` / ``release:<number>``, so it is recorded once however often the
sweep runs), then the number's row is removed, so it routes to nobody. A number whose
row is gone is not looked at again: running the sweep twice releases nothing twice.

Closed tenants are few and the grace is counted in days, so the sweep scans the tenants
table (a filtered Scan) at most once per ``every`` seconds per container (an hour by
default), not on each of the routing sweep's five-second passes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.phone import mask

log = logging.getLogger("hotline.tenancy")

SCAN_EVERY_SECONDS = 3600.0


class ClosedStore(Protocol):
    def closed_tenants(self) -> Sequence[Tenant]: ...
    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]: ...
    def remove_number(self, number: str, tenant_id: str) -> bool: ...


# (event, tenant_id, account_sid, number) -> False when already recorded
ReleaseLater = Callable[[str, str, str, str], bool]


class ClosedTenantNumbers:
    def __init__(self, store: ClosedStore, release_later: ReleaseLater,
                 every: float = SCAN_EVERY_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.release_later = release_later
        self.every = every
        self.monotonic = monotonic
        self._next_scan: float | None = None

    def due(self) -> bool:
        return self._next_scan is None or self.monotonic() >= self._next_scan

    def sweep(self, now: float | None = None, force: bool = False) -> int:
        """Release the numbers of every closed tenant past its grace; the count released.
        Skipped (0) until ``every`` seconds after the last scan, unless ``force``."""
        if not force and not self.due():
            return 0
        self._next_scan = self.monotonic() + self.every
        at = time.time() if now is None else now
        released = 0
        for tenant in self.store.closed_tenants():
            release_at = tenant.standing().release_at()
            if release_at is None or release_at > at:
                continue
            for number in self.store.numbers_of(tenant.tenant_id):
                if number.tenant_id != tenant.tenant_id:
                    continue
                self.release_later(f"closed#{tenant.tenant_id}", tenant.tenant_id,
                                   tenant.twilio_account_sid, number.number)
                if self.store.remove_number(number.number, tenant.tenant_id):
                    released += 1
                    log.warning("closed tenant %s: number %s released after its grace",
                                tenant.tenant_id, mask(number.number))
        return released
