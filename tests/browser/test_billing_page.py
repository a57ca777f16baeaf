"""The bill page (/bill): this month's usage by kind, the invoice with its line items and
total, the spending cap, a month picker and the CSV download (docs/billing.md). The API
answers are the real domain's invoice and usage shapes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chalicelib.domain.billing.invoice import build_invoice
from chalicelib.domain.billing.plan import Plan
from chalicelib.domain.tenancy import Standing
from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Raw
from tests.browser.users import user

pytestmark = pytest.mark.browser

MONTH = date.today().strftime("%Y-%m")
PLAN = Plan.from_dict({"name": "Water shops", "monthly_fee": 10, "monthly_minimum": 15,
                       "included": {"voice_in_minutes": 100}})
UNITS = {"voice_in_minutes": 134, "voice_out_minutes": 41, "sms_in_segments": 57,
         "sms_out_segments": 63, "whatsapp_in": 4, "chat_conversations": 9, "numbers": 2,
         "recording_minutes": 12}


def _usage(month: str, units: dict[str, int]) -> dict[str, object]:
    records = [{"kind": "voice_in_minutes", "source": "CA" + "a" * 32, "quantity": 3,
                "at": f"{month}-03T14:05:00Z", "detail": "inbound leg, 125 s"},
               {"kind": "sms_out_segments", "source": "SM" + "b" * 32, "quantity": 2,
                "at": f"{month}-03T14:09:00Z", "detail": "UCS-2, 80 units"}]
    return {"month": month, "timezone": "America/New_York", "from": "", "to": "",
            "totals": {kind: units.get(kind, 0) for kind in
                       ("voice_in_minutes", "voice_out_minutes", "sms_in_segments",
                        "sms_out_segments", "whatsapp_in", "whatsapp_out",
                        "chat_conversations", "numbers", "recording_minutes")},
            "records": records if units else [], "next": None}


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    page.on("console", lambda m: found.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)
    yield found
    assert found == []


@pytest.fixture
def bill(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    # the page's "this month" is the browser's: pin it inside MONTH (a run can cross midnight)
    page.clock.set_fixed_time(f"{MONTH}-15T12:00:00Z")
    invoice = build_invoice("tn_test", MONTH, PLAN, UNITS)
    standing = Standing(spending_cap=50.0).public(time.time())
    api.reply("GET", "api/tenant", {"id": "tn_test", "name": "Aqua Pure", "standing": standing})
    api.reply("GET", "api/usage", _usage(MONTH, UNITS))
    api.reply("GET", f"api/invoices/{MONTH}", invoice.to_dict())
    api.reply("GET", f"api/invoices/{MONTH}.csv", Raw("text/csv", invoice.to_csv().encode()))
    api.reply("GET", "api/usage?month=2026-01", _usage("2026-01", {}))
    api.reply("GET", "api/invoices/2026-01", build_invoice("tn_test", "2026-01", PLAN, {},
                                                           final=True).to_dict())
    sign_in(page, user("owner", "Olive Owner"))
    page.goto(site.url + "bill")
    expect(page.get_by_test_id("bill-total")).to_contain_text(f"{invoice.total}")
    return page


def test_the_owner_sees_usage_by_kind_and_the_invoice_with_its_lines(bill: Page):
    invoice = build_invoice("tn_test", MONTH, PLAN, UNITS)
    # then every line item is a row, with the included units, and the total row
    for line in invoice.lines:
        row = bill.locator(f"#invoice tr[data-kind={line.kind}]")
        expect(row).to_contain_text(line.description)
        expect(row.locator("td").last).to_contain_text(f"{line.amount:,}")
    expect(bill.locator("#invoice tr[data-kind=voice_in_minutes] td").nth(1)).to_have_text("100")
    expect(bill.locator("#invoice tr.bill-total")).to_contain_text(f"{invoice.total}")
    # usage by kind: every kind, with its units
    expect(bill.locator("#usage tr[data-kind=sms_out_segments]")).to_contain_text("63")
    expect(bill.locator("#usage tbody tr")).to_have_count(9)
    # the cap and what is left of it
    expect(bill.get_by_test_id("bill-cap")).to_contain_text("$50.00")
    expect(bill.get_by_test_id("bill-cap")).to_contain_text("left this month")
    expect(bill.locator("nav#page-nav a[aria-current=page]")).to_have_text("Bill")
    bill.locator("#records-box summary").click()
    expect(bill.locator("#records")).to_contain_text("inbound leg, 125 s")
    screenshot(bill, "bill-page", part="#invoice")


def test_the_month_picker_shows_another_month_and_the_csv_downloads(bill: Page, api: FakeApi):
    # when the owner downloads this month's invoice
    with bill.expect_download() as caught:
        bill.locator("#download-csv").click()
    download = caught.value
    assert download.suggested_filename == f"invoice-{MONTH}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("month,kind,description")
    assert text.strip().endswith("USD")
    # and picks January
    bill.locator("#month").fill("2026-01")
    bill.locator("#month").dispatch_event("change")
    expect(bill.locator("#invoice")).to_contain_text("Monthly fee")
    expect(bill.locator("#invoice-status")).to_have_text("Final")
    # the fee (10) and the top-up to the minimum (15)
    expect(bill.get_by_test_id("bill-total")).to_contain_text("$25.00")
    assert api.requests("GET", "api/invoices/2026-01")
