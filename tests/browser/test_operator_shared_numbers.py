"""The operator console's shared-numbers section on canned API answers: every number with
its owner and routing; one made shared with two businesses behind keys and a greeting; a
refused key flagged on its field; a shared number made ordinary again."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received

pytestmark = pytest.mark.browser

HOTLINE, AQUA, BLUE = "+14155550100", "+14155550111", "+14155550122"
PATH = "api/operator/numbers/%2B14155550100/shared"


def tenant(tenant_id: str, name: str, numbers: list[str], reason: str | None = None
           ) -> dict[str, Any]:
    return {"id": tenant_id, "name": name, "timezone": "UTC", "numbers": numbers,
            "status": reason or "active", "users": 2, "valid_until": None,
            "standing": {"active": reason is None, "reason": reason}}


TENANTS = [tenant("tn_city", "City Hotline", [HOTLINE]), tenant("tn_aqua", "Aqua Water", [AQUA]),
           tenant("tn_blue", "Blue Dental", [BLUE]),
           tenant("tn_cold", "Cold Creek", [], "suspended")]


def number(e164: str, owner: str, name: str, menu: list[dict[str, str]] | None = None,
           greeting: str | None = None) -> dict[str, Any]:
    return {"number": e164, "friendly_name": None, "owner": {"tenant_id": owner, "name": name},
            "shared": bool(menu), "greeting": greeting, "tenants": menu or []}


MENU = [{"tenant_id": "tn_aqua", "digit": "1", "number": AQUA, "name": "Aqua Water"},
        {"tenant_id": "tn_blue", "digit": "2", "number": BLUE, "name": "Blue Dental"}]


@pytest.fixture
def console(page: Page, api: FakeApi) -> Page:
    sign_in(page, {"id": "op_1", "tenant_id": "_platform", "email": "operator@hotline.example",
                   "name": "Pat Operator", "role": "operator", "mobile": None})
    api.reply("GET", "api/operator/tenants", {"tenants": TENANTS})
    return page


def test_the_operator_makes_a_number_shared_with_two_businesses(
        console: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    numbers = [number(HOTLINE, "tn_city", "City Hotline"), number(AQUA, "tn_aqua", "Aqua Water"),
               number(BLUE, "tn_blue", "Blue Dental")]
    api.handle("GET", "api/operator/numbers", lambda _r: (200, {"numbers": numbers}))

    def share(request: Received) -> tuple[int, Any]:
        numbers[0] = number(HOTLINE, "tn_city", "City Hotline", MENU, request.body["greeting"])
        return 200, numbers[0]

    api.handle("POST", PATH, share)
    # given the console lists every number with its owner and routing
    console.goto(site.url + "operator")
    section = console.locator("#shared-numbers")
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(3)
    row = section.locator(f"tr[data-number='{HOTLINE}']")
    expect(row).to_contain_text("City Hotline")
    expect(row.locator("[data-shared]")).to_have_text("Ordinary")
    # when the operator makes the hotline shared: Aqua on 1, Blue on 2, and a greeting
    row.get_by_role("button", name="Make shared").click()
    form = section.locator("#shared-number-form")
    expect(form.get_by_label("Greeting")).to_be_focused()
    form.get_by_label("Greeting").fill("Thanks for calling City Hotline.")
    form.get_by_label("Business 1", exact=True).select_option("tn_aqua")
    form.get_by_label("Business 2", exact=True).select_option("tn_blue")
    expect(form.get_by_label("Business 1", exact=True).locator("option", has_text="Cold Creek")
           ).to_have_text("Cold Creek (suspended)")
    screenshot(console, "operator-shared-numbers-form", "#shared-numbers")
    form.get_by_role("button", name="Save menu").click()
    # then the API got exactly the menu, and the list shows the routing
    expect(row.locator("[data-shared]")).to_have_text("Shared")
    assert api.requests("POST", PATH)[0].body == {
        "tenants": [{"tenant_id": "tn_aqua", "digit": "1"}, {"tenant_id": "tn_blue", "digit": "2"}],
        "greeting": "Thanks for calling City Hotline."}
    expect(row.locator("[data-digit='1']")).to_contain_text("Aqua Water")
    expect(row.locator("[data-digit='2']")).to_contain_text("Blue Dental")
    expect(section.locator("[data-numbers-saved]")).to_contain_text("Saved.")
    screenshot(console, "operator-shared-numbers", "#shared-numbers")
    assert errors == []


def test_a_refused_key_is_flagged_and_a_shared_number_is_made_ordinary(
        console: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    numbers = [number(HOTLINE, "tn_city", "City Hotline", MENU, "Hello."),
               number(AQUA, "tn_aqua", "Aqua Water")]
    api.handle("GET", "api/operator/numbers", lambda _r: (200, {"numbers": numbers}))
    api.reply("POST", PATH, {"error": "invalid_input", "path": "tenants[1].digit",
                             "message": "digit 1 is already used by tenants[0]"}, status=400)

    def unshare(_request: Received) -> tuple[int, Any]:
        numbers[0] = number(HOTLINE, "tn_city", "City Hotline")
        return 200, numbers[0]

    api.handle("DELETE", PATH, unshare)
    console.goto(site.url + "operator")
    section = console.locator("#shared-numbers")
    row = section.locator(f"tr[data-number='{HOTLINE}']")
    row.get_by_role("button", name="Edit menu").click()
    form = section.locator("#shared-number-form")
    form.get_by_label("Key or code for business 2").fill("1")
    form.get_by_role("button", name="Save menu").click()
    expect(form.locator("[data-error-for='tenants[1].digit']")).to_have_text(
        "digit 1 is already used by tenants[0]")
    expect(form.get_by_label("Key or code for business 2")).to_be_focused()
    screenshot(console, "operator-shared-numbers-refused", "#shared-number-form")
    # when the operator makes it ordinary again
    form.get_by_role("button", name="Make ordinary").click()
    expect(row.locator("[data-shared]")).to_have_text("Ordinary")
    assert len(api.requests("DELETE", PATH)) == 1
    assert errors == []
