"""The agent desktop holding several tasks at once (issue 9) against the fake API: a call
and two SMS threads side by side in the task list, unread badges, replies with their
delivery statuses, refusals, attachments, a voicemail played from the recording route and
called back, and each task's own wrap-up with the tenant's dispositions."""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Raw, Received, tiny_wav
from tests.browser.fake_conversations import FakeConversations
from tests.browser.users import user

pytestmark = pytest.mark.browser

AGENT = "u_agent"
CALLER = "+14155550123"
ANA = "+14155550124"
BEN = "+14155550125"
BLOB = re.compile(r"^blob:http://127\.0\.0\.1:\d+/")
SOON = 10_000  # ms: a background thread is re-read within ~9 s, sooner when its count moves


def voice(**extra: Any) -> dict[str, Any]:
    return {"id": "TK1", "status": "assigned", "channel": "voice", "queue": "support",
            "caller": CALLER, "assigned_at": time.time() - 65,
            "call": {"state": "connected", "conference": "TK1", "on_hold": False,
                     "muted": False, "transfer": None, "monitored": None}, **extra}


def sms(task_id: str, caller: str, count: int = 1, **extra: Any) -> dict[str, Any]:
    return {"id": task_id, "status": "assigned", "channel": "sms", "queue": "support",
            "caller": caller, "assigned_at": time.time() - 30, "conversation_id": f"CV_{task_id}",
            "message_count": count, "last_message_at": time.time() - 30 + count, **extra}


def voicemail(**extra: Any) -> dict[str, Any]:
    return {"id": "TK4", "status": "assigned", "channel": "voicemail", "queue": "support",
            "caller": CALLER, "assigned_at": time.time() - 10,
            "recording_url": "/api/tasks/TK4/recording", "recording_duration": 1,
            "transcript": "Hi, this is Dana, please call me back about my order.", **extra}


def held(api: FakeApi, *views: dict[str, Any]) -> None:
    api.reply("GET", "api/me/tasks", {"tasks": list(views)})


