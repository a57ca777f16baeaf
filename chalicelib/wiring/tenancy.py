"""The tenant gate (validity and media permissions, enforced) and the closed tenants'
number release (services/tenancy, docs/tenancy.md)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chalicelib import wiring

__all__ = [
    "get_closed_tenant_numbers",
    "get_tenant_gate",
    "release_closed_numbers",
]


def _spend_reader() -> Any:
    """BILL's spend reader (wiring/billing.py), built on first use: only a tenant with a
    spending cap ever needs it."""
    return wiring.get_spend_reader()


@lru_cache(maxsize=1)
def get_tenant_gate():  # type: ignore[no-untyped-def]
    from chalicelib.services.tenancy import TenantGate

    return TenantGate(wiring.get_tenant_repository(), spend=_spend_reader)


@lru_cache(maxsize=1)
def get_closed_tenant_numbers():  # type: ignore[no-untyped-def]
    import os

    from chalicelib.adapters.dynamo.tenancy_repository import TenancyRepository
    from chalicelib.services.tenancy import ClosedTenantNumbers

    outbox = wiring.get_outbox()  # registers the release_number executor

    def release_later(event: str, tenant_id: str, account_sid: str, number: str) -> bool:
        return bool(outbox.defer(event, f"release:{number}", tenant_id, wiring.RELEASE_NUMBER,
                                 {"account_sid": account_sid, "number": number}))

    every = float(os.environ.get("HOTLINE_RELEASE_SCAN_SECONDS", "3600"))
    return ClosedTenantNumbers(TenancyRepository(wiring.bound_settings()), release_later,
                               every=every)


def release_closed_numbers(now: float | None = None) -> int:
    """The scheduled sweep's part: closed tenants' numbers past their grace."""
    return int(wiring.get_closed_tenant_numbers().sweep(now))
