"""The agent desktop, signed in as an agent with a CRM card and the simulator's phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.agent_calls.views import AGENT, CALLER, CONTACT, tasks
from tests.browser.conftest import sign_in
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.users import user


@pytest.fixture
def desk(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    sign_in(page, user("agent"))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/routing", {"id": AGENT, "activity": "available"})
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/me/tasks", tasks())
    api.reply("GET", f"api/contacts?phone={CALLER}", {"contacts": [CONTACT]})
    api.reply("GET", "api/contacts/ct_1/interactions", {"interactions": []})
    api.reply("POST", "api/voice/token", {"identity": AGENT, "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    api.handle("PUT", "api/me/activity", lambda r: (200, {"id": AGENT, **r.body}))
    return page
