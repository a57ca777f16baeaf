"""PROOF: every route under /twilio/ has exactly one effect per event.

For each route (taken from the app's own route table, so a new /twilio/ route without a
case here fails ``test_every_twilio_route_has_a_case``), a business is arranged, then
one signed event is delivered:
- twice in a row: the second answer is the first's, byte for byte, and nothing in the
  tenant's tables, the outbox, the REST log or the SMS log changed;
- five times at once (threads), to a second business arranged the same way: all five
  answers are equal, and the effects have the same shape as one delivery's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from tests.integration.webhooks.conftest import Business, path_of, query_of, shape


def _sid(prefix: str = "CA") -> str:
    return prefix + uuid.uuid4().hex


@dataclass
class Delivery:
    path: str
    params: dict[str, str]
    has_effect: bool = True  # the first delivery must change something


def _gather_action(twiml: str, biz: Business) -> str:
    found = re.search(r'<Gather[^>]*action="([^"]+)"', twiml)
    assert found, twiml
    return path_of(found.group(1), biz.settings)


def _started_call(biz: Business) -> tuple[str, str]:
    call = _sid()
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    return call, _gather_action(twiml, biz)


def _queued_call(biz: Business) -> tuple[str, str]:
    """A caller who pressed 2 and waits in 'support' (no agent online)."""
    call, menu = _started_call(biz)
    biz.answer(menu, biz.call_params(call, Digits="2"))
    from chalicelib.domain.routing.model import task_id_for

    return call, task_id_for(biz.tenant_id, call)


def _accepted(biz: Business) -> tuple[str, str, str]:
    """A waiting call accepted by a desktop agent: (call, task, reservation)."""
    agent = biz.agent("dana")
    call, task_id = _queued_call(biz)
    reservation = biz.offer_of(agent)
    from chalicelib.wiring import get_agent_desk

    get_agent_desk().accept(biz.tenant_id, agent, reservation)
    return call, task_id, reservation


def _mobile_offer(biz: Business) -> tuple[str, str, str]:
    """A waiting call offered to a part-timer's mobile (the queue overflows at once)."""
    biz.agent("pat", tier="part-time", mobile="+14155550777", take_on_mobile=True)
    call, task_id = _queued_call(biz)
    task = biz.task(task_id)
    reservation = task.pending_reservations()[0]
    return call, task_id, reservation.reservation_id


def incoming_call(biz: Business) -> Delivery:
    return Delivery("/twilio/voice", biz.call_params(_sid(), CallStatus="ringing"))


def flow_step(biz: Business) -> Delivery:
    """The menu answer that queues the caller and rings a part-timer's mobile."""
    biz.agent("pat", tier="part-time", mobile="+14155550777", take_on_mobile=True)
    call, menu = _started_call(biz)
    return Delivery(menu, biz.call_params(call, Digits="2"))


def call_status(biz: Business) -> Delivery:
    call, _ = _queued_call(biz)
    return Delivery("/twilio/voice/status",
                    biz.call_params(call, CallStatus="completed", CallDuration="42"))


def incoming_sms(biz: Business) -> Delivery:
    return Delivery("/twilio/sms", {
        "MessageSid": _sid("SM"), "AccountSid": biz.tenant.twilio_account_sid,
        "From": biz.caller, "To": biz.number, "Body": "Do you deliver on Sundays?",
        "SmsStatus": "received", "NumMedia": "0", "ApiVersion": "2010-04-01"})


def queue_wait(biz: Business) -> Delivery:
    call, task_id = _queued_call(biz)
    return Delivery(f"/twilio/voice/queue/wait?task={task_id}",
                    biz.call_params(call, QueuePosition="1", QueueTime="3"), has_effect=False)


def queue_choice(biz: Business) -> Delivery:
    call, task_id = _queued_call(biz)
    return Delivery(f"/twilio/voice/queue/choice?t={biz.tenant_id}&task={task_id}",
                    biz.call_params(call, Digits="1"))


def queue_result(biz: Business) -> Delivery:
    call, task_id = _queued_call(biz)
    return Delivery(f"/twilio/voice/queue/result?task={task_id}&w=queue_support",
                    biz.call_params(call, QueueResult="hangup", CallStatus="completed"))


