"""The whole stack in the browser, in local mode (issue 9): one agent holding a voice call
and two SMS threads at once, and a voicemail played on the desktop and called back. The
customers text from the carrier simulator's control API (`POST /sim/messages`); the
agent's replies reach their phones and read delivered; a text on the thread in the
background marks it unread until the agent opens it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from sim.client import SimClient
from tests.browser import test_full_stack as journey
from tests.browser.conftest import screenshot
from tests.stack import RunningStack, new_caller

CALL_WAIT_MS = journey.CALL_WAIT_MS
go_available, log_in, nanp = journey.go_available, journey.log_in, journey.nanp

pytestmark = pytest.mark.browser


@pytest.fixture
def alex(browser: Browser, stack: RunningStack) -> Iterator[Page]:
    """The first demo agent's desktop; the second agent offline, so every offer is Alex's.
    Before and after, every task Alex still holds (another test's, say) is finished."""
    stack.agent(1).ok("PUT", "/api/me/activity", {"activity": "offline"})
    release(stack)
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    release(stack)
    assert errors == []


def release(stack: RunningStack) -> None:
    """Hang up the first agent's call, wrap up every task they hold, and go offline."""
    api = stack.agent(0)

    def calls() -> list[str]:
        return [t["id"] for t in api.ok("GET", "/api/me/tasks")["tasks"]
                if t["channel"] == "voice" and t["status"] == "assigned"]

    for task_id in calls():
        api.call("POST", f"/api/tasks/{task_id}/hangup")  # the wait below checks it ended
    SimClient(stack.sim_url, timeout=30.0).wait_for(lambda: not calls() or None,
                                                    what="the agent's call ended")
    for task in api.ok("GET", "/api/me/tasks")["tasks"]:
        api.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    api.ok("PUT", "/api/me/activity", {"activity": "offline"})


def accept_offer(page: Page, channel: str, customer: str) -> None:
    offer = page.locator(f'article.offer[data-channel="{channel}"]').filter(
        has_text=nanp(customer))
    expect(offer).to_be_visible(timeout=CALL_WAIT_MS)
    offer.get_by_role("button", name="Accept").click()


def entry_of(page: Page, customer: str) -> Locator:
    return page.locator("#task-list .task-entry").filter(has_text=nanp(customer))


def test_an_agent_holds_a_call_and_two_sms_threads_against_the_real_stack(
        alex: Page, stack: RunningStack) -> None:
    sim = SimClient(stack.sim_url, timeout=20.0)
    caller, ana, ben = new_caller(), new_caller(), new_caller()
    log_in(alex, stack, stack.demo.agent_emails[0], stack.demo.password_agent, "agent")
    go_available(alex)

    # Given Alex is on a call
    call_sid = sim.call(caller, stack.demo.number)
    sim.press(call_sid, "2")
    accept_offer(alex, "voice", caller)
    expect(alex.get_by_test_id("task-state")).to_have_text("Connected", timeout=CALL_WAIT_MS)

    # When two customers text, and Alex accepts both threads while the call goes on
    sim.sms(ana, stack.demo.number, "Hi, my delivery did not come")
    accept_offer(alex, "sms", ana)
    expect(alex.get_by_test_id("thread")).to_contain_text("my delivery did not come",
                                                          timeout=CALL_WAIT_MS)
    sim.sms(ben, stack.demo.number, "Do you deliver on Sundays?")
    accept_offer(alex, "sms", ben)
    expect(alex.get_by_test_id("thread")).to_contain_text("deliver on Sundays",
                                                          timeout=CALL_WAIT_MS)
    expect(alex.locator("#task-list .task-entry")).to_have_count(3, timeout=CALL_WAIT_MS)
    expect(alex.locator("#call-strip")).to_contain_text(nanp(caller))

    # Then a reply on Ben's thread reaches his phone and reads delivered
    alex.get_by_label("Reply by SMS").fill("Yes, Sundays 9 to 1.")
    alex.get_by_role("button", name="Send").click()
    sim.wait_for(lambda: [m for m in sim.messages(to=ben) if m["body"] == "Yes, Sundays 9 to 1."]
                 or None, what="the reply at Ben's phone")
    reply = alex.get_by_test_id("thread").locator("li.msg.outbound").last
    expect(reply.get_by_test_id("message-status")).to_have_text("Delivered",
                                                                timeout=CALL_WAIT_MS)

    # And Ana's next text, on the thread in the background, marks it unread until opened
    sim.sms(ana, stack.demo.number, "It was due this morning")
    expect(entry_of(alex, ana).get_by_test_id("unread")).to_have_text("1",
                                                                      timeout=CALL_WAIT_MS)
    screenshot(alex, "full-stack-multitask")
    entry_of(alex, ana).click()
    expect(alex.get_by_test_id("thread")).to_contain_text("It was due this morning")
    expect(entry_of(alex, ana).get_by_test_id("unread")).to_have_count(0)

    # And the call is one click away: back to it, and hang up
    alex.locator("#call-strip").get_by_role("button", name="Back to the call").click()
    expect(alex.get_by_role("button", name="Hold")).to_be_visible()
    alex.get_by_role("button", name="Hang up").click()
    expect(alex.get_by_test_id("task-state")).to_have_text("Wrap-up", timeout=CALL_WAIT_MS)
    expect(alex.locator("#task-list .task-entry")).to_have_count(3)


def leave_voicemail(stack: RunningStack, sim: SimClient, caller: str, words: str) -> str:
    """The caller presses 3 in the demo's IVR and leaves a message (as tests/e2e does)."""
    sid = sim.call(caller, stack.demo.number)
    sim.wait_listening(sid)
    sim.press(sid, "3")
    sim.wait_listening(sid, "record")
    sim.say(sid, words)
    sim.press(sid, "#")
    sim.wait_for_text(sid, "Thank you for your message")
    return sid


def test_a_voicemail_plays_on_the_desktop_and_is_called_back_against_the_real_stack(
        alex: Page, stack: RunningStack) -> None:
    sim = SimClient(stack.sim_url, timeout=40.0)
    caller = new_caller()
    log_in(alex, stack, stack.demo.agent_emails[0], stack.demo.password_agent, "agent")
    go_available(alex)

    # Given a caller left a voicemail from the IVR, and Alex accepts its offer
    leave_voicemail(stack, sim, caller, "Please call me back about my delivery")
    accept_offer(alex, "voicemail", caller)

    # Then the recording plays in the page, from the bytes the recording route served
    audio = alex.get_by_test_id("voicemail-audio")
    expect(audio).to_have_attribute("src", re.compile(r"^blob:"), timeout=CALL_WAIT_MS)
    alex.wait_for_function("() => document.querySelector('audio').readyState >= 1",
                           timeout=CALL_WAIT_MS)
    assert alex.evaluate("document.querySelector('audio').error") is None
    assert alex.evaluate("document.querySelector('audio').duration") > 0.5
    expect(alex.get_by_test_id("voicemail-transcript")).to_contain_text(
        "Please call me back about my delivery", timeout=CALL_WAIT_MS)
    screenshot(alex, "full-stack-voicemail")

    # When Alex calls back with one click, the customer's phone rings and answers
    alex.get_by_role("button", name=f"Call back {nanp(caller)}").click()
    expect(alex.locator("#phone-state")).to_have_text("Phone: in a call", timeout=CALL_WAIT_MS)
    far = sim.wait_for_leg(to=caller, status="ringing")
    sim.answer(far["call_sid"])
    expect(alex.get_by_test_id("task-state")).to_have_text("Connected", timeout=CALL_WAIT_MS)
    expect(alex.locator("#task-list .task-entry")).to_have_count(2)

    # And after the call, both the call and the voicemail are wrapped up from the desktop
    alex.get_by_role("button", name="Hang up").click()
    expect(alex.get_by_test_id("task-state")).to_have_text("Wrap-up", timeout=CALL_WAIT_MS)
    alex.get_by_label("Disposition").select_option("Resolved")
    alex.get_by_role("button", name="Finish wrap-up").click()
    expect(alex.locator("#task-list .task-entry")).to_have_count(1, timeout=CALL_WAIT_MS)
    alex.get_by_label("Disposition").select_option("Resolved")
    alex.get_by_label("Wrap-up notes").fill("Called back about the delivery")
    alex.get_by_role("button", name="Finish voicemail").click()
    expect(alex.get_by_text("No active task")).to_be_visible(timeout=CALL_WAIT_MS)
