"""Browser tests: real headless Chromium (Debian's) against the pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.fake_api import FakeApi, FakeSite
from tests.stack import stack, stack_environment  # noqa: F401  (the running Hotline)

SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 860}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "headless": True,
            "executable_path": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking"]}


@pytest.fixture(scope="session", autouse=True)
def vendored_bundles() -> None:
    """The pages load Twilio's Voice SDK from chalicelib/web/vendor/ (git-ignored): copy it
    from node_modules as ./dev does, so these tests never depend on a stale copy."""
    from devtools import vendor

    vendor.copy()


@pytest.fixture(scope="session")
def fake_site() -> Iterator[FakeSite]:
    site = FakeSite().start()
    yield site
    site.stop()


@pytest.fixture
def site(fake_site: FakeSite) -> Iterator[FakeSite]:
    fake_site.api.reset()
    fake_site.sim.reset()
    yield fake_site
    fake_site.api.reset()
    fake_site.sim.reset()


@pytest.fixture
def api(site: FakeSite) -> FakeApi:
    return site.api


def sign_in(page: Page, user: dict[str, Any], token: str = "test-token") -> None:
    """Start the page with a session already in sessionStorage, as after logging in."""
    page.add_init_script(
        f"sessionStorage.setItem('hotline.token', {json.dumps(token)});"
        f"sessionStorage.setItem('hotline.user', {json.dumps(json.dumps(user))});")


def screenshot(page: Page, name: str, part: str | None = None) -> None:
    """A full-page picture at desktop width, then at a phone's width; with `part` (a CSS
    selector), also that element alone at the phone's width, to look at it closely."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(MOBILE)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-mobile.png"), full_page=True)
    if part:
        page.locator(part).screenshot(path=str(SCREENSHOTS / f"{name}-mobile-part.png"))
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    """Uncaught script errors on the page; a test that asks for it ends asserting none."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found
    assert found == []
