"""Numbers and tenants, cached per container: every webhook needs them, they rarely change.

One instance serves the flow session, the queue webhooks and the carrier's credential
lookups, so a warm Lambda reads each number and tenant once per ``ttl`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.services.ttl_cache import TtlCache


class NumberStore(Protocol):
    def number(self, number: str) -> PhoneNumber | None: ...
    def get(self, tenant_id: str) -> Tenant | None: ...


class CachedDirectory:
    def __init__(self, store: NumberStore, ttl: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self._numbers = TtlCache(ttl, clock)
        self._tenants = TtlCache(ttl, clock)

    def number(self, number: str) -> PhoneNumber | None:
        found: PhoneNumber | None = self._numbers.get_or_load(
            number, lambda: self.store.number(number))
        return found

    def get(self, tenant_id: str) -> Tenant | None:
        found: Tenant | None = self._tenants.get_or_load(
            tenant_id, lambda: self.store.get(tenant_id))
        return found
