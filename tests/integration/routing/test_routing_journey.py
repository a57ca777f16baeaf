"""One call through the router on DynamoDB Local: queued, offered, accepted, bridged,
wrapped up; plus the variations a contact center lives with."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.routing.model import Activity, ReservationStatus, TaskStatus
from tests.integration.routing.conftest import Routing


def test_a_call_is_offered_accepted_bridged_and_wrapped_up(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")

    task = routing.call("CA100")
    assert task.status is TaskStatus.RESERVED
    (offer,) = routing.desk.offers(routing.tenant_id, "alex")
    assert offer.task.caller == "+15550001111"

    accepted = routing.desk.accept(routing.tenant_id, "alex", offer.reservation.reservation_id)
    assert accepted.status is TaskStatus.ASSIGNED
    (ring,) = routing.telephony.to("client:alex")
    assert "/twilio/voice/agent/connect" in ring.url and ring.from_ == "+15559990000"

    twiml = routing.calls.agent_connect(routing.hook(
        {"CallSid": ring.sid, "CallStatus": "in-progress"}, r=offer.reservation.reservation_id,
        t=routing.tenant_id))
    assert f"<Dial><Queue>{task.task_id}</Queue></Dial>" in twiml
    assert ("answered", (routing.tenant_id, "CA100", "alex")) in [
        (e, a) for e, a, _ in routing.crm.events]

    routing.service.on_call_ended(routing.tenant_id, "CA100", "completed")
    assert routing.task(task.task_id).status is TaskStatus.WRAPPING
    assert [t.task_id for t in routing.desk.tasks(routing.tenant_id, "alex")] == [task.task_id]

    done = routing.desk.wrapup(routing.tenant_id, "alex", task.task_id, "resolved", "all good")
    assert done.status is TaskStatus.COMPLETED and done.wrapup_recorded
    assert routing.crm.named("wrapup") == [(routing.tenant_id, "CA100", "alex", "resolved",
                                            "all good")]
    alex = routing.desk.me(routing.tenant_id, "alex")
    assert alex.holds == {} and alex.contacts_today == 1


def test_a_retried_enqueue_webhook_finds_the_same_task(routing: Routing) -> None:
    routing.queue("support")

    first = routing.call("CA101")
    again = routing.call("CA101")

    assert again.task_id == first.task_id
    assert routing.store.count_waiting(routing.tenant_id, "support") == (1, False)


def test_an_unknown_queue_is_not_found(routing: Routing) -> None:
    with pytest.raises(NotFound):
        routing.call("CA102", queue="nowhere")


def test_higher_priority_is_served_first_then_first_come_first_served(routing: Routing) -> None:
    routing.queue("support")
    low = routing.call("CA110", priority=0)
    routing.clock.advance(1)
    high = routing.call("CA111", priority=10)
    routing.clock.advance(1)
    later_low = routing.call("CA112", priority=0)

    page = routing.store.pending_page(routing.tenant_id, "support", 10)

    assert [t.task_id for t in page] == [high.task_id, low.task_id, later_low.task_id]
    routing.agent("alex")
    assert routing.desk.offers(routing.tenant_id, "alex")[0].task.task_id == high.task_id


def test_a_rejected_offer_moves_on_to_the_next_agent(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    routing.clock.advance(5)
    routing.agent("sam")
    task = routing.call("CA120")
    assert routing.desk.offers(routing.tenant_id, "alex")  # longest idle first

    routing.desk.reject(routing.tenant_id, "alex", routing.offer_of("alex"))

    assert routing.desk.offers(routing.tenant_id, "sam")[0].task.task_id == task.task_id
    assert routing.desk.offers(routing.tenant_id, "alex") == []
    assert routing.desk.me(routing.tenant_id, "alex").holds == {}


def test_an_offer_times_out_in_the_sweep_and_moves_on(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    routing.clock.advance(5)
    routing.agent("sam")
    task = routing.call("CA121")

    routing.clock.advance(14)
    assert routing.sweep.run().timed_out == 0
    routing.clock.advance(1)
    report = routing.sweep.run()

    assert report.timed_out == 1
    reservations = routing.task(task.task_id).reservations
    assert [r.status for r in reservations] == [ReservationStatus.TIMEOUT,
                                                ReservationStatus.PENDING]
    assert reservations[1].agent_id == "sam"
    assert routing.desk.me(routing.tenant_id, "alex").missed_in_row == 1


def test_three_missed_offers_in_a_row_set_the_agent_away(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    for n in range(3):
        routing.call(f"CA13{n}")
        routing.clock.advance(16)
        routing.sweep.run()
        routing.clock.advance(61)  # past the re-offer window for the same caller

    alex = routing.desk.me(routing.tenant_id, "alex")
    assert alex.activity is Activity.AWAY and alex.missed_in_row == 3
    assert routing.desk.offers(routing.tenant_id, "alex") == []


def test_an_agent_who_frees_up_is_offered_the_next_caller(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    first = routing.call("CA140")
    second = routing.call("CA141")
    assert routing.task(second.task_id).status is TaskStatus.PENDING

    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.service.on_call_ended(routing.tenant_id, "CA140", "completed")
    routing.desk.wrapup(routing.tenant_id, "alex", first.task_id, "sale", "")

    assert routing.task(second.task_id).status is TaskStatus.RESERVED


def test_wrap_up_ends_by_itself_after_the_agents_wrap_up_time(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex", wrapup_seconds=20)
    task = routing.call("CA150")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.service.on_call_ended(routing.tenant_id, "CA150", "completed")

    routing.clock.advance(19)
    routing.sweep.run()
    assert routing.task(task.task_id).status is TaskStatus.WRAPPING
    routing.clock.advance(1)
    assert routing.sweep.run().wrapped_up == 1

    done = routing.task(task.task_id)
    assert done.status is TaskStatus.COMPLETED and not done.wrapup_recorded
    later = routing.desk.wrapup(routing.tenant_id, "alex", task.task_id, "late", "notes")
    assert later.wrapup_recorded
    with pytest.raises(Conflict):
        routing.desk.wrapup(routing.tenant_id, "alex", task.task_id, "again", "")


def test_a_caller_who_hangs_up_in_queue_is_abandoned_and_the_offer_withdrawn(
        routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    task = routing.call("CA160")

    routing.service.on_call_ended(routing.tenant_id, "CA160", "completed")

    gone = routing.task(task.task_id)
    assert gone.status is TaskStatus.CANCELED and gone.outcome == "abandoned"
    assert gone.reservations[0].status is ReservationStatus.CANCELED
    assert routing.desk.me(routing.tenant_id, "alex").holds == {}
    assert routing.crm.named("outcome") == [(routing.tenant_id, "CA160", "abandoned")]


def test_going_on_break_rejects_open_offers_and_stops_new_ones(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    task = routing.call("CA170")

    routing.desk.set_activity(routing.tenant_id, "alex", "break")

    assert routing.task(task.task_id).status is TaskStatus.PENDING
    routing.call("CA171")
    assert routing.desk.offers(routing.tenant_id, "alex") == []
    with pytest.raises(InvalidInput):
        routing.desk.set_activity(routing.tenant_id, "alex", "away")


def test_another_tenants_reservation_and_task_are_not_found(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    task = routing.call("CA180")
    offer = routing.offer_of("alex")

    with pytest.raises(NotFound):
        routing.desk.accept("tn_other", "alex", offer)
    with pytest.raises(NotFound):
        routing.desk.wrapup("tn_other", "alex", task.task_id, "x", "")
    with pytest.raises(NotFound):
        routing.desk.accept(routing.tenant_id, "sam", offer)
