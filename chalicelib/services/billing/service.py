"""Metering and invoices: one method per billable event, and the month's figures.

Every ``meter_…`` is idempotent on its source id (a retried callback meters once) and
never raises into a webhook: a failure to meter is logged and reported as False, because
a caller's call matters more than its bill line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from chalicelib.domain.billing.invoice import Invoice, build_invoice
from chalicelib.domain.billing.plan import KINDS, Plan
from chalicelib.domain.billing.segments import count_segments
from chalicelib.domain.billing.usage import (
    UsageRecord,
    month_bounds,
    month_of,
    parse_month,
    previous_month,
    started_minutes,
)
from chalicelib.domain.errors import HotlineError, InvalidInput, NotFound
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Tenant
from chalicelib.domain.instants import iso_utc

log = logging.getLogger(__name__)

PAGE = 500  # usage records per page
NUMBERS_RECHECK_SECONDS = 3600.0
STRADDLE_SECONDS = 3600.0  # a retry this soon after a month starts is checked against the last


class UsageStore(Protocol):
    def add(self, record: UsageRecord, also_absent_in: str | None = None) -> bool: ...
    def counters(self, tenant_id: str, month: str) -> dict[str, int]: ...
    def records(self, tenant_id: str, month: str,
                kind: str | None = None) -> list[UsageRecord]: ...
    def page(self, tenant_id: str, month: str, kind: str | None, limit: int,
             after: str | None = None) -> tuple[list[UsageRecord], str | None]: ...


class BillingService:
    def __init__(self, usage: UsageStore, tenant: Callable[[str], Tenant | None],
                 numbers_of: Callable[[str], list[PhoneNumber]],
                 clock: Callable[[], float] = time.time) -> None:
        self._usage = usage
        self._tenant = tenant
        self._numbers_of = numbers_of
        self._clock = clock
        self._numbers_checked: dict[tuple[str, str], float] = {}

    # --- metering ---------------------------------------------------------------------
    def meter(self, tenant_id: str, kind: str, source: str, quantity: int,
              at: float | None = None, detail: str = "") -> bool:
        """Record ``quantity`` units of ``kind`` from ``source`` once. True when new."""
        if not tenant_id or not source:
            return False
        at = self._clock() if at is None else at
        try:
            tenant = self._tenant(tenant_id)
            zone = tenant.timezone if tenant is not None else "UTC"
            month = month_of(at, zone)
            start, _ = month_bounds(month, zone)
            straddle = previous_month(month) if at - start < STRADDLE_SECONDS else None
            record = UsageRecord(tenant_id, month, kind, source, int(quantity), at, detail)
            return self._usage.add(record, also_absent_in=straddle)
        except HotlineError:
            log.exception("metering failed: %s %s", kind, source)
            return False

    def meter_call_leg(self, tenant_id: str, call_sid: str, direction: str,
                       duration_seconds: float, at: float | None = None) -> bool:
        """A completed leg: Twilio's ``Direction`` ``inbound`` is an inbound minute, every
        other leg (``outbound-api``, ``outbound-dial``: agents' client legs, PSTN calls
        out) an outbound one; started minutes, per leg."""
        kind = "voice_in_minutes" if direction == "inbound" else "voice_out_minutes"
        minutes = started_minutes(duration_seconds)
        return self.meter(tenant_id, kind, call_sid, minutes, at,
                          f"{direction or 'call'} leg, {int(duration_seconds)} s")

    def meter_message(self, tenant_id: str, message_sid: str, channel: str, direction: str,
                      body: str, at: float | None = None) -> bool:
        """An SMS (segments, as Twilio counts them) or a WhatsApp message (one)."""
        out = direction != "inbound"
        if channel == "whatsapp":
            return self.meter(tenant_id, "whatsapp_out" if out else "whatsapp_in",
                              message_sid, 1, at, f"{len(body)} characters")
        count = count_segments(body or "")
        return self.meter(tenant_id, "sms_out_segments" if out else "sms_in_segments",
                          message_sid, count.segments, at,
                          f"{count.encoding}, {count.units} units")

    def meter_chat(self, tenant_id: str, conversation_id: str,
                   at: float | None = None) -> bool:
        return self.meter(tenant_id, "chat_conversations", conversation_id, 1, at,
                          "web chat conversation")

    def meter_recording(self, tenant_id: str, recording_sid: str, duration_seconds: float,
                        at: float | None = None) -> bool:
        return self.meter(tenant_id, "recording_minutes", recording_sid,
                          started_minutes(duration_seconds), at,
                          f"{int(duration_seconds)} s")

    def meter_numbers(self, tenant_id: str, month: str) -> int:
        """One ``numbers`` unit per number the tenant holds, once per month (run when a
        month's figures are read, and by the sweep; each tenant and month is looked at
        again at most every ``NUMBERS_RECHECK_SECONDS`` per container, so a number bought
        mid-month is counted within the hour). Returns how many were new."""
        now = self._clock()
        checked = self._numbers_checked.get((tenant_id, month))
        if checked is not None and now - checked < NUMBERS_RECHECK_SECONDS:
            return 0
        tenant = self._tenant(tenant_id)
        if tenant is None:
            return 0
        start, end = month_bounds(month, tenant.timezone)
        if not start <= now < end:
            self._numbers_checked[(tenant_id, month)] = float("inf")
            return 0  # a past month's numbers were metered while it ran
        have = {r.source for r in self._usage.records(tenant_id, month, "numbers")}
        added = 0
        for number in self._numbers_of(tenant_id):
            if number.number not in have and self.meter(
                    tenant_id, "numbers", number.number, 1, now, "phone number held"):
                added += 1
        self._numbers_checked[(tenant_id, month)] = now
        return added

    def meter_held_numbers(self, tenant_ids: Iterable[str], now: float | None = None) -> int:
        """The sweep's part: this month's ``numbers`` units of every tenant holding a
        number (each tenant once per container and month)."""
        at = self._clock() if now is None else now
        added = 0
        for tenant_id in sorted(tenant_ids):
            tenant = self._tenant(tenant_id)
            if tenant is not None:
                added += self.meter_numbers(tenant_id, month_of(at, tenant.timezone))
        return added

    # --- reading ----------------------------------------------------------------------
    def _require(self, tenant_id: str) -> Tenant:
        tenant = self._tenant(tenant_id) if tenant_id != PLATFORM_TENANT else None
        if tenant is None:
            raise NotFound("no such business")
        return tenant

    def usage(self, tenant_id: str, month: str | None = None, kind: str | None = None,
              cursor: str | None = None, limit: int = PAGE) -> dict[str, Any]:
        """The month's totals per kind and its records, a page at a time in key order
        (kind, then source), optionally of one kind (``GET /api/usage``). No month: the
        tenant's current month."""
        tenant = self._require(tenant_id)
        month = parse_month(month) if month else month_of(self._clock(), tenant.timezone)
        if cursor is not None and not cursor.startswith(f"r#{kind}#" if kind else "r#"):
            raise InvalidInput("cursor is not one this listing gave", path="cursor")
        self.meter_numbers(tenant_id, month)
        records, following = self._usage.page(tenant_id, month, kind, limit, cursor)
        counters = self._usage.counters(tenant_id, month)
        start, end = month_bounds(month, tenant.timezone)
        return {"month": month, "timezone": tenant.timezone,
                "from": iso_utc(start), "to": iso_utc(end),
                "totals": {k: counters[k] for k in KINDS},
                "records": [r.to_dict() for r in records], "next": following}

    def invoice_document(self, tenant_id: str, name: str) -> tuple[Any, str | None]:
        """``YYYY-MM``: the invoice as JSON (and None); ``YYYY-MM.csv``: its CSV text and
        the download's file name."""
        month, _, extension = name.partition(".")
        invoice = self.invoice(tenant_id, parse_month(month))
        if extension == "csv":
            return invoice.to_csv(), f"invoice-{month}.csv"
        if extension:
            raise InvalidInput("month must be YYYY-MM or YYYY-MM.csv", path="month")
        return invoice.to_dict(), None

    def invoice(self, tenant_id: str, month: str) -> Invoice:
        tenant = self._require(tenant_id)
        self.meter_numbers(tenant_id, month)
        _, end = month_bounds(month, tenant.timezone)
        return build_invoice(tenant_id, month, Plan.from_dict(_plan(tenant)),
                             self._usage.counters(tenant_id, month),
                             final=self._clock() >= end)

    def spent(self, tenant_id: str, now: float) -> float:
        """This month's invoice total so far, in the plan's currency (the spending cap's
        figure): one GetItem of the month's counters (plus, once per container and month,
        the numbers check)."""
        tenant = self._tenant(tenant_id)
        if tenant is None:
            return 0.0
        month = month_of(now, tenant.timezone)
        self.meter_numbers(tenant_id, month)
        invoice = build_invoice(tenant_id, month, Plan.from_dict(_plan(tenant)),
                                self._usage.counters(tenant_id, month))
        return float(invoice.total)


def _plan(tenant: Tenant) -> Mapping[str, Any] | None:
    return dict(tenant.plan) if tenant.plan else None


