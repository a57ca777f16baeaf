"""The standing banner (web/static/standing-banner.js) on the admin page and the agent
desktop: why the business is not active and until when, a rental ending soon, media the
operator switched off (docs/tenancy.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.test_admin_page import TENANT, admin  # noqa: F401  (the admin fixture)
from tests.browser.test_agent_desktop import desk  # noqa: F401  (the desk fixture)

pytestmark = pytest.mark.browser

ALL_ON = {p: True for p in ("voice_in", "voice_out", "sms_in", "sms_out", "whatsapp_in",
                            "whatsapp_out", "chat")}


def standing(**fields: Any) -> dict[str, Any]:
    return {"status": "active", "active": True, "reason": None, "valid_until": None,
            "permissions": dict(ALL_ON), "spending_cap": None, "numbers_released_at": None,
            **fields}


def iso(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat().replace("+00:00", "Z")


def test_the_admin_of_a_suspended_business_sees_why_and_until_when(
        admin: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:  # noqa: F811
    api.reply("GET", "api/tenant", {**TENANT, "standing": standing(
        status="suspended", active=False, reason="suspended")})

    admin.goto(site.url + "admin")

    banner = admin.locator("#standing-banner [data-standing=error]")
    expect(banner).to_contain_text("Your service is suspended by the operator.")
    expect(banner).to_contain_text("until the operator reactivates it")
    expect(banner).to_have_attribute("role", "alert")
    screenshot(admin, "tenancy-banner-admin-suspended", part="#standing-banner")


def test_a_closed_business_is_told_when_its_numbers_go_and_an_active_one_sees_limits(
        admin: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:  # noqa: F811
    api.reply("GET", "api/tenant", {**TENANT, "standing": standing(
        status="closed", active=False, reason="closed",
        numbers_released_at="2027-01-15T08:00:00Z")})
    admin.goto(site.url + "admin")
    closed = admin.locator("#standing-banner [data-standing=error]")
    expect(closed).to_contain_text("This business is closed.")
    expect(closed).to_contain_text("numbers will be released on")
    expect(closed).to_contain_text("2027")

    api.reply("GET", "api/tenant", {**TENANT, "standing": standing(
        valid_until=iso(5), permissions={**ALL_ON, "sms_out": False, "chat": False})})
    admin.goto(site.url + "admin")
    expect(admin.locator("#standing-banner [data-standing=warning]")).to_contain_text(
        "Your rental ends on")
    expect(admin.locator("#standing-banner [data-standing=info]")).to_contain_text(
        "Switched off by the operator: outgoing SMS, web chat.")
    expect(admin.locator("#standing-banner [data-standing=error]")).to_have_count(0)
    screenshot(admin, "tenancy-banner-admin-limits", part="#standing-banner")


def test_an_agent_of_an_expired_business_sees_why_on_the_desktop(
        desk: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:  # noqa: F811
    api.reply("GET", "api/tenant", {"id": "tn_test", "name": "Aqua", "timezone": "UTC",
                                    "dispositions": ["Resolved"], "standing": standing(
                                        active=False, reason="expired",
                                        valid_until="2026-11-01T00:00:00Z")})

    desk.goto(site.url + "agent")

    banner = desk.locator("#standing-banner [data-standing=error]")
    expect(banner).to_contain_text("Your rental expired on")
    expect(banner).to_contain_text("agents can't go Available")
    screenshot(desk, "tenancy-banner-agent-expired", part="#standing-banner")
