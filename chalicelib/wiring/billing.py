"""Billing: metering, invoices and the spending figure GATE's cap reads."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.services.billing.service import BillingService

__all__ = ["get_billing", "get_spend_reader"]


@lru_cache(maxsize=1)
def get_billing() -> BillingService:
    from chalicelib.adapters.dynamo.usage_repository import UsageRepository
    from chalicelib.services.billing.service import BillingService

    settings = wiring.bound_settings()
    tenants = wiring.get_tenant_repository()
    return BillingService(UsageRepository(settings), wiring.get_directory().get,
                          tenants.numbers_of)


def get_spend_reader() -> BillingService:
    """An object with ``spent(tenant_id, now) -> float``: this month's invoice total so
    far, in the plan's currency, in the tenant's time zone."""
    return wiring.get_billing()
