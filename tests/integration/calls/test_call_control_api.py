"""Call control through HTTP: the conference on accept, hold, mute, keypad, hang-up,
wrap-up extension, with tenant isolation and the 409 reasons."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.integration.calls.conftest import Desk

MUSIC = "MARKOVICHAMP"


def connected(desk: Desk, call_sid: str = "CA" + "a" * 32) -> str:
    """Given alice available and a caller waiting: alice answers. Returns the task id."""
    desk.available("alice")
    desk.incoming_call(call_sid)
    task_id, twiml = desk.answer("alice")
    assert "<Conference" in twiml and task_id in twiml
    return task_id


def test_answering_puts_agent_and_caller_in_a_conference_named_for_the_task(desk: Desk) -> None:
    caller = "CA" + "1" * 32
    desk.available("alice")
    desk.incoming_call(caller)
    task_id, twiml = desk.answer("alice")
    assert f">{task_id}</Conference>" in twiml and 'endConferenceOnExit="false"' in twiml
    moved = desk.carrier.named("redirect_call")[-1]
    assert moved["call_sid"] == caller
    assert urlparse(moved["url"]).path.endswith("/twilio/voice/conference/customer")
    joined = desk.twilio("/twilio/voice/conference/customer",
                         {"t": desk.tenant.tenant_id, "task": task_id},
                         {"CallSid": caller, "CallStatus": "in-progress"})
    assert f">{task_id}</Conference>" in joined and 'endConferenceOnExit="true"' in joined
    _status, body = desk.get("/api/me/tasks", as_="alice")
    assert body["tasks"][0]["call"]["state"] == "connected"


def test_hold_plays_music_to_the_caller_and_resume_counts_the_hold(desk: Desk) -> None:
    task_id = connected(desk)
    status, view = desk.post(f"/api/tasks/{task_id}/hold", as_="alice")
    assert status == 200 and view["call"]["on_hold"] is True
    held = desk.carrier.named("update_participant")[-1]
    assert held["hold"] is True and MUSIC in held["hold_url"]
    status, again = desk.post(f"/api/tasks/{task_id}/hold", as_="alice")
    assert status == 409 and again["message"] == "the caller is already on hold"
    status, view = desk.post(f"/api/tasks/{task_id}/resume", as_="alice")
    assert status == 200 and view["call"]["on_hold"] is False
    assert view["call"]["hold_count"] == 1
    assert desk.carrier.named("update_participant")[-1]["hold"] is False


def test_mute_changes_the_agents_own_participant(desk: Desk) -> None:
    task_id = connected(desk)
    agent_leg = desk.carrier.named("place_call")[-1]["sid"]
    status, view = desk.post(f"/api/tasks/{task_id}/mute", as_="alice")
    assert status == 200 and view["call"]["muted"] is True
    assert desk.carrier.named("update_participant")[-1] == {
        "conference": desk.carrier.conference, "call_sid": agent_leg, "muted": True}
    status, body = desk.post(f"/api/tasks/{task_id}/mute", as_="alice")
    assert status == 409 and "already muted" in body["message"]
    status, view = desk.post(f"/api/tasks/{task_id}/unmute", as_="alice")
    assert status == 200 and view["call"]["muted"] is False


def test_keypad_digits_are_announced_to_the_far_side_as_tones(desk: Desk) -> None:
    caller = "CA" + "2" * 32
    task_id = connected(desk, caller)
    status, _ = desk.post(f"/api/tasks/{task_id}/dtmf", {"digits": "12#"}, as_="alice")
    assert status == 200
    announced = desk.carrier.named("update_participant")[-1]
    assert announced["call_sid"] == caller
    url = urlparse(announced["announce_url"])
    tones = desk.twilio(url.path.removeprefix("/api"), {k: v[0] for k, v in
                                                        parse_qs(url.query).items()}, {})
    assert '<Play digits="12#"' in tones
    status, body = desk.post(f"/api/tasks/{task_id}/dtmf", {"digits": "12a"}, as_="alice")
    assert status == 400 and body["path"] == "digits"


def test_hangup_ends_every_leg_and_starts_wrap_up_which_can_be_extended(desk: Desk) -> None:
    caller = "CA" + "3" * 32
    task_id = connected(desk, caller)
    status, view = desk.post(f"/api/tasks/{task_id}/hangup", as_="alice")
    assert status == 200 and view["status"] == "wrapping" and view["call"]["state"] == "ended"
    ended = {op["call_sid"] for op in desk.carrier.named("end_call")}
    assert caller in ended
    deadline = view["wrapup_deadline"]
    status, later = desk.post(f"/api/tasks/{task_id}/wrapup/extend", as_="alice")
    assert status == 200 and later["wrapup_deadline"] > deadline
    status, body = desk.post(f"/api/tasks/{task_id}/hold", as_="alice")
    assert status == 409 and "over" in body["message"]


def test_controls_before_the_agent_answers_are_refused_with_a_reason(desk: Desk) -> None:
    desk.available("alice")
    desk.incoming_call("CA" + "4" * 32)
    offer = desk.offer("alice")
    desk.post(f"/api/reservations/{offer['id']}/accept", as_="alice")
    status, body = desk.post(f"/api/tasks/{offer['task']['id']}/hold", as_="alice")
    assert status == 409 and "not connected yet" in body["message"]


def test_another_agent_or_another_business_cannot_touch_the_call(desk: Desk) -> None:
    task_id = connected(desk)
    for who in ("bob", "xavier"):
        status, body = desk.post(f"/api/tasks/{task_id}/hold", as_=who)
        assert status == 404, body
    status, _ = desk.post(f"/api/tasks/{task_id}/monitor", {"mode": "listen"}, as_="yves")
    assert status == 404


def test_an_agent_leg_that_ends_on_its_own_ends_the_caller_too(desk: Desk) -> None:
    caller = "CA" + "5" * 32
    desk.available("alice")
    desk.incoming_call(caller)
    offer = desk.offer("alice")
    task_id, _ = desk.answer("alice")
    agent_leg = desk.carrier.named("place_call")[-1]["sid"]
    desk.agent_leg_ended(task_id, offer["id"], agent_leg)
    assert caller in {op["call_sid"] for op in desk.carrier.named("end_call")}
    _status, body = desk.get("/api/me/tasks", as_="alice")
    assert body["tasks"][0]["status"] == "wrapping"
