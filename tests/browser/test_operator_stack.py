"""The operator's console on the real stack (DynamoDB Local, the simulator and the app,
tests/stack.py): the seeded operator logs in through the login page, lands on the
console, finds the demo business with its number and this month's invoice from the
billing routes, switches WhatsApp out off in the form, and the API reads it back. A
missing backend piece fails, naming the route (never skips)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.stack import RunningStack

pytestmark = pytest.mark.browser

WAIT_MS = 20_000


@pytest.fixture
def operator_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_the_seeded_operator_runs_the_console_on_the_stack(
        operator_page: Page, stack: RunningStack) -> None:
    demo = stack.demo
    ops = stack.session(demo.operator_email, demo.password_operator)
    for path in ("/api/operator/tenants", f"/api/operator/tenants/{demo.tenant_id}"):
        status, payload = ops.call("GET", path)
        assert status == 200, f"GET {path} answered {status}: {payload}"
    page = operator_page
    try:
        # Given the operator logs in on the ordinary login page, they land on the console
        page.goto(stack.app_url + "/login")
        page.get_by_label("Email").fill(demo.operator_email)
        page.get_by_label("Password").fill(demo.password_operator)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(stack.app_url + "/operator")
        row = page.locator(f"tr[data-tenant={demo.tenant_id}]")
        expect(row).to_contain_text("Aqua Pure Water Delivery", timeout=WAIT_MS)
        expect(row.locator("[data-status]")).to_have_text("Active")
        expect(row).to_contain_text(demo.number[-4:])
        expect(row).to_contain_text("$", timeout=WAIT_MS)  # this month's spend, from billing

        # When they open it, its invoice comes from the billing route
        row.get_by_role("button", name="Aqua Pure Water Delivery").click()
        detail = page.locator("#tenant-detail")
        expect(detail.get_by_test_id("invoice-total")).to_contain_text("$", timeout=WAIT_MS)
        # and switching WhatsApp out off is saved
        detail.get_by_role("checkbox", name="WhatsApp out", exact=True).uncheck()
        detail.get_by_role("button", name="Save terms").click()
        expect(detail.locator("[data-saved]")).to_contain_text("Saved.", timeout=WAIT_MS)
        screenshot(page, "stack-operator", part="#tenant-detail")

        # Then the API reads the permission back off, and nothing else changed
        view = ops.ok("GET", f"/api/operator/tenants/{demo.tenant_id}")
        assert view["permissions"]["whatsapp_out"] is False
        assert view["status"] == "active" and view["standing"]["active"] is True
        assert {p for p, on in view["permissions"].items() if not on} == {"whatsapp_out"}
    finally:  # the stack is shared by the session's other tests
        ops.call("PATCH", f"/api/operator/tenants/{demo.tenant_id}",
                 {"permissions": {"whatsapp_out": True}})
