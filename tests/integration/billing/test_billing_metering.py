"""Metering on DynamoDB Local: once per source, in the tenant's month, with the counters
and the invoice agreeing (docs/billing.md)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.dynamo.usage_repository import UsageRepository
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.services.billing.service import BillingService


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def tenant(settings, tenant_id) -> Tenant:
    tenant = Tenant(tenant_id=tenant_id, name="Aqua", timezone="America/New_York",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time(),
                    plan={"name": "Shop", "monthly_fee": 1, "prices": {"numbers": 2}})
    repo = TenantRepository(settings)
    repo.save(tenant)
    repo.save_number(PhoneNumber(number="+1415" + str(uuid.uuid4().int)[:7],
                                 tenant_id=tenant_id, flow_id="voice-ivr"))
    return tenant


def _billing(settings, clock: Clock) -> BillingService:
    repo = TenantRepository(settings)
    return BillingService(UsageRepository(settings), repo.get, repo.numbers_of, clock=clock)


def test_a_retried_callback_meters_once(settings, tenant):
    # given a leg of 61 s metered, and the same CallSid delivered again
    clock = Clock(_at("2026-11-15T12:00:00"))
    billing = _billing(settings, clock)
    assert billing.meter_call_leg(tenant.tenant_id, "CA1", "inbound", 61) is True
    assert billing.meter_call_leg(tenant.tenant_id, "CA1", "inbound", 61) is False
    # then two started minutes, once
    usage = UsageRepository(settings)
    assert usage.counters(tenant.tenant_id, "2026-11")["voice_in_minutes"] == 2
    records = usage.records(tenant.tenant_id, "2026-11")
    assert [(r.kind, r.source, r.quantity) for r in records] == [
        ("voice_in_minutes", "CA1", 2)]


def test_a_retry_straddling_the_months_midnight_meters_once(settings, tenant):
    # given a leg metered a second before midnight, New York time, on 30 November
    billing = _billing(settings, Clock(0))
    assert billing.meter_call_leg(tenant.tenant_id, "CA2", "outbound-api", 30,
                                  at=_at("2026-12-01T04:59:59"))
    # when Twilio retries it two seconds later, in December
    again = billing.meter_call_leg(tenant.tenant_id, "CA2", "outbound-api", 30,
                                   at=_at("2026-12-01T05:00:01"))
    # then November holds it and December does not
    usage = UsageRepository(settings)
    assert again is False
    assert usage.counters(tenant.tenant_id, "2026-11")["voice_out_minutes"] == 1
    assert usage.counters(tenant.tenant_id, "2026-12")["voice_out_minutes"] == 0


def test_messages_chats_and_recordings_are_metered_in_their_units(settings, tenant):
    billing = _billing(settings, Clock(_at("2026-11-15T12:00:00")))
    t = tenant.tenant_id
    billing.meter_message(t, "SM1", "sms", "inbound", "a" * 161)  # 2 GSM-7 segments
    billing.meter_message(t, "SM2", "sms", "outbound", "Merci 😀")  # 1 UCS-2 segment
    billing.meter_message(t, "SM3", "whatsapp", "inbound", "x" * 500)  # 1 message
    billing.meter_chat(t, "ch_1")
    billing.meter_chat(t, "ch_1")
    billing.meter_recording(t, "RE1", 75)
    counters = UsageRepository(settings).counters(t, "2026-11")
    assert {k: v for k, v in counters.items() if v} == {
        "sms_in_segments": 2, "sms_out_segments": 1, "whatsapp_in": 1,
        "chat_conversations": 1, "recording_minutes": 2}


def test_numbers_are_metered_once_a_month_and_the_spend_is_the_invoice_total(settings, tenant):
    # given a tenant holding one number, with a monthly fee of 1 and numbers at 2
    clock = Clock(_at("2026-11-15T12:00:00"))
    billing = _billing(settings, clock)
    billing.meter_call_leg(tenant.tenant_id, "CA3", "inbound", 600)  # 10 minutes
    # when the spend is read twice, and by a second container
    first = billing.spent(tenant.tenant_id, clock.now)
    _billing(settings, clock).spent(tenant.tenant_id, clock.now)
    # then one number was metered, and the spend is the invoice's total
    counters = UsageRepository(settings).counters(tenant.tenant_id, "2026-11")
    assert counters["numbers"] == 1
    invoice = billing.invoice(tenant.tenant_id, "2026-11")
    assert Decimal(str(first)) == invoice.total == Decimal("3.15")  # 1 + 2 + 10 x 0.015
    assert invoice.final is False


def test_a_month_is_read_a_page_at_a_time(settings, tenant):
    billing = _billing(settings, Clock(_at("2026-11-15T12:00:00")))
    for n in range(5):
        billing.meter_chat(tenant.tenant_id, f"ch_{n}")
    first = billing.usage(tenant.tenant_id, "2026-11", limit=3)
    rest = billing.usage(tenant.tenant_id, "2026-11", cursor=first["next"], limit=3)
    sources = [r["source"] for r in first["records"] + rest["records"]
               if r["kind"] == "chat_conversations"]
    assert sources == [f"ch_{n}" for n in range(5)]
    assert first["totals"]["chat_conversations"] == 5


def test_the_sweep_meters_every_held_number_once_a_month(settings, tenant):
    # given the numbers table says this tenant holds a number
    from chalicelib.adapters.dynamo.usage_repository import HeldNumbers
    from chalicelib.services.billing.sweep import NumbersSweep

    clock = Clock(_at("2026-11-15T12:00:00"))
    holders = HeldNumbers().tenants()
    assert tenant.tenant_id in holders
    sweep = NumbersSweep(_billing(settings, clock), lambda: [tenant.tenant_id], every=3600,
                         clock=clock)
    # when the sweep runs, again a minute later, and in a new container an hour later
    first = sweep.run()
    clock.now += 60
    again = sweep.run()
    clock.now += 3600
    later = NumbersSweep(_billing(settings, clock), lambda: [tenant.tenant_id],
                         clock=clock).run()
    # then the number counts once this month
    assert (first, again, later) == (1, 0, 0)
    assert UsageRepository(settings).counters(tenant.tenant_id, "2026-11")["numbers"] == 1
