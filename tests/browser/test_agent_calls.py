"""The agent desktop's calls against the fake API and the fake simulator's device API:
the browser phone registers with presence and answers only the call the agent asked for;
hold, mute, keypad, hang-up, transfers, outbound calls, ringing, missed offers, presence
while working, and wrap-up's countdown and kept notes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

CALLER = "+14155550123"
AGENT = "u_agent"
CONTACT = {"id": "ct_1", "phone": CALLER, "name": "Dana Customer", "email": None,
           "notes": "Prefers mornings", "interaction_count": 1}
DIRECTORY = {"queues": [{"name": "support"}, {"name": "sales"}],
             "agents": [{"agent_id": "u_sam", "name": "Sam Agent", "activity": "available",
                         "available": True},
                        {"agent_id": "u_kim", "name": "Kim Agent", "activity": "break",
                         "available": False}]}


def offer(**task: Any) -> dict[str, Any]:
    return {"id": "WR1", "status": "pending", "expires_in": 30.0,
            "task": {"id": "TK1", "channel": "voice", "queue": "support", "caller": CALLER,
                     "enqueued_at": time.time() - 8, **task}}


def task(status: str = "assigned", **call: Any) -> dict[str, Any]:
    view: dict[str, Any] = {"id": "TK1", "status": status, "channel": "voice",
                            "queue": "support", "caller": CALLER,
                            "assigned_at": time.time() - 20}
    if status == "assigned":
        view["call"] = {"state": "connected", "conference": "TK1", "on_hold": False,
                        "muted": False, "hold_count": 0, "hold_seconds": 0, "transfer": None,
                        "monitored": None, **call}
    return view


def tasks(*views: dict[str, Any]) -> dict[str, Any]:
    return {"tasks": list(views)}


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    """Uncaught script errors on the page; each test ends asserting there were none."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found
    assert found == []


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


def wait_registered(desk: Page, site: FakeSite) -> None:
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    assert site.sim.registered(AGENT) is not None


def on_task(api: FakeApi, view: dict[str, Any]) -> None:
    api.reply("GET", "api/me/tasks", tasks(view))


def answer_with(api: FakeApi, path: str, view: dict[str, Any]) -> None:
    """POST path moves the task to `view` and returns it, as the backend's task routes do."""
    def handler(_request: Received) -> tuple[int, Any]:
        on_task(api, view)
        return 200, view
    api.handle("POST", path, handler)


def test_going_available_registers_the_phone_and_a_break_unregisters_it(
        desk: Page, site: FakeSite) -> None:
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    assert site.sim.actions[0][2] == {"account_sid": "AC_test", "identity": AGENT}
    desk.get_by_label("Status").select_option("break")
    expect(desk.locator("#phone-state")).to_have_text("Phone off")
    assert site.sim.registered(AGENT) is None
    assert site.sim.verbs() == ["register", "unregister"]


def test_an_offline_agent_has_no_registered_phone(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/routing", {"id": AGENT, "activity": "offline"})
    desk.goto(site.url + "agent")
    expect(desk.locator("#phone-state")).to_have_text("Phone off")
    expect(desk.get_by_label("Status")).to_have_value("offline")
    assert site.sim.registered(AGENT) is None


def test_accepting_an_offer_answers_the_call_that_rings_the_browser(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task(state="ringing"))
        site.sim.ring(AGENT, "CA_agent_leg", CALLER)
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    device = site.sim.registered(AGENT)
    assert device is not None and device.active is not None
    assert device.active["call_sid"] == "CA_agent_leg"
    assert ("accept", device.device_id, {"call_sid": "CA_agent_leg"}) in site.sim.actions
    on_task(api, task())
    expect(desk.get_by_test_id("task-state")).to_have_text("Connected")
    expect(desk.locator("#work-state")).to_have_text("On a call")
    expect(desk.locator("#presence-dot")).to_have_class("dot busy")
    screenshot(desk, "agent-call-connected", ".call-controls")


def test_a_call_the_agent_did_not_ask_for_is_left_ringing(
        desk: Page, site: FakeSite) -> None:
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    site.sim.ring(AGENT, "CA_stray")
    desk.wait_for_timeout(1500)  # three of the adapter's polls
    device = site.sim.registered(AGENT)
    assert device is not None and device.active is None
    assert "accept" not in site.sim.verbs()


def test_a_call_still_connecting_offers_only_hang_up(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task(), "call": None})
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("task-state")).to_have_text("Connecting…")
    for name in ("Hold", "Mute", "Keypad", "Transfer"):
        expect(desk.get_by_role("button", name=name, exact=True)).to_be_disabled()
    expect(desk.get_by_role("button", name="Hang up")).to_be_enabled()
    on_task(api, task())
    expect(desk.get_by_test_id("task-state")).to_have_text("Connected")
    expect(desk.get_by_role("button", name="Hold")).to_be_enabled()