def png() -> bytes:
    """A 2x2 red PNG (an MMS picture)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    yield found
    assert found == []


@pytest.fixture
def talk(api: FakeApi) -> FakeConversations:
    return FakeConversations(api)


@pytest.fixture
def desk(page: Page, site: FakeSite, api: FakeApi, talk: FakeConversations,
         errors: list[str]) -> Page:
    sign_in(page, user("agent"))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/routing", {"id": AGENT, "activity": "available"})
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/tenant", {"name": "Acme Water",
                                    "dispositions": ["Resolved", "Refund issued", "Escalated"]})
    api.reply("GET", "api/contacts", {"contacts": []})
    api.reply("POST", "api/voice/token", {"identity": AGENT, "mode": "sim",
                                          "sim_url": site.sim_url, "account_sid": "AC_test"})
    api.handle("PUT", "api/me/activity", lambda r: (200, {"id": AGENT, **r.body}))
    api.reply("GET", "api/media/jug.png", Raw("image/png", png()))
    talk.thread("TK2", "sms", {"contact_id": "ct_ana", "phone": ANA, "name": "Ana Lopez"}, [
        talk.message("inbound", "Hi, my water delivery didn't come today.", at=time.time() - 300),
        talk.message("inbound", "", at=time.time() - 290, media=[
            {"url": "api/media/jug.png", "content_type": "image/png"},
            {"url": "api/media/receipt.pdf", "content_type": "application/pdf"},
            {"url": "api/media/gone.jpg", "content_type": "image/jpeg"}]),
    ], earlier=[{"conversation_id": "CV_old", "channel": "sms", "started_at": 1700000000,
                 "messages": [talk.message("inbound", "Can I change my address?", at=1700000000),
                              talk.message("outbound", "Done!", status="delivered",
                                           at=1700000100)]}])
    talk.thread("TK3", "sms", {"contact_id": "ct_ben", "phone": BEN, "name": None},
                [talk.message("inbound", "Do you deliver on Sundays?", at=time.time() - 200)])
    held(api, voice(), sms("TK2", ANA, 2), sms("TK3", BEN, 1))
    return page


def entry(desk: Page, task_id: str) -> Any:
    return desk.locator(f'#task-list [data-task="{task_id}"]')


def test_an_agent_holds_a_call_and_two_sms_threads_and_switches_between_them(
        desk: Page, site: FakeSite, api: FakeApi, talk: FakeConversations) -> None:
    desk.goto(site.url + "agent")
    expect(desk.locator("#task-list .task-entry")).to_have_count(3)
    expect(entry(desk, "TK1")).to_have_attribute("aria-current", "true")
    expect(entry(desk, "TK1")).to_contain_text("On the call")
    expect(entry(desk, "TK2")).to_contain_text("Ana Lopez")  # the contact's name, once read
    expect(entry(desk, "TK3")).to_contain_text("+1 (415) 555-0125")  # a number without one
    expect(desk.get_by_role("button", name="Hold")).to_be_visible()

    entry(desk, "TK2").click()
    thread = desk.get_by_test_id("thread")
    expect(thread).to_contain_text("my water delivery didn't come today")
    expect(desk.get_by_test_id("task-caller")).to_have_text("Ana Lopez · +1 (415) 555-0124")
    expect(desk.locator("#call-strip")).to_contain_text("On the call · +1 (415) 555-0123")
    expect(desk.get_by_test_id("earlier-threads")).to_contain_text("Earlier SMS")
    expect(desk.get_by_test_id("earlier-threads").locator("ol.thread")).to_be_hidden()

    talk.inbound("TK3", "Also, can I add a second jug?")
    held(api, voice(), sms("TK2", ANA, 2), sms("TK3", BEN, 2))
    expect(entry(desk, "TK3").get_by_test_id("unread")).to_have_text("1", timeout=SOON)
    expect(entry(desk, "TK2").get_by_test_id("unread")).to_have_count(0)
    screenshot(desk, "agent-multitask")

    entry(desk, "TK3").click()
    expect(desk.get_by_test_id("thread")).to_contain_text("can I add a second jug?")
    expect(entry(desk, "TK3").get_by_test_id("unread")).to_have_count(0)

    desk.locator("#call-strip").get_by_role("button", name="Back to the call").click()
    expect(desk.get_by_role("button", name="Hold")).to_be_visible()
    expect(desk.locator("#call-strip")).to_be_hidden()


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not re-read the thread"
        time.sleep(0.1)


def test_inbound_attachments_show_pictures_as_thumbnails_and_files_as_links(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    entry(desk, "TK2").click()
    picture = desk.locator("ol.thread img.thumb")
    expect(picture).to_have_count(1)
    desk.wait_for_function("() => document.querySelector('img.thumb').naturalWidth === 2")
    receipt = desk.get_by_role("link", name="Attachment: receipt.pdf (application/pdf)")
    expect(receipt).to_be_visible()
    # a picture the page cannot load (here a 404) is offered as a link instead
    expect(desk.get_by_role("link", name="Attachment: gone.jpg (image/jpeg)")).to_be_visible()
    earlier = desk.get_by_test_id("earlier-threads")
    earlier.get_by_text("Earlier SMS").click()
    expect(earlier).to_contain_text("Can I change my address?")
    screenshot(desk, "agent-sms-thread", "#task")
    # the open earlier thread stays open while the thread is re-read
    reads = len(api.requests("GET", "api/tasks/TK2/messages"))
    wait_until(lambda: len(api.requests("GET", "api/tasks/TK2/messages")) >= reads + 2)
    expect(earlier.locator("details")).to_have_attribute("open", "")


def test_a_reply_is_sent_and_each_delivery_status_shows(
        desk: Page, site: FakeSite, api: FakeApi, talk: FakeConversations) -> None:
    desk.goto(site.url + "agent")
    entry(desk, "TK2").click()
    box = desk.get_by_label("Reply by SMS")
    box.fill("Sorry about that! A driver is on the way.")
    expect(desk.get_by_test_id("reply-count")).to_have_text("41 / 1,600")
    desk.get_by_role("button", name="Send").click()
    sent = desk.get_by_test_id("thread").locator("li.msg.outbound").last
    expect(sent).to_contain_text("A driver is on the way.")
    expect(sent.get_by_test_id("message-status")).to_have_text("Queued")
    expect(box).to_have_value("")
    assert [r.body for r in api.requests("POST", "api/tasks/TK2/messages")] == [
        {"body": "Sorry about that! A driver is on the way."}]

    first = api.requests("POST", "api/tasks/TK2/messages")[0]
    assert first.headers["authorization"] == "Bearer test-token"
    mine = next(m for m in talk.threads["TK2"].messages if m["direction"] == "outbound")
    talk.set_status("TK2", mine["message_id"], "delivered")
    expect(sent.get_by_test_id("message-status")).to_have_text("Delivered", timeout=SOON)

    box.fill("Here is your tracking link.")
    box.press("Enter")
    expect(desk.get_by_test_id("thread").locator("li.msg.outbound")).to_have_count(2)
    second = [m for m in talk.threads["TK2"].messages if m["direction"] == "outbound"][1]
    talk.set_status("TK2", second["message_id"], "failed",
                    {"code": 30006, "message": "Landline or unreachable carrier"})
    last = desk.get_by_test_id("thread").locator("li.msg.outbound").last
    expect(last.get_by_test_id("message-status")).to_have_text(
        "Failed: 30006 Landline or unreachable carrier", timeout=SOON)
    screenshot(desk, "agent-sms-statuses", "#task")


def test_a_reply_to_a_customer_who_opted_out_is_refused_and_kept(
        desk: Page, site: FakeSite, api: FakeApi, talk: FakeConversations) -> None:
    talk.refuse("TK2", 409, {"error": "opted_out",
                             "message": "the customer opted out of messages (STOP)"})
    desk.goto(site.url + "agent")
    entry(desk, "TK2").click()
    box = desk.get_by_label("Reply by SMS")
    box.fill("Are you still there?")
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_test_id("reply-error")).to_have_text(
        "Not sent: this customer opted out (texted STOP). "
        "They must text START before you can reply.")
    expect(box).to_have_value("Are you still there?")
    expect(desk.get_by_test_id("thread").locator("li.msg.outbound")).to_have_count(0)
    screenshot(desk, "agent-sms-opted-out", "#task")


def test_a_reply_longer_than_one_message_is_refused_before_sending(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    desk.goto(site.url + "agent")
    entry(desk, "TK2").click()
    desk.get_by_label("Reply by SMS").fill("x" * 1601)
    expect(desk.get_by_test_id("reply-count")).to_have_text("1,601 / 1,600")
    expect(desk.get_by_test_id("reply-count")).to_have_class("small muted over")
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_test_id("reply-error")).to_contain_text(
        "Too long: 1,601 characters; one message holds at most 1,600. Nothing was sent.")
    assert api.requests("POST", "api/tasks/TK2/messages") == []


def test_each_task_keeps_its_own_wrap_up_with_the_tenants_dispositions(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    def close(request: Received) -> tuple[int, Any]:
        held(api, voice(), sms("TK3", BEN, 1))
        return 200, {"id": "TK2", "status": "completed"}

    api.handle("POST", "api/tasks/TK2/wrapup", close)
    desk.goto(site.url + "agent")
    entry(desk, "TK2").click()
    desk.get_by_text("Wrap up and close").click()
    options = desk.get_by_label("Disposition").locator("option")
    expect(options).to_have_text(["Choose an outcome…", "Resolved", "Refund issued", "Escalated"])
    desk.get_by_label("Disposition").select_option("Refund issued")
    desk.get_by_label("Wrap-up notes").fill("Refunded today's delivery")
    entry(desk, "TK3").click()
    desk.get_by_text("Wrap up and close").click()
    expect(desk.get_by_label("Wrap-up notes")).to_have_value("")
    desk.get_by_label("Wrap-up notes").fill("Asked about Sundays")
    entry(desk, "TK2").click()
    expect(desk.get_by_label("Wrap-up notes")).to_have_value("Refunded today's delivery")
    expect(desk.get_by_label("Disposition")).to_have_value("Refund issued")
    desk.get_by_role("button", name="Close conversation").click()
    expect(desk.locator("#task-list .task-entry")).to_have_count(2)
    assert api.requests("POST", "api/tasks/TK2/wrapup")[0].body == {
        "disposition": "Refund issued", "notes": "Refunded today's delivery"}
    expect(entry(desk, "TK1")).to_have_attribute("aria-current", "true")
    entry(desk, "TK3").click()
    desk.get_by_text("Wrap up and close").click()
    expect(desk.get_by_label("Wrap-up notes")).to_have_value("Asked about Sundays")


def test_sms_and_voicemail_offers_show_their_channel_and_an_accepted_one_opens(
        desk: Page, site: FakeSite, api: FakeApi, talk: FakeConversations) -> None:
    held(api, voice())
    api.reply("GET", "api/me/reservations", {"reservations": [
        {"id": "WR2", "status": "pending", "expires_in": 30.0,
         "task": {"id": "TK2", "channel": "sms", "queue": "support", "caller": ANA,
                  "enqueued_at": time.time() - 5}},
        {"id": "WR4", "status": "pending", "expires_in": 30.0,
         "task": {"id": "TK4", "channel": "voicemail", "queue": "support", "caller": CALLER,
                  "enqueued_at": time.time() - 40}}]})

    def accept(_request: Received) -> tuple[int, Any]:
        api.reply("GET", "api/me/reservations", {"reservations": []})
        held(api, voice(), sms("TK2", ANA, 2))
        return 200, {"id": "WR2", "status": "accepted"}

    api.handle("POST", "api/reservations/WR2/accept", accept)
    desk.goto(site.url + "agent")
    expect(desk.locator('article.offer[data-channel="sms"]')).to_contain_text("Incoming SMS")
    expect(desk.locator('article.offer[data-channel="voicemail"]')).to_contain_text(
        "Incoming voicemail")
    screenshot(desk, "agent-channel-offers")
    desk.locator('article.offer[data-channel="sms"]').get_by_role("button", name="Accept").click()
    expect(entry(desk, "TK2")).to_have_attribute("aria-current", "true")
    expect(desk.get_by_test_id("thread")).to_contain_text("didn't come today")
    assert site.sim.verbs().count("accept") == 0  # no phone leg for a message


def test_a_voicemail_plays_from_the_recording_route_and_is_called_back(
        desk: Page, site: FakeSite, api: FakeApi) -> None:
    held(api, voicemail())
    api.reply("GET", "api/tasks/TK4/recording", Raw("audio/wav", tiny_wav()))

    def place(request: Received) -> tuple[int, Any]:
        site.sim.ring(AGENT, "CA_back", "+15005550006")
        held(api, voicemail(), voice(id="TK5", direction="outbound", queue="",
                                     caller=request.body["to"],
                                     call={"state": "ringing", "conference": "TK5"}))
        return 200, {"task": {"id": "TK5"}}

    api.handle("POST", "api/calls", place)
    desk.goto(site.url + "agent")
    expect(desk.locator("#phone-state")).to_have_text("Phone ready")
    audio = desk.get_by_test_id("voicemail-audio")
    expect(audio).to_have_attribute("src", BLOB)
    desk.wait_for_function(
        "() => { const a = document.querySelector('audio'); return a.readyState >= 1; }")
    assert desk.evaluate("document.querySelector('audio').error") is None
    assert desk.evaluate("document.querySelector('audio').duration") > 0.3
    desk.get_by_test_id("voicemail-audio").click()  # a user gesture, then play it
    played = desk.evaluate("document.querySelector('audio').play().then(() => 'playing')")
    assert played == "playing"
    desk.wait_for_function("() => document.querySelector('audio').currentTime > 0")
    assert api.requests("GET", "api/tasks/TK4/recording")[0].headers["authorization"] == (
        "Bearer test-token")
    expect(desk.get_by_test_id("voicemail-transcript")).to_contain_text("please call me back")
    screenshot(desk, "agent-voicemail")

    desk.get_by_role("button", name="Call back +1 (415) 555-0123").click()
    expect(desk.locator("#phone-state")).to_have_text("Phone: in a call")
    assert api.requests("POST", "api/calls")[0].body == {"to": CALLER}
    expect(entry(desk, "TK5")).to_have_attribute("aria-current", "true")
    expect(desk.locator("#task-list .task-entry")).to_have_count(2)



def test_a_web_chat_shows_the_visitors_name_and_email_and_is_answered(
        desk: Page, site: FakeSite, api: FakeApi, talk: FakeConversations) -> None:
    talk.thread("TK6", "chat", {"contact_id": "ct_jo", "name": "Jo Visitor",
                                "email": "jo@example.com"},
                [talk.message("inbound", "Is the 5-gallon jug BPA free?",
                              author={"kind": "customer", "name": "Jo Visitor"})])
    held(api, {"id": "TK6", "status": "assigned", "channel": "chat", "queue": "support",
               "caller": None, "assigned_at": time.time() - 15, "message_count": 1,
               "last_message_at": time.time() - 15})
    desk.goto(site.url + "agent")
    expect(entry(desk, "TK6")).to_contain_text("Jo Visitor")
    expect(desk.get_by_test_id("task-caller")).to_have_text("Jo Visitor")
    expect(desk.locator("#customer")).to_contain_text("jo@example.com")
    desk.get_by_label("Reply by chat").fill("Yes, it is.")
    desk.get_by_role("button", name="Send").click()
    expect(desk.get_by_test_id("thread").locator("li.msg.outbound")).to_contain_text(
        "Yes, it is.")
    screenshot(desk, "agent-chat")