def queue_voicemail(biz: Business) -> Delivery:
    call, task_id = _queued_call(biz)
    return Delivery(f"/twilio/voice/queue/voicemail?t={biz.tenant_id}&task={task_id}",
                    biz.call_params(call, RecordingUrl="https://api.twilio.com/rec/RE1",
                                    RecordingDuration="7", RecordingSid=_sid("RE")))


def voicemail_transcription(biz: Business) -> Delivery:
    """Twilio's transcript of a voicemail left from the queue (CHANNELS)."""
    call, task_id = _queued_call(biz)
    biz.answer(f"/twilio/voice/queue/voicemail?t={biz.tenant_id}&task={task_id}",
               biz.call_params(call, RecordingUrl="https://api.twilio.com/rec/RE1",
                               RecordingDuration="7", RecordingSid=_sid("RE")))
    return Delivery(f"/twilio/voice/transcription?t={biz.tenant_id}", biz.call_params(
        call, TranscriptionSid=_sid("TR"), TranscriptionText="Please call me back",
        TranscriptionStatus="completed", RecordingSid=_sid("RE")))


def message_status(biz: Business) -> Delivery:
    """A reply's delivery status (CHANNELS). Messages are keyed by thread, not tenant, so
    the snapshot cannot see the change; tests/integration/conversations prove it."""
    import time

    from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
    from chalicelib.domain.conversations import Message, Thread

    store = ConversationRepository(biz.settings)
    thread = store.create_thread(Thread(
        tenant_id=biz.tenant_id, thread_id=_sid("TK"), channel="sms", contact_id="ct_1",
        started_at=time.time(), contact_address=biz.caller, business_address=biz.number))
    store.add_message(Message(
        tenant_id=biz.tenant_id, thread_id=thread.thread_id, message_id="msg_1",
        direction="outbound", author={"kind": "agent"}, body="Hi", created_at=time.time(),
        status="queued"))
    return Delivery(f"/twilio/sms/status?m=msg_1&t={biz.tenant_id}&th={thread.thread_id}", {
        "MessageSid": _sid("SM"), "AccountSid": biz.tenant.twilio_account_sid,
        "From": biz.number, "To": biz.caller, "MessageStatus": "delivered",
        "ApiVersion": "2010-04-01"}, has_effect=False)


def agent_connect(biz: Business) -> Delivery:
    _, _, reservation = _accepted(biz)
    return Delivery(f"/twilio/voice/agent/connect?r={reservation}&t={biz.tenant_id}",
                    biz.call_params(_sid(), Direction="outbound-api"))


def agent_status(biz: Business) -> Delivery:
    _, _, reservation = _accepted(biz)
    return Delivery(f"/twilio/voice/agent/status?r={reservation}&t={biz.tenant_id}",
                    biz.call_params(_sid(), CallStatus="no-answer", Direction="outbound-api"))


def agent_whisper(biz: Business) -> Delivery:
    _, _, reservation = _mobile_offer(biz)
    return Delivery(f"/twilio/voice/agent/whisper?r={reservation}&t={biz.tenant_id}",
                    biz.call_params(_sid(), Direction="outbound-api"), has_effect=False)


def agent_whisper_answer(biz: Business) -> Delivery:
    _, _, reservation = _mobile_offer(biz)
    return Delivery(f"/twilio/voice/agent/whisper/answer?r={reservation}&t={biz.tenant_id}",
                    biz.call_params(_sid(), Digits="1", Direction="outbound-api"))


def _calling_back(biz: Business) -> tuple[str, str]:
    """A caller who asked for a callback; an agent took it and Hotline rang the customer:
    (task, the customer's leg)."""
    call, task_id = _queued_call(biz)
    biz.answer(f"/twilio/voice/queue/choice?t={biz.tenant_id}&task={task_id}",
               biz.call_params(call, Digits="1"))
    agent = biz.agent("dana")
    from chalicelib.wiring import get_agent_desk

    get_agent_desk().accept(biz.tenant_id, agent, biz.offer_of(agent))
    [ring] = [a for op, a in biz.telephony.of(biz.tenant_id) if op == "place_call"]
    biz.answer(path_of(ring["url"], biz.settings),
               biz.call_params(str(ring["sid"]), Direction="outbound-api"))
    customer = [a for op, a in biz.telephony.of(biz.tenant_id)
                if op == "place_call" and "/callback/customer" in a["url"]]
    assert customer, biz.telephony.of(biz.tenant_id)
    return task_id, str(customer[0]["sid"])


