"""The queue's carrier callbacks: what the waiting caller hears and can do, the agent's
leg, part-timers on their mobile, callbacks and voicemail."""

from __future__ import annotations

from chalicelib.domain.routing.model import ReservationStatus, TaskKind, TaskStatus
from tests.integration.routing.conftest import Routing


def wait(routing: Routing, task_id: str) -> str:
    return routing.calls.wait(routing.hook({"CallSid": "CA", "QueuePosition": "1"},
                                           task=task_id))


def press(routing: Routing, task_id: str, digits: str) -> str:
    return routing.calls.choice(routing.hook({"CallSid": "CA", "Digits": digits},
                                             task=task_id, t=routing.tenant_id))


def result(routing: Routing, call_sid: str, task_id: str, outcome: str) -> str:
    return routing.calls.result(routing.hook({"CallSid": call_sid, "QueueResult": outcome,
                                              "To": "+15559990000"}, task=task_id, w="q"))


def test_the_waiting_caller_hears_position_expected_wait_hold_music_and_the_menu(
        routing: Routing) -> None:
    routing.queue("support", hold_music_url="https://music.example.com/hold.mp3")
    routing.agent("alex", available=False)
    routing.desk.set_activity(routing.tenant_id, "alex", "available")
    routing.call("CA200")  # offered to alex, who is now busy with it
    routing.clock.advance(1)
    second = routing.call("CA201")
    routing.clock.advance(1)
    third = routing.call("CA202")

    twiml = wait(routing, third.task_id)

    assert "You are number 2 in line." in twiml
    assert "Your expected wait is about 8 minutes." in twiml  # 2 x 240 s default / 1 agent
    assert "<Play>https://music.example.com/hold.mp3</Play>" in twiml
    assert 'numDigits="1"' in twiml and "/twilio/voice/queue/choice" in twiml
    assert "Press 1 to be called back" in twiml
    assert "You are next in line." in wait(routing, second.task_id)


def test_a_queues_wait_message_is_said_first_and_its_position_announcement_can_be_off(
        routing: Routing) -> None:
    # given a queue whose owner wrote a wait message and turned position announcements off
    routing.queue("support", wait_message="  Thanks for   holding. ", announce_position=False)
    task = routing.call("CA205")
    # when the waiting caller's wait loop turns
    twiml = wait(routing, task.task_id)
    # then they hear the message, then the menu, and no position or expected wait
    assert twiml.index("Thanks for holding.") < twiml.index("Press 1 to be called back")
    assert "You are" not in twiml and "expected wait" not in twiml


def test_past_the_queues_maximum_wait_the_caller_leaves_for_voicemail(routing: Routing) -> None:
    routing.queue("support", max_wait_seconds=60)
    task = routing.call("CA210")

    routing.clock.advance(60)
    twiml = wait(routing, task.task_id)

    assert "<Leave />" in twiml and "leave a message" in twiml
    left = routing.task(task.task_id)
    assert left.status is TaskStatus.CANCELED and left.leave_reason == "voicemail"
    recording = result(routing, "CA210", task.task_id, "leave")
    assert "<Record" in recording and "/twilio/voice/queue/voicemail" in recording


def test_voicemail_from_the_queue_becomes_a_task_for_an_agent(routing: Routing) -> None:
    routing.queue("support")
    routing.call("CA220")
    routing.clock.advance(1)
    task = routing.call("CA221")
    routing.clock.advance(30)

    assert "<Leave />" in press(routing, task.task_id, "2")
    routing.calls.voicemail(routing.hook(
        {"CallSid": "CA221", "RecordingUrl": "https://rec.example.com/RE1",
         "RecordingDuration": "12"}, task=task.task_id, t=routing.tenant_id))

    page = routing.store.pending_page(routing.tenant_id, "support", 10)
    voicemail = next(t for t in page if t.kind is TaskKind.VOICEMAIL)
    assert voicemail.channel == "voicemail"
    assert voicemail.attributes["recording_url"] == "https://rec.example.com/RE1"
    assert voicemail.enqueued_at == task.enqueued_at  # it keeps the caller's place
    assert ("outcome", (routing.tenant_id, "CA221", "voicemail"),
            {"recording_url": "https://rec.example.com/RE1"}) in routing.crm.events

    routing.agent("alex")
    offers = routing.desk.offers(routing.tenant_id, "alex")
    kinds = {o.task.kind for o in offers}
    assert TaskKind.VOICEMAIL in kinds  # voicemail capacity is separate from voice


def test_a_callback_request_keeps_the_callers_place(routing: Routing) -> None:
    routing.queue("support")
    first = routing.call("CA230")
    routing.clock.advance(1)
    task = routing.call("CA231")
    routing.clock.advance(1)
    third = routing.call("CA232")

    twiml = press(routing, task.task_id, "1")

    assert "keep your place" in twiml and "<Leave />" in twiml
    assert "Goodbye" in result(routing, "CA231", task.task_id, "leave")
    routing.service.on_call_ended(routing.tenant_id, "CA231", "completed")
    page = routing.store.pending_page(routing.tenant_id, "support", 10)
    assert [t.task_id for t in page] == [first.task_id, task.task_id, third.task_id]
    assert page[1].kind is TaskKind.CALLBACK and page[1].status is TaskStatus.PENDING
    assert routing.crm.named("outcome") == [(routing.tenant_id, "CA231", "callback-requested")]


