"""Plans, months, started minutes and invoices (docs/billing.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from chalicelib.domain.billing.invoice import build_invoice, cents
from chalicelib.domain.billing.plan import DEFAULT_PLAN, KINDS, PLAN_SCHEMA, Plan
from chalicelib.domain.billing.usage import (
    month_bounds,
    month_of,
    parse_month,
    started_minutes,
)
from chalicelib.domain.errors import InvalidInput
from chalicelib.routes.schema import check


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 0), (1, 1), (59, 1), (60, 1),
                                                   (61, 2), (120, 2), (121, 3)])
def test_a_leg_is_billed_per_started_minute(seconds, minutes):
    assert started_minutes(seconds) == minutes


def test_months_are_the_tenants_calendar_months():
    # given 03:00 UTC on 1 December: still 30 November in New York
    at = _at("2026-12-01T03:00:00")
    assert month_of(at, "America/New_York") == "2026-11"
    assert month_of(at, "UTC") == "2026-12"
    start, end = month_bounds("2026-11", "America/New_York")
    assert start == _at("2026-11-01T04:00:00")  # EDT
    assert end == _at("2026-12-01T05:00:00")  # EST
    assert month_bounds("2026-12", "UTC")[1] == _at("2027-01-01T00:00:00")


def test_a_bad_month_is_refused_naming_the_field():
    for bad in ("2026-13", "0000-01", "9999-12", "26-11", "2026-1"):
        with pytest.raises(InvalidInput) as caught:
            parse_month(bad)
        assert caught.value.path == "month"


def test_a_tenant_without_a_plan_pays_the_default_plan():
    assert Plan.from_dict(None) is DEFAULT_PLAN
    assert set(DEFAULT_PLAN.prices) == set(KINDS)
    assert all(price > 0 for price in DEFAULT_PLAN.prices.values())


def test_a_plan_keeps_the_default_price_of_kinds_it_leaves_out():
    plan = Plan.from_dict({"name": "Water shops", "monthly_fee": 10, "monthly_minimum": 25,
                           "prices": {"voice_in_minutes": 0.01},
                           "included": {"voice_in_minutes": 100}})
    assert plan.price("voice_in_minutes") == Decimal("0.01")
    assert plan.price("numbers") == DEFAULT_PLAN.price("numbers")
    assert (plan.monthly_fee, plan.monthly_minimum) == (Decimal("10"), Decimal("25"))
    assert plan.free_units("voice_in_minutes") == 100


def test_the_plan_schema_accepts_the_contract_shape_and_names_a_bad_field():
    good = {"name": "Basic", "currency": "USD", "monthly_fee": 5, "monthly_minimum": 0,
            "prices": {k: 0.01 for k in KINDS}, "included": {"sms_out_segments": 50}}
    assert check(good, PLAN_SCHEMA) == good
    with pytest.raises(InvalidInput) as caught:
        check({"prices": {"fax_pages": 1}}, PLAN_SCHEMA)
    assert caught.value.path == "prices.fax_pages"
    with pytest.raises(InvalidInput) as caught:
        check({"included": {"numbers": -1}}, PLAN_SCHEMA)
    assert caught.value.path == "included.numbers"


def test_amounts_round_half_up_to_cents():
    assert cents(Decimal("0.025")) == Decimal("0.03")
    assert cents(Decimal("0.0249")) == Decimal("0.02")
    assert cents(Decimal("1.005")) == Decimal("1.01")


def test_invoice_bills_units_above_the_included_ones_and_tops_up_to_the_minimum():
    # given a plan with 100 inbound minutes included, a fee and a minimum
    plan = Plan.from_dict({"name": "Shop", "monthly_fee": 10, "monthly_minimum": 5,
                           "prices": {"voice_in_minutes": 0.0085, "sms_out_segments": 0.0079},
                           "included": {"voice_in_minutes": 100}})
    # when 103 inbound minutes and 3 outbound segments are billed
    invoice = build_invoice("tn_1", "2026-11", plan, {"voice_in_minutes": 103,
                                                      "sms_out_segments": 3})
    lines = {line.kind: line for line in invoice.lines}
    # then 3 minutes are billable at 0.0085 (0.0255 -> 0.03), 3 segments 0.0237 -> 0.02
    assert (lines["voice_in_minutes"].included, lines["voice_in_minutes"].billable) == (100, 3)
    assert lines["voice_in_minutes"].amount == Decimal("0.03")
    assert lines["sms_out_segments"].amount == Decimal("0.02")
    assert invoice.usage_total == Decimal("0.05")
    assert lines["monthly_fee"].amount == Decimal("10.00")
    # the minimum (5.00) tops up what usage did not reach
    assert lines["minimum_top_up"].amount == Decimal("4.95")
    assert invoice.total == Decimal("15.00")
    assert sum(line.amount for line in invoice.lines) == invoice.total


def test_no_top_up_once_usage_passes_the_minimum():
    plan = Plan.from_dict({"monthly_minimum": 1, "prices": {"numbers": 2}})
    invoice = build_invoice("tn_1", "2026-11", plan, {"numbers": 1})
    assert [line.kind for line in invoice.lines] == ["numbers"]
    assert invoice.total == Decimal("2.00")


def test_invoice_csv_has_a_row_per_line_and_the_total():
    invoice = build_invoice("tn_1", "2026-11", DEFAULT_PLAN,
                            {"voice_in_minutes": 7, "sms_in_segments": 2})
    rows = invoice.to_csv().strip().split("\r\n")
    assert rows[0].startswith("month,kind,description,quantity")
    assert rows[1] == "2026-11,voice_in_minutes,\"Voice, inbound\",7,0,7,minute,0.0150,0.11,USD"
    assert rows[-1] == f"2026-11,total,Total,,,,,,{invoice.total},USD"
    assert len(rows) == 4