def test_hold_and_resume_post_and_show_the_caller_on_hold(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    answer_with(api, "api/tasks/TK1/hold", task(on_hold=True, hold_count=1))
    answer_with(api, "api/tasks/TK1/resume", task(on_hold=False, hold_count=1))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Hold").click()
    expect(desk.get_by_test_id("on-hold")).to_have_text("Caller on hold")
    expect(desk.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    screenshot(desk, "agent-call-on-hold", ".call-controls")
    desk.get_by_role("button", name="Resume").click()
    expect(desk.get_by_test_id("on-hold")).to_have_count(0)
    expect(desk.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")
    assert len(api.requests("POST", "api/tasks/TK1/hold")) == 1
    assert len(api.requests("POST", "api/tasks/TK1/resume")) == 1


def test_mute_and_unmute_post_the_agents_own_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    answer_with(api, "api/tasks/TK1/mute", task(muted=True))
    answer_with(api, "api/tasks/TK1/unmute", task(muted=False))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Mute").click()
    expect(desk.get_by_test_id("muted")).to_have_text("Muted")
    desk.get_by_role("button", name="Unmute").click()
    expect(desk.get_by_role("button", name="Mute")).to_be_visible()
    assert [len(api.requests("POST", f"api/tasks/TK1/{a}")) for a in ("mute", "unmute")] == [1, 1]


def test_a_refused_hold_shows_the_reason(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("POST", "api/tasks/TK1/hold", {"error": "conflict",
                                             "message": "the caller has already hung up"}, 409)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Hold").click()
    expect(desk.locator(".call-controls .alert.error")).to_have_text(
        "the caller has already hung up")
    expect(desk.get_by_role("button", name="Hold")).to_have_attribute("aria-pressed", "false")


def test_the_keypad_sends_each_digit_into_the_call(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.handle("POST", "api/tasks/TK1/dtmf", lambda r: (200, task()))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Keypad").click()
    for key in ("1", "2", "Pound"):
        desk.get_by_role("group", name="Keypad: send tones into the call").get_by_role(
            "button", name=key, exact=True).click()
    expect(desk.get_by_test_id("dtmf-sent")).to_have_text("Sent: 12#")
    assert [r.body for r in api.requests("POST", "api/tasks/TK1/dtmf")] == [
        {"digits": "1"}, {"digits": "2"}, {"digits": "#"}]
    screenshot(desk, "agent-call-keypad", ".call-controls")


def test_hang_up_ends_the_call_and_the_browsers_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task())
        site.sim.ring(AGENT, "CA_leg")
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    answer_with(api, "api/tasks/TK1/hangup", task("wrapping"))
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    desk.get_by_role("button", name="Hang up").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    assert len(api.requests("POST", "api/tasks/TK1/hangup")) == 1
    assert site.sim.verbs()[-1] == "hangup"
    expect(desk.locator("#work-state")).to_have_text("Wrap-up")


def test_the_far_side_hanging_up_frees_the_browser_phone(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        on_task(api, task())
        site.sim.ring(AGENT, "CA_leg")
        return 200, {"id": "WR1", "status": "accepted"}

    api.handle("POST", "api/reservations/WR1/accept", accept)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    site.sim.end("CA_leg")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")


def test_a_cold_transfer_to_an_available_agent(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    answer_with(api, "api/tasks/TK1/transfer", task("wrapping"))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    target = desk.get_by_label("Transfer to")
    expect(target.locator("option", has_text="Sam Agent · Available")).to_be_enabled()
    expect(target.locator("option", has_text="Kim Agent · Break")).to_be_disabled()
    screenshot(desk, "agent-transfer-picker", ".call-controls")
    target.select_option("agent:u_sam")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    assert api.requests("POST", "api/tasks/TK1/transfer")[0].body == {
        "to": {"agent": "u_sam"}, "mode": "cold"}


def test_a_warm_transfer_to_a_number_and_to_a_queue(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    api.handle("POST", "api/tasks/TK1/transfer", lambda r: (200, task()))
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    desk.get_by_label("Transfer to").select_option("number")
    desk.get_by_label("Phone number").fill("(415) 555-0199")
    desk.get_by_text("Warm", exact=True).click()
    desk.get_by_label("Notes for the next agent").fill("Billing question, order 1182")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("form.transfer")).to_have_count(0)
    desk.get_by_role("button", name="Transfer").click()
    desk.get_by_label("Transfer to").select_option("queue:sales")
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("form.transfer")).to_have_count(0)
    assert [r.body for r in api.requests("POST", "api/tasks/TK1/transfer")] == [
        {"to": {"number": "+14155550199"}, "mode": "warm",
         "notes": "Billing question, order 1182"},
        {"to": {"queue": "sales"}, "mode": "cold"}]


def test_a_transfer_needs_a_target(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task())
    api.reply("GET", "api/voice/directory", DIRECTORY)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Transfer").click()
    desk.locator("form.transfer").get_by_role("button", name="Transfer").click()
    expect(desk.locator("#transfer-target-error")).to_have_text(
        "Choose a queue, an agent or a number.")
    assert not api.requests("POST", "api/tasks/TK1/transfer")


def test_a_warm_transfers_consult_can_be_completed_or_cancelled(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    consulting = {"mode": "warm", "to": {"agent": "u_sam"}, "state": "consulting",
                  "target_name": "Sam Agent"}
    on_task(api, task(on_hold=True, transfer=consulting))
    answer_with(api, "api/tasks/TK1/transfer/cancel", task(on_hold=True))
    answer_with(api, "api/tasks/TK1/transfer/complete", task("wrapping"))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("consult")).to_contain_text("Consulting with Sam Agent")
    expect(desk.get_by_role("button", name="Transfer", exact=True)).to_be_disabled()
    screenshot(desk, "agent-warm-consult", ".call-controls")
    desk.get_by_role("button", name="Cancel transfer").click()
    expect(desk.get_by_test_id("consult")).to_have_count(0)
    expect(desk.get_by_test_id("on-hold")).to_be_visible()
    on_task(api, task(on_hold=True, transfer=consulting))
    expect(desk.get_by_test_id("consult")).to_be_visible()
    desk.get_by_role("button", name="Complete transfer").click()
    expect(desk.get_by_test_id("task-state")).to_have_text("Wrap-up")
    assert [len(api.requests("POST", f"api/tasks/TK1/transfer/{a}"))
            for a in ("cancel", "complete")] == [1, 1]


def test_the_dialpad_places_an_outbound_call_and_answers_its_leg(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    def place(request: Received) -> tuple[int, Any]:
        site.sim.ring(AGENT, "CA_out_leg", "+15005550006")
        on_task(api, {**task(state="ringing"), "direction": "outbound",
                      "caller": request.body["to"], "queue": ""})
        return 200, {"task": task()}

    api.handle("POST", "api/calls", place)
    desk.goto(site.url + "agent")
    wait_registered(desk, site)
    screenshot(desk, "agent-dialpad", "#dialer-card")
    dialer = desk.get_by_role("group", name="Dialpad keys")
    for key in "4155550142":
        dialer.get_by_role("button", name=key, exact=True).click()
    desk.get_by_role("button", name="Call", exact=True).click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    expect(desk.get_by_test_id("task-caller")).to_have_text("+1 (415) 555-0142")
    expect(desk.locator("#dialer-card")).to_be_hidden()
    assert api.requests("POST", "api/calls")[0].body == {"to": "+14155550142"}


def test_a_dialled_number_must_be_a_phone_number(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    desk.get_by_label("Number to call").fill("12")
    desk.get_by_role("button", name="Call", exact=True).click()
    expect(desk.locator("#dial-number-error")).to_contain_text("Enter a phone number")
    assert not api.requests("POST", "api/calls")


def test_click_to_call_from_the_crm_card(desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task("wrapping"))
    api.handle("POST", "api/tasks/TK1/wrapup", lambda r: (on_task(api, task()) or (200, {})))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("crm-name")).to_have_text("Dana Customer")
    api.reply("GET", "api/me/tasks", tasks())
    desk.wait_for_timeout(0)
    expect(desk.get_by_text("No active task")).to_be_visible()
    api.reply("POST", "api/calls", {"task": task()})
    wait_registered(desk, site)
    desk.get_by_role("button", name="Call +1 (415) 555-0123").click()
    expect(desk.locator("#desk-status")).to_have_text("Calling +1 (415) 555-0123…")
    assert api.requests("POST", "api/calls")[0].body == {"to": CALLER, "contact_id": "ct_1"}


def test_an_offer_rings_blinks_the_title_and_takes_focus(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})
    expect(desk.locator("body")).to_have_attribute("data-ringing", "true")
    expect(desk.get_by_role("button", name="Accept")).to_be_focused()
    titles = {desk.title() for _ in range(6) if desk.wait_for_timeout(400) is None}
    assert "Incoming call · +1 (415) 555-0123" in titles
    assert int(desk.locator("body").get_attribute("data-rings") or 0) >= 1
    api.reply("GET", "api/me/reservations", {"reservations": []})
    expect(desk.locator("body")).not_to_have_attribute("data-ringing", "true")
    expect(desk).to_have_title("Agent desktop · Hotline")


def test_an_offer_that_times_out_says_it_was_missed(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})
    desk.goto(site.url + "agent")
    expect(desk.locator("article.offer")).to_be_visible()
    api.reply("GET", "api/me/reservations", {"reservations": []})
    missed = desk.get_by_test_id("missed-offer")
    expect(missed).to_contain_text("Missed: the offer timed out")
    expect(missed).to_contain_text("Call from +1 (415) 555-0123 · support")
    screenshot(desk, "agent-missed-offer")
    missed.get_by_role("button", name="Dismiss").click()
    expect(missed).to_have_count(0)


def test_a_rejected_offer_is_not_called_missed(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer()]})

    def reject(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        return 200, {"id": "WR1", "status": "rejected"}

    api.handle("POST", "api/reservations/WR1/reject", reject)
    desk.goto(site.url + "agent")
    desk.get_by_role("button", name="Reject").click()
    expect(desk.get_by_text("No incoming work")).to_be_visible()
    desk.wait_for_timeout(1600)
    expect(desk.get_by_test_id("missed-offer")).to_have_count(0)


def test_a_transfer_offer_shows_who_transferred_and_their_notes(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    api.reply("GET", "api/me/reservations", {"reservations": [offer(
        transfer_from={"agent_id": "u_sam", "name": "Sam Agent", "mode": "warm"},
        notes="Wants a refund for order 1182")]})
    desk.goto(site.url + "agent")
    note = desk.get_by_test_id("offer-transfer")
    expect(note).to_contain_text("Warm transfer from Sam Agent")
    expect(note).to_contain_text("Notes: Wants a refund for order 1182")
    screenshot(desk, "agent-transfer-offer", "article.offer")


def test_the_agent_sees_a_supervisor_monitoring_when_the_tenant_shows_it(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, task(monitored={"mode": "whisper"}))
    desk.goto(site.url + "agent")
    expect(desk.get_by_test_id("monitored")).to_have_text(
        "Being monitored: a supervisor is coaching you")
    on_task(api, task())
    expect(desk.get_by_test_id("monitored")).to_have_count(0)


def test_wrap_up_counts_down_and_can_be_extended(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 45})
    answer_with(api, "api/tasks/TK1/wrapup/extend",
                {**task("wrapping"), "wrapup_deadline": time.time() + 165})
    desk.goto(site.url + "agent")
    left = desk.get_by_test_id("wrapup-left")
    expect(left).to_have_text(__import__("re").compile(r"^0:(4[0-5]|3\d)$"))
    screenshot(desk, "agent-wrapup-countdown", "#task")
    desk.get_by_role("button", name="Extend").click()
    expect(left).to_have_text(__import__("re").compile(r"^2:[34]\d$"))
    assert len(api.requests("POST", "api/tasks/TK1/wrapup/extend")) == 1


def test_wrap_up_notes_survive_a_reload_and_an_expired_wrap_up_keeps_them(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Follow-up needed")
    desk.get_by_label("Wrap-up notes").fill("Call back Friday about the pump")
    desk.reload()
    expect(desk.get_by_label("Wrap-up notes")).to_have_value("Call back Friday about the pump")
    expect(desk.get_by_label("Disposition")).to_have_value("Follow-up needed")
    api.reply("GET", "api/me/tasks", tasks())  # the deadline passed: the task completed
    kept = desk.get_by_test_id("kept-notes")
    expect(kept).to_contain_text("Wrap-up time ran out")
    expect(desk.get_by_label("Unsaved wrap-up notes")).to_have_value(
        "Call back Friday about the pump")
    screenshot(desk, "agent-kept-notes", "#task")
    api.handle("PATCH", "api/contacts/ct_1", lambda r: (200, {**CONTACT, **r.body}))
    kept.get_by_role("button", name="Add to the contact's notes").click()
    expect(kept).to_have_count(0)
    assert api.requests("PATCH", "api/contacts/ct_1")[0].body == {
        "notes": "Prefers mornings\nCall back Friday about the pump"}


def test_a_wrap_up_the_poll_sees_done_before_its_answer_is_not_called_expired(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})

    def slow_wrapup(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/tasks", tasks())
        time.sleep(2.5)  # the page polls (every 1.5 s) and sees the task gone first
        return 200, {"id": "TK1", "status": "completed"}

    api.handle("POST", "api/tasks/TK1/wrapup", slow_wrapup)
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Resolved")
    desk.get_by_label("Wrap-up notes").fill("All sorted")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.locator("#desk-status")).to_have_text(
        "Wrap-up saved. You're ready for the next call.")
    expect(desk.get_by_text("No active task")).to_be_visible()
    expect(desk.get_by_test_id("kept-notes")).to_have_count(0)


def test_a_wrap_up_refused_after_it_expired_keeps_the_notes(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    on_task(api, {**task("wrapping"), "wrapup_deadline": time.time() + 30})

    def expired(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/tasks", tasks())
        time.sleep(2.5)
        return 409, {"error": "conflict", "message": "the wrap-up has ended"}

    api.handle("POST", "api/tasks/TK1/wrapup", expired)
    desk.goto(site.url + "agent")
    desk.get_by_label("Disposition").select_option("Resolved")
    desk.get_by_label("Wrap-up notes").fill("Promised a refund")
    desk.get_by_role("button", name="Finish wrap-up").click()
    expect(desk.get_by_label("Unsaved wrap-up notes")).to_have_value("Promised a refund")

