"""The pages blueprint: pages and static files, content types, caching, no traversal."""

from __future__ import annotations

import pytest
from chalice.test import Client

from tests.browser.fake_api import pages_client


@pytest.fixture(scope="module")
def client() -> Client:
    return pages_client()


@pytest.mark.parametrize("path", ["/", "/signup", "/login", "/agent", "/supervisor", "/admin"])
def test_every_page_is_served_as_html_without_caching(client: Client, path: str) -> None:
    response = client.http.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert b"<!doctype html>" in response.body
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("name", "content_type"), [
    ("hotline.css", "text/css; charset=utf-8"),
    ("agent.js", "text/javascript; charset=utf-8"),
    ("logo.svg", "image/svg+xml"),
])
def test_static_files_carry_their_content_type_and_a_cache_header(
        client: Client, name: str, content_type: str) -> None:
    response = client.http.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert "max-age" in response.headers["Cache-Control"]
    assert response.headers["ETag"]


def test_a_static_file_is_not_sent_again_when_the_browser_has_it(client: Client) -> None:
    etag = client.http.get("/static/hotline.css").headers["ETag"]
    again = client.http.get("/static/hotline.css", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert not again.body


@pytest.mark.parametrize("name", [
    "..%2Fpages.py", "%2E%2E%2F%2E%2E%2Fapp.py", "..", ".hidden.js", "missing.js",
    "agent.html", "hotline.css%00.js", "..%5Cpages.py",
])
def test_static_refuses_anything_but_a_file_in_the_static_folder(
        client: Client, name: str) -> None:
    response = client.http.get(f"/static/{name}")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")


def test_pages_link_their_assets_relatively_for_the_stage_prefix(client: Client) -> None:
    for path in ["/", "/signup", "/login", "/agent", "/supervisor", "/admin"]:
        html = client.http.get(path).body.decode()
        assert 'href="/' not in html and 'src="/' not in html, path


def test_the_voice_sdk_bundle_is_served_from_vendor(client: Client) -> None:
    response = client.http.get("/vendor/twilio.min.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert b"Twilio.Device" in response.body


@pytest.mark.parametrize("name", ["twilio-voice-sdk.LICENSE.md", "..%2Fagent.html",
                                  "missing.js", "..", "%2E%2E%2Fstatic%2Fagent.js"])
def test_vendor_serves_only_javascript_bundles(client: Client, name: str) -> None:
    assert client.http.get(f"/vendor/{name}").status_code == 404


def test_the_policy_lets_the_sdk_reach_twilio_and_nothing_else(client: Client) -> None:
    policy = client.http.get("/agent").headers["Content-Security-Policy"]
    connect = next(part for part in policy.split(";") if "connect-src" in part).split()[1:]
    assert connect[:3] == ["'self'", "https://*.twilio.com", "wss://*.twilio.com"]
    assert "script-src 'self';" in policy