def callback_customer(biz: Business) -> Delivery:
    task_id, leg = _calling_back(biz)
    params = biz.call_params(leg, Direction="outbound-api")
    params.update(From=biz.number, To=biz.caller)
    return Delivery(f"/twilio/voice/callback/customer?t={biz.tenant_id}&task={task_id}",
                    params)


def callback_status(biz: Business) -> Delivery:
    task_id, leg = _calling_back(biz)
    params = biz.call_params(leg, CallStatus="completed", CallDuration="61",
                             Direction="outbound-api")
    params.update(From=biz.number, To=biz.caller)
    return Delivery(f"/twilio/voice/callback/status?t={biz.tenant_id}&task={task_id}", params)


def conference_customer(biz: Business) -> Delivery:
    """The caller, redirected out of the queue once the agent's leg connected."""
    call, task_id, reservation = _accepted(biz)
    biz.answer(f"/twilio/voice/agent/connect?r={reservation}&t={biz.tenant_id}",
               biz.call_params(_sid(), Direction="outbound-api"))
    return Delivery(f"/twilio/voice/conference/customer?t={biz.tenant_id}&task={task_id}",
                    biz.call_params(call), has_effect=False)


def conference_digits(biz: Business) -> Delivery:
    return Delivery(f"/twilio/voice/conference/digits?d=1234&t={biz.tenant_id}",
                    biz.call_params(_sid(), Direction="outbound-api"), has_effect=False)


def conference_route(path: str) -> Callable[[Business], Delivery]:
    """The conference callbacks (VOICE-API's): a call whose task is not in a conference."""

    def case(biz: Business) -> Delivery:
        call, task_id = _queued_call(biz)
        return Delivery(f"{path}?t={biz.tenant_id}&task={task_id}",
                        biz.call_params(call, Digits="1", StatusCallbackEvent="participant-join"),
                        has_effect=False)

    return case


OTHER_BUSINESS_PREFIX = "+1628"  # the businesses behind a shared number (masked in shapes)


def _shared_with_another_business(biz: Business) -> str:
    """Make the business's number a shared number whose key 1 forwards to another
    business's own number (docs/shared-numbers.md); that business's id."""
    from chalicelib.adapters.dynamo.shared_numbers_repository import SharedNumberRepository
    from chalicelib.domain.identity import PhoneNumber, Tenant
    from chalicelib.domain.shared_numbers import SharedLine
    from chalicelib.wiring import get_tenant_repository

    other = Tenant(tenant_id="tn_" + uuid.uuid4().hex[:10], name="Bright Dental",
                   timezone="UTC", twilio_account_sid="AC" + uuid.uuid4().hex,
                   twilio_auth_token="x")
    own = OTHER_BUSINESS_PREFIX + str(uuid.uuid4().int)[:7]
    get_tenant_repository().save(other)
    get_tenant_repository().save_number(PhoneNumber(own, other.tenant_id))
    SharedNumberRepository().set_menu(
        biz.number, [SharedLine(other.tenant_id, "1", own, other.name)], "City Hotline.")
    return other.tenant_id


def shared_choice(biz: Business) -> Delivery:
    _shared_with_another_business(biz)
    return Delivery("/twilio/voice/shared/choice?n=1", biz.call_params(_sid(), Digits="1"),
                    has_effect=False)  # a forward's TwiML, nothing stored


def shared_after(biz: Business) -> Delivery:
    _shared_with_another_business(biz)
    return Delivery("/twilio/voice/shared/after?d=1", biz.call_params(
        _sid(), DialCallStatus="no-answer", DialCallSid=_sid(), DialCallDuration="0"),
        has_effect=False)  # the apology; an unanswered forward meters nothing


def shared_forward(biz: Business) -> Delivery:
    other = _shared_with_another_business(biz)
    return Delivery(f"/twilio/voice/shared/forward?t={other}", biz.call_params(_sid()),
                    has_effect=False)


