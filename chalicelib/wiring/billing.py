"""Billing: metering, invoices and the spending figure GATE's cap reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.services.billing.hooks import MeteredCarrier, WebhookMeter
    from chalicelib.services.billing.service import BillingService
    from chalicelib.services.billing.sweep import NumbersSweep
    from chalicelib.services.webhook_gate import Webhook

__all__ = ["get_billing", "get_numbers_sweep", "get_spend_reader", "get_webhook_meter",
           "meter_held_numbers", "metered", "metered_carrier"]


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


@lru_cache(maxsize=1)
def get_webhook_meter() -> WebhookMeter:
    from chalicelib.services.billing.hooks import WebhookMeter

    directory = wiring.get_directory()

    def tenant_of_number(number: str) -> str | None:
        found = directory.number(number)
        return found.tenant_id if found is not None else None

    return WebhookMeter(wiring.get_billing(), tenant_of_number)


def metered(handler: Callable[[Webhook], str]) -> Callable[[Webhook], str]:
    """A Twilio webhook handler that meters what its request reports (routes wrap the
    status, recording and message callbacks with it)."""
    return wiring.get_webhook_meter().wrap(handler)


def metered_carrier(carrier: Any) -> MeteredCarrier:
    """The carrier adapter with every sent message metered."""
    from chalicelib.services.billing.hooks import MeteredCarrier

    return MeteredCarrier(carrier, lambda: wiring.get_billing())


@lru_cache(maxsize=1)
def get_numbers_sweep() -> NumbersSweep:
    import os

    from chalicelib.adapters.dynamo.usage_repository import HeldNumbers
    from chalicelib.services.billing.sweep import NumbersSweep

    wiring.bound_settings()
    every = float(os.environ.get("HOTLINE_NUMBERS_METER_SECONDS", "3600"))
    return NumbersSweep(wiring.get_billing(), HeldNumbers().tenants, every=every)


def meter_held_numbers(now: float | None = None) -> int:
    """The scheduled sweep's part: every held number's monthly unit (at most hourly)."""
    return int(wiring.get_numbers_sweep().run(now))
