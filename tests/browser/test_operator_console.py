"""The operator's console on canned API answers: tenants with their standing, one opened
and its terms edited in the form (status, validity, media, plan, cap), its usage and bill,
and a refused field flagged where it was typed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received

pytestmark = pytest.mark.browser

ALL_ON = {p: True for p in ("voice_in", "voice_out", "sms_in", "sms_out", "whatsapp_in",
                             "whatsapp_out", "chat")}
MONTH = datetime.date.today().strftime("%Y-%m")


def tenant(tenant_id: str, name: str, reason: str | None = None, **terms: Any) -> dict[str, Any]:
    status = reason if reason in ("suspended", "closed") else "active"
    view = {"id": tenant_id, "name": name, "timezone": "America/New_York", "status": status,
            "valid_until": None, "permissions": dict(ALL_ON), "plan": None,
            "spending_cap": None, "release_grace_days": 30, "seats": None, "closed_at": None,
            "numbers": ["+14155550100"], "users": 3, "created_at": "2026-01-05T10:00:00Z"}
    view.update(terms)
    view["standing"] = {"status": status, "active": reason is None, "reason": reason,
                        "valid_until": view["valid_until"], "permissions": view["permissions"],
                        "spending_cap": view["spending_cap"], "numbers_released_at": None}
    return view


TENANTS = [
    tenant("tn_aqua", "Aqua Pure Water Delivery", valid_until="2027-01-01T05:00:00Z"),
    tenant("tn_blue", "Blue Spring Water", "suspended", numbers=["+14155550111"], users=2),
    tenant("tn_cold", "Cold Creek Bottled", "expired", valid_until="2026-10-01T04:00:00Z",
           numbers=[], users=1),
    tenant("tn_dune", "Dune Water Co", "closed", closed_at="2026-11-01T12:00:00Z",
           numbers=["+14155550122", "+14155550123"], users=4),
]
INVOICE = {"tenant_id": "tn_aqua", "month": MONTH, "plan": "Pay as you go", "currency": "USD",
           "status": "open", "usage_total": "12.34", "total": "12.34",
           "lines": [{"kind": "voice_in_minutes", "description": "Voice, inbound",
                      "quantity": 420, "included": 0, "billable": 420, "unit": "minute",
                      "unit_price": "0.0150", "amount": "6.30"},
                     {"kind": "sms_out_segments", "description": "SMS, outbound",
                      "quantity": 503, "included": 0, "billable": 503, "unit": "segment",
                      "unit_price": "0.0120", "amount": "6.04"}]}
NUMBERS = {"numbers": [
    {"number": "+14155550199", "friendly_name": None, "shared": True,
     "owner": {"tenant_id": "tn_aqua", "name": "Aqua Pure Water Delivery"},
     "greeting": "Thanks for calling the water line.",
     "tenants": [{"tenant_id": "tn_aqua", "digit": "1", "name": "Aqua Pure Water Delivery",
                  "number": "+14155550100"},
                 {"tenant_id": "tn_blue", "digit": "2", "name": "Blue Spring Water",
                  "number": "+14155550111"}]},
    {"number": "+14155550100", "friendly_name": None, "shared": False, "greeting": None,
     "owner": {"tenant_id": "tn_aqua", "name": "Aqua Pure Water Delivery"}, "tenants": []}]}
USAGE = {"month": MONTH, "timezone": "America/New_York", "next": None, "records": [],
         "totals": {"voice_in_minutes": 420, "voice_out_minutes": 0, "sms_in_segments": 12,
                    "sms_out_segments": 503, "whatsapp_in": 0, "whatsapp_out": 0,
                    "chat_conversations": 7, "numbers": 1, "recording_minutes": 0}}


@pytest.fixture
def console(page: Page, api: FakeApi) -> Page:
    # the page's "this month" is the browser's: pin it inside MONTH (a run can cross midnight)
    page.clock.set_fixed_time(f"{MONTH}-15T12:00:00Z")
    sign_in(page, {"id": "op_1", "tenant_id": "_platform", "email": "operator@hotline.example",
                   "name": "Pat Operator", "role": "operator", "mobile": None})
    api.reply("GET", "api/operator/tenants", {"tenants": TENANTS})
    api.reply("GET", "api/operator/numbers", NUMBERS)
    for view in TENANTS:
        total = "12.34" if view["id"] == "tn_aqua" else "0.00"
        api.reply("GET", f"api/operator/tenants/{view['id']}/invoices/{MONTH}",
                  {**INVOICE, "tenant_id": view["id"], "total": total})
        api.reply("GET", f"api/operator/tenants/{view['id']}/usage", USAGE)
    return page


def patched(request: Received) -> tuple[int, Any]:
    body = request.body
    view = dict(TENANTS[0])
    view.update({k: v for k, v in body.items() if k != "valid_until"})
    view["status"] = body["status"]
    view["valid_until"] = "2027-07-01T04:00:00Z" if body.get("valid_until") else view["valid_until"]
    view["standing"] = {**view["standing"], "status": body["status"],
                        "active": body["status"] == "active",
                        "reason": None if body["status"] == "active" else body["status"]}
    return 200, view


def test_operator_sees_every_tenant_and_edits_one_tenants_terms(
        console: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    api.handle("PATCH", "api/operator/tenants/tn_aqua", patched)
    # given the operator opens the console
    console.goto(site.url + "operator")
    rows = console.locator("#tenants-body tbody tr")
    expect(rows).to_have_count(4)
    # then each business shows a clear status badge, validity, numbers, users and spend
    expect(console.locator("tr[data-tenant=tn_blue] [data-status]")).to_have_text("Suspended")
    expect(console.locator("tr[data-tenant=tn_cold] [data-status]")).to_have_text("Expired")
    expect(console.locator("tr[data-tenant=tn_dune] [data-status]")).to_have_text("Closed")
    expect(console.locator("tr[data-tenant=tn_aqua] [data-status]")).to_have_text("Active")
    expect(console.locator("tr[data-tenant=tn_aqua]")).to_contain_text("Dec 31, 2026")
    expect(console.locator("tr[data-tenant=tn_aqua]")).to_contain_text("$12.34")
    expect(console.get_by_test_id("summary")).to_have_text(
        "4 businesses · 1 active · 1 suspended · 1 expired · 1 closed")
    # and the page's own nav holds only the console
    expect(console.locator("#page-nav a")).to_have_count(1)
    # and the shared-numbers section (operator-numbers.js) shows the routing
    expect(console.locator("#shared-numbers [data-number='+14155550199']")).to_contain_text(
        "Blue Spring Water")
    screenshot(console, "operator-console", part="#tenants")

    # when the operator opens Aqua: facts, terms, usage and invoice
    console.get_by_role("button", name="Aqua Pure Water Delivery").click()
    detail = console.locator("#tenant-detail")
    expect(detail.get_by_role("heading", name="Aqua Pure Water Delivery")).to_be_visible()
    expect(detail.get_by_label("Valid until")).to_have_value("2026-12-31")
    expect(detail.get_by_test_id("invoice-total")).to_have_text("$12.34")
    expect(detail.locator("[data-usage]")).to_contain_text("503")
    # and suspends it, ends SMS out, sets a plan and a cap, and moves the validity
    detail.get_by_label("Status").select_option("suspended")
    expect(detail.locator("[data-status-note]")).to_contain_text("until you reactivate")
    detail.get_by_label("Valid until").fill("2027-06-30")
    detail.get_by_role("checkbox", name="SMS out", exact=True).uncheck()
    detail.get_by_role("checkbox", name="Pay as you go", exact=False).uncheck()
    detail.get_by_label("Plan name").fill("Water shops")
    detail.get_by_label("Monthly fee (USD)").fill("15")
    detail.get_by_label("Monthly minimum (USD)").fill("20")
    detail.get_by_label("Voice in: price per minute").fill("0.012")
    detail.get_by_label("Voice in: minutes included").fill("300")
    detail.get_by_label("Monthly spending cap (USD)").fill("80")
    screenshot(console, "operator-terms", part="#tenant-detail")
    detail.get_by_role("button", name="Save terms").click()
    expect(detail.locator("[data-saved]")).to_contain_text("Saved.")

    # then one PATCH carried exactly the form's terms
    sent = api.requests("PATCH", "api/operator/tenants/tn_aqua")
    assert len(sent) == 1
    assert sent[0].body == {
        "status": "suspended", "valid_until": "2027-06-30", "release_grace_days": 30,
        "seats": None, "spending_cap": 80,
        "permissions": {**ALL_ON, "sms_out": False},
        "plan": {"name": "Water shops", "currency": "USD", "monthly_fee": 15,
                 "monthly_minimum": 20, "prices": {"voice_in_minutes": 0.012},
                 "included": {"voice_in_minutes": 300}}}
    # and the table shows the new standing
    expect(console.locator("tr[data-tenant=tn_aqua] [data-status]")).to_have_text("Suspended")


def test_a_refused_term_is_flagged_on_its_field_and_missing_parts_say_so(
        console: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    api.reply("PATCH", "api/operator/tenants/tn_blue",
              {"error": "invalid_input", "path": "spending_cap",
               "message": "spending_cap must be a number from 0 to 1000000, or null"},
              status=400)
    # given billing answers nothing for Blue Spring (no usage or invoice route replies)
    del api.replies[("GET", f"api/operator/tenants/tn_blue/invoices/{MONTH}")]
    del api.replies[("GET", "api/operator/tenants/tn_blue/usage")]
    console.goto(site.url + "operator#tenant=tn_blue")
    detail = console.locator("#tenant-detail")
    expect(detail.get_by_role("heading", name="Blue Spring Water")).to_be_visible()
    expect(detail.locator("[data-invoice]")).to_contain_text("no reply")
    # when a refused cap is saved
    detail.get_by_label("Monthly spending cap (USD)").fill("5000000")
    detail.get_by_role("button", name="Save terms").click()
    # then the message sits by that field, and the field is marked invalid
    cap = detail.get_by_label("Monthly spending cap (USD)")
    expect(cap).to_have_attribute("aria-invalid", "true")
    expect(detail.locator("[data-error-for=spending_cap]")).to_contain_text("from 0 to 1000000")
    # and the shared-numbers section is mounted below
    expect(console.locator("#shared-numbers [data-number='+14155550100']")).to_contain_text(
        "Ordinary")