def test_a_callback_rings_the_agent_first_then_the_customer_into_a_conference(
        routing: Routing) -> None:
    routing.queue("support")
    task = routing.call("CA240", caller="+15557770000")
    press(routing, task.task_id, "1")
    routing.agent("alex")

    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    (agent_leg,) = routing.telephony.to("client:alex")
    rid = routing.task(task.task_id).reservations[0].reservation_id
    agent_twiml = routing.calls.agent_connect(routing.hook({"CallSid": agent_leg.sid},
                                                           r=rid, t=routing.tenant_id))

    assert "<Conference" in agent_twiml and task.task_id in agent_twiml
    (customer_leg,) = routing.telephony.to("+15557770000")
    assert "/twilio/voice/callback/customer" in customer_leg.url
    customer_twiml = routing.calls.callback_customer(routing.hook(
        {"CallSid": customer_leg.sid}, task=task.task_id, t=routing.tenant_id))
    assert "Aqua Pure returning your call" in customer_twiml and task.task_id in customer_twiml
    assert (routing.tenant_id, customer_leg.sid, "alex") in routing.crm.named("answered")

    routing.calls.callback_status(routing.hook({"CallSid": customer_leg.sid,
                                                "CallStatus": "completed",
                                                "CallDuration": "60"},
                                               task=task.task_id, t=routing.tenant_id))
    assert routing.task(task.task_id).status is TaskStatus.WRAPPING


def test_an_unanswered_callback_returns_to_the_queue_for_a_later_try(routing: Routing) -> None:
    routing.queue("support")
    task = routing.call("CA250", caller="+15557770001")
    press(routing, task.task_id, "1")
    routing.agent("alex")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    rid = routing.task(task.task_id).reservations[0].reservation_id
    routing.calls.agent_connect(routing.hook({"CallSid": "CAagent"}, r=rid,
                                             t=routing.tenant_id))
    (customer_leg,) = routing.telephony.to("+15557770001")

    routing.calls.callback_status(routing.hook({"CallSid": customer_leg.sid,
                                                "CallStatus": "no-answer"},
                                               task=task.task_id, t=routing.tenant_id))

    back = routing.task(task.task_id)
    assert back.status is TaskStatus.PENDING and back.attempts == 1
    assert back.not_before is not None and back.not_before > routing.clock()
    assert routing.desk.offers(routing.tenant_id, "alex") == []  # not before the retry time
    routing.clock.advance(301)
    routing.sweep.run()
    assert routing.task(task.task_id).status is TaskStatus.RESERVED


def test_a_caller_who_hangs_up_while_waiting_is_recorded_as_abandoned(
        routing: Routing) -> None:
    routing.queue("support")
    task = routing.call("CA260")

    assert "<Hangup />" in result(routing, "CA260", task.task_id, "hangup")

    assert routing.task(task.task_id).outcome == "abandoned"
    assert routing.crm.named("outcome") == [(routing.tenant_id, "CA260", "abandoned")]


def test_a_bridged_call_hands_back_to_the_flow_and_starts_wrap_up(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    task = routing.call("CA270")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))

    twiml = result(routing, "CA270", task.task_id, "bridged")

    assert twiml == "<Response><Say>resumed q</Say></Response>"
    assert routing.flows.resumed[0][:3] == (routing.tenant_id, "CA270", "q")
    assert routing.task(task.task_id).status is TaskStatus.WRAPPING


def test_a_desktop_that_never_answers_puts_the_caller_back_in_line(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    task = routing.call("CA280")
    rid = routing.offer_of("alex")
    routing.desk.accept(routing.tenant_id, "alex", rid)

    routing.calls.agent_status(routing.hook({"CallSid": "CAx", "CallStatus": "no-answer"},
                                            r=rid, t=routing.tenant_id))

    back = routing.task(task.task_id)
    assert back.status is TaskStatus.PENDING and back.assigned_agent is None
    assert routing.desk.me(routing.tenant_id, "alex").holds == {}


def test_a_part_timer_is_rung_on_their_mobile_with_a_whisper_only_in_overflow(
        routing: Routing) -> None:
    routing.queue("support", overflow_after_seconds=60, overflow_queue_length=None)
    routing.agent("pat", tier="part-time", mobile="+15553334444", take_on_mobile=True)
    task = routing.call("CA290")
    assert routing.telephony.to("+15553334444") == []

    routing.clock.advance(60)
    routing.sweep.run()

    (ring,) = routing.telephony.to("+15553334444")
    offer = routing.task(task.task_id).reservations[0]
    assert offer.via == "mobile" and offer.call_sid == ring.sid
    whisper = routing.calls.whisper(routing.hook({"CallSid": ring.sid}, r=offer.reservation_id,
                                                 t=routing.tenant_id))
    assert "Hotline call for Aqua Pure. Press 1 to accept." in whisper
    assert 'numDigits="1"' in whisper and whisper.rstrip().endswith(
        "<Hangup /></Response>")

    bridged = routing.calls.whisper_answer(routing.hook({"CallSid": ring.sid, "Digits": "1"},
                                                        r=offer.reservation_id,
                                                        t=routing.tenant_id))
    assert f"<Queue>{task.task_id}</Queue>" in bridged
    served = routing.task(task.task_id)
    assert served.status is TaskStatus.ASSIGNED and served.assigned_agent == "pat"
    assert served.connected_at is not None


def test_a_part_timer_who_does_not_press_1_lets_the_offer_go(routing: Routing) -> None:
    routing.queue("support", overflow_after_seconds=None, overflow_queue_length=0)
    routing.agent("pat", tier="part-time", mobile="+15553335555", take_on_mobile=True)
    task = routing.call("CA295")
    (ring,) = routing.telephony.to("+15553335555")
    rid = routing.task(task.task_id).reservations[0].reservation_id

    routing.calls.agent_status(routing.hook({"CallSid": ring.sid, "CallStatus": "completed"},
                                            r=rid, t=routing.tenant_id))

    back = routing.task(task.task_id)
    assert back.status is TaskStatus.PENDING
    assert back.reservations[0].status is ReservationStatus.TIMEOUT