CASES: dict[str, Callable[[Business], Delivery]] = {
    "/twilio/voice": incoming_call,
    "/twilio/voice/flow": flow_step,
    "/twilio/voice/status": call_status,
    "/twilio/sms": incoming_sms,
    "/twilio/voice/queue/wait": queue_wait,
    "/twilio/voice/queue/choice": queue_choice,
    "/twilio/voice/queue/result": queue_result,
    "/twilio/voice/queue/voicemail": queue_voicemail,
    "/twilio/voice/agent/connect": agent_connect,
    "/twilio/voice/agent/status": agent_status,
    "/twilio/voice/agent/whisper": agent_whisper,
    "/twilio/voice/agent/whisper/answer": agent_whisper_answer,
    "/twilio/voice/callback/customer": callback_customer,
    "/twilio/voice/callback/status": callback_status,
    "/twilio/voice/conference/customer": conference_customer,
    "/twilio/voice/conference/digits": conference_digits,
    "/twilio/voice/conference/participant": conference_route(
        "/twilio/voice/conference/participant"),
    "/twilio/voice/client": conference_route("/twilio/voice/client"),
    "/twilio/voice/transcription": voicemail_transcription,
    "/twilio/sms/status": message_status,
    "/twilio/voice/shared/choice": shared_choice,
    "/twilio/voice/shared/after": shared_after,
    "/twilio/voice/shared/forward": shared_forward,
}


def twilio_routes() -> list[str]:
    from app import app

    return sorted(path for path in app.routes if path.startswith("/twilio/"))


def test_every_twilio_route_has_a_case() -> None:
    routes = twilio_routes()
    assert routes, "the app has no /twilio/ routes"
    missing = [r for r in routes if r not in CASES]
    assert not missing, f"routes with no exactly-once case: {missing}"


def _route_of(delivery: Delivery) -> str:
    return delivery.path.split("?", 1)[0]


@pytest.mark.parametrize("route", sorted(CASES))
def test_a_retried_event_has_one_effect_and_the_same_answer(route, business_factory):
    # given a business arranged for this route, and one event for it
    biz = business_factory()
    delivery = CASES[route](biz)
    assert _route_of(delivery) == route
    before = biz.snapshot()
    # when Twilio delivers it, then delivers it again
    first = biz.answer(delivery.path, delivery.params)
    after_first = biz.snapshot()
    second = biz.answer(delivery.path, delivery.params)
    after_second = biz.snapshot()
    print(f"\n{route}: {first}")
    # then the retry replays the first answer and has no effect of its own
    assert second == first
    assert after_second == after_first
    if delivery.has_effect:
        assert after_first != before, "the first delivery had no effect"
    assert "application error" not in first.lower()


@pytest.mark.parametrize("route", sorted(CASES))
def test_five_concurrent_deliveries_have_one_effect_and_one_answer(route, business_factory):
    # given two businesses arranged the same way for this route
    once, racing = business_factory(), business_factory()
    single, burst = CASES[route](once), CASES[route](racing)
    # when one gets the event once, and the other five times at once
    single_answer = once.answer(single.path, single.params)
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda _: racing.answer(burst.path, burst.params), range(5)))
    settled = racing.snapshot()
    late = racing.answer(burst.path, burst.params)
    print(f"\n{route}: {answers[0]}")
    # then the five answers (and a late sixth) are one answer
    assert len(set(answers)) == 1, answers
    assert late == answers[0]
    assert racing.snapshot() == settled
    # and the effects have the shape of a single delivery's
    assert shape(settled) == shape(once.snapshot())
    assert _shape_of_answer(answers[0], racing) == _shape_of_answer(single_answer, once)


def _shape_of_answer(twiml: str, biz: Business) -> str:
    """The TwiML without the ids that differ between two businesses."""
    text = twiml.replace(biz.tenant_id, "T").replace(biz.number, "N")
    text = re.sub(re.escape(OTHER_BUSINESS_PREFIX) + r"\d{7}", "OTHER", text)
    return re.sub(r"\b[A-Z]{2}[0-9a-f]{24,}\b", "ID", text)


def test_query_and_discriminators_make_distinct_events(business_factory):
    # given a caller in the menu
    biz = business_factory()
    call, menu = _started_call(biz)
    # when the same URL is answered with two different digit strings
    invalid = biz.answer(menu, biz.call_params(call, Digits="9"))
    other = biz.answer(menu, biz.call_params(call, Digits="2"))
    # then they are two events (the second is not the first's replay)
    assert invalid != other
    assert query_of(menu)["w"] == "menu"
