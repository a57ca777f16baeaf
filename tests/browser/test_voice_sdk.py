"""Real mode without Twilio: the desktop loads Twilio's Voice JS SDK from the app (no 404,
no CDN) and drives it only through the SDK's documented calls: `new Twilio.Device(token,
options)`, `register()`, `unregister()`, `on("incoming")`, `call.accept()`,
`call.disconnect()` and `updateToken()` on `tokenWillExpire`. A stub Device, injected
before the bundle loads (the bundle keeps an existing `Twilio.Device`), records them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from tests.browser.conftest import sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

CALLER = "+14155550123"
STUB = """
window.__voice = [];
class StubEmitter {
  constructor() { this.handlers = {}; }
  on(name, fn) { (this.handlers[name] = this.handlers[name] || []).push(fn); return this; }
  emit(name, ...args) { (this.handlers[name] || []).forEach((fn) => fn(...args)); }
}
class StubCall extends StubEmitter {
  constructor(parameters) { super(); this.parameters = parameters; }
  accept() { __voice.push(["accept", this.parameters.CallSid]); }
  reject() { __voice.push(["reject", this.parameters.CallSid]); }
  disconnect() {
    __voice.push(["disconnect", this.parameters.CallSid]);
    this.emit("disconnect", this);
  }
  mute(flag) { __voice.push(["mute", flag]); }
  sendDigits(digits) { __voice.push(["sendDigits", digits]); }
}
class StubDevice extends StubEmitter {
  constructor(token, options) {
    super();
    __voice.push(["new", token, options]);
    this.state = "unregistered";
    const audio = (what) => (flag) => __voice.push([`audio.${what}`, flag]);
    this.audio = { incoming: audio("incoming"), outgoing: audio("outgoing"),
                   disconnect: audio("disconnect") };
    window.__device = this;
  }
  async register() {
    __voice.push(["register"]);
    this.state = "registered";
    this.emit("registered");
  }
  async unregister() {
    __voice.push(["unregister"]);
    this.state = "unregistered";
    this.emit("unregistered");
  }
  updateToken(token) { __voice.push(["updateToken", token]); }
  destroy() { __voice.push(["destroy"]); }
  ring(sid) {
    const params = { CallSid: sid, From: "+15005550006", To: "client:u_agent" };
    this.emit("incoming", new StubCall(params));
  }
}
window.Twilio = { Device: StubDevice };
"""


def access_token(identity: str = "u_agent") -> str:
    token = AccessToken("AC" + "0" * 32, "SK" + "0" * 32, "x" * 32, identity=identity, ttl=3600)
    token.add_grant(VoiceGrant(incoming_allow=True, outgoing_application_sid="AP" + "0" * 32))
    return str(token.to_jwt())


@pytest.fixture
def bundle(page: Page) -> list[Response]:
    """The responses to the SDK bundle's URL, to check it loaded from the app."""
    seen: list[Response] = []
    page.on("response", lambda r: seen.append(r) if "twilio" in r.url else None)
    return seen


@pytest.fixture
def desk(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    sign_in(page, user("agent"))
    tokens = iter(["token-1", "token-2", "token-3"])
    api.handle("POST", "api/voice/token", lambda _r: (200, {
        "identity": "u_agent", "mode": "twilio", "token": next(tokens), "expires_in": 3600}))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/routing", {"id": "u_agent", "activity": "offline"})
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/me/tasks", {"tasks": []})
    api.reply("GET", f"api/contacts?phone={CALLER}", {"contacts": []})
    api.handle("PUT", "api/me/activity", lambda r: (200, {"id": "u_agent", **r.body}))
    return page


def wait_until(page: Page, expression: str, timeout_s: float = 10.0) -> None:
    """Poll a script expression until it is true (Playwright's polling of a string
    predicate needs eval, which the page's Content-Security-Policy rightly forbids)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s}s: {expression}"
        page.wait_for_timeout(100)


def recorded(page: Page) -> list[list[Any]]:
    return list(page.evaluate("window.__voice"))


def test_the_sdk_bundle_is_served_by_the_app_and_defines_twilio_device(
        desk: Page, site: FakeSite, api: FakeApi, bundle: list[Response]) -> None:
    api.handle("POST", "api/voice/token", lambda _r: (200, {
        "identity": "u_agent", "mode": "twilio", "token": access_token(), "expires_in": 3600}))
    desk.goto(site.url + "agent")
    wait_until(desk, "window.Twilio && typeof window.Twilio.Device === 'function'")
    assert [(r.url, r.status) for r in bundle] == [(site.url + "vendor/twilio.min.js", 200)]
    assert bundle[0].headers["content-type"].startswith("text/javascript")
    assert desk.evaluate("typeof Twilio.Device.prototype.register") == "function"
    expect(desk.locator("#phone-state")).to_have_text("Phone off")


def test_the_page_registers_accepts_and_disconnects_through_the_sdk(
        desk: Page, site: FakeSite, api: FakeApi, bundle: list[Response]) -> None:
    desk.add_init_script(STUB)
    api.reply("GET", "api/me/reservations", {"reservations": [{
        "id": "WR1", "status": "pending", "expires_in": 30,
        "task": {"id": "TK1", "channel": "voice", "queue": "support", "caller": CALLER}}]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        api.reply("GET", "api/me/tasks", {"tasks": [{
            "id": "TK1", "status": "assigned", "channel": "voice", "caller": CALLER,
            "assigned_at": time.time(), "call": {"state": "ringing", "on_hold": False}}]})
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    api.reply("POST", "api/tasks/TK1/hangup", {"id": "TK1", "status": "wrapping"})
    desk.goto(site.url + "agent")
    wait_until(desk, "window.__voice.length >= 4")
    assert [(r.url.rsplit("/", 2)[-2:], r.status) for r in bundle] == [
        (["vendor", "twilio.min.js"], 200)]
    assert recorded(desk)[:4] == [
        ["new", "token-1", {"closeProtection": True, "codecPreferences": ["opus", "pcmu"]}],
        ["audio.incoming", False], ["audio.outgoing", False], ["audio.disconnect", False]]

    # Available registers the Device
    desk.get_by_label("Status").select_option("available")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    assert recorded(desk)[4:] == [["register"]]

    # Accepting the offer answers the incoming call that follows
    desk.get_by_role("button", name="Accept").click()
    desk.evaluate("window.__device.ring('CA_leg')")
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    assert ["accept", "CA_leg"] in recorded(desk)

    # Hang up ends the task's call and disconnects the SDK's call
    desk.get_by_role("button", name="Hang up").click()
    wait_until(desk, "window.__voice.some((c) => c[0] === 'disconnect')")
    assert ["disconnect", "CA_leg"] in recorded(desk)
    assert len(api.requests("POST", "api/tasks/TK1/hangup")) == 1

    # The token is refreshed when the SDK says it will expire
    desk.evaluate("window.__device.emit('tokenWillExpire', window.__device)")
    wait_until(desk, "window.__voice.some((c) => c[0] === 'updateToken')")
    assert ["updateToken", "token-2"] in recorded(desk)

    # A break unregisters it
    desk.get_by_label("Status").select_option("break")
    expect(desk.locator("#phone-state")).to_have_text("Phone off")
    assert recorded(desk)[-1] == ["unregister"]
