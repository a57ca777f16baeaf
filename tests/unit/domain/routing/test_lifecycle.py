"""Task, reservation and agent state machines (pure transitions)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.routing import lifecycle
from chalicelib.domain.routing.model import (
    Activity,
    ReservationStatus,
    Target,
    TaskKind,
    TaskStatus,
    Tier,
    reservation_id_for,
    task_of_reservation,
)
from tests.unit.domain.routing.builders import agent, task

NOW = 2000.0


def timeout(via: str) -> float:
    return 15.0 if via == "desktop" else 45.0


def offered(*agent_ids: str):  # type: ignore[no-untyped-def]
    agents = [agent(a) for a in agent_ids]
    reserved, updated = lifecycle.reserve(task(), agents, NOW, timeout)
    return reserved, {a.agent_id: a for a in updated}


def test_an_offer_reserves_the_task_and_the_agents_capacity() -> None:
    reserved, agents = offered("alex")

    assert reserved.status is TaskStatus.RESERVED
    (offer,) = reserved.reservations
    assert offer.agent_id == "alex" and offer.status is ReservationStatus.PENDING
    assert offer.expires_at == NOW + 15.0
    assert agents["alex"].holds == {reserved.task_id: "voice"}
    assert not agents["alex"].has_room("voice")
    assert agents["alex"].has_room("chat")


def test_reservation_ids_name_their_task() -> None:
    reserved, _ = offered("alex")

    assert task_of_reservation(reserved.reservations[0].reservation_id) == reserved.task_id
    with pytest.raises(NotFound):
        task_of_reservation("WRnot-an-id")


def test_a_part_timer_on_mobile_is_offered_by_phone_with_a_longer_timeout() -> None:
    part = agent("pat", tier=Tier.PART_TIME, mobile="+15551112222", take_on_mobile=True)

    reserved, _ = lifecycle.reserve(task(), [part], NOW, timeout)

    assert reserved.reservations[0].via == "mobile"
    assert reserved.reservations[0].expires_at == NOW + 45.0


def test_only_a_pending_task_can_be_offered_and_only_to_an_agent_with_room() -> None:
    reserved, agents = offered("alex")

    with pytest.raises(Conflict):
        lifecycle.reserve(reserved, [agent("sam")], NOW, timeout)
    with pytest.raises(Conflict):
        lifecycle.reserve(task("CA2"), [agents["alex"]], NOW, timeout)
    with pytest.raises(Conflict):
        lifecycle.reserve(task("CA3"), [agent("sam", activity=Activity.BREAK)], NOW, timeout)


def test_accepting_assigns_the_task_and_counts_the_contact() -> None:
    reserved, agents = offered("alex")
    rid = reserved.reservations[0].reservation_id

    assigned, (alex,) = lifecycle.accept(reserved, rid, "alex", agents, NOW + 3)

    assert assigned.status is TaskStatus.ASSIGNED and assigned.assigned_agent == "alex"
    assert assigned.reservations[0].status is ReservationStatus.ACCEPTED
    assert alex.contacts_today == 1 and alex.last_assigned_at == NOW + 3
    assert alex.holds == {reserved.task_id: "voice"}


def test_ring_all_first_accept_wins_and_the_others_are_rescinded() -> None:
    reserved, agents = offered("alex", "sam", "kim")
    by_agent = {r.agent_id: r.reservation_id for r in reserved.reservations}

    assigned, updated = lifecycle.accept(reserved, by_agent["sam"], "sam", agents, NOW + 1)

    statuses = {r.agent_id: r.status for r in assigned.reservations}
    assert statuses == {"alex": ReservationStatus.RESCINDED, "sam": ReservationStatus.ACCEPTED,
                        "kim": ReservationStatus.RESCINDED}
    freed = {a.agent_id: a for a in updated}
    assert freed["alex"].holds == {} and freed["kim"].holds == {}
    assert freed["sam"].holds == {reserved.task_id: "voice"}
    with pytest.raises(Conflict):
        lifecycle.accept(assigned, by_agent["alex"], "alex", freed, NOW + 2)


def test_an_expired_offer_cannot_be_accepted() -> None:
    reserved, agents = offered("alex")
    rid = reserved.reservations[0].reservation_id

    with pytest.raises(Conflict, match="timed out"):
        lifecycle.accept(reserved, rid, "alex", agents, NOW + 15)


def test_another_agents_offer_is_not_found() -> None:
    reserved, agents = offered("alex")
    rid = reserved.reservations[0].reservation_id

    with pytest.raises(NotFound):
        lifecycle.accept(reserved, rid, "sam", agents, NOW)


def test_a_rejected_reservation_returns_the_task_to_pending() -> None:
    reserved, agents = offered("alex")
    rid = reserved.reservations[0].reservation_id

    back, alex = lifecycle.decline(reserved, rid, agents["alex"], NOW + 2,
                                   ReservationStatus.REJECTED, max_missed=3)

    assert back.status is TaskStatus.PENDING
    assert back.reservations[0].status is ReservationStatus.REJECTED
    assert back.declined == {"alex": NOW + 2}
    assert alex.holds == {} and alex.has_room("voice")


def test_a_ring_all_task_stays_reserved_while_another_offer_is_open() -> None:
    reserved, agents = offered("alex", "sam")
    rid = next(r.reservation_id for r in reserved.reservations if r.agent_id == "alex")

    back, _ = lifecycle.decline(reserved, rid, agents["alex"], NOW + 1,
                                ReservationStatus.REJECTED, max_missed=3)

    assert back.status is TaskStatus.RESERVED


def test_missing_offers_in_a_row_sets_the_agent_away() -> None:
    alex = agent("alex")
    for n in range(3):
        reserved, _ = lifecycle.reserve(task(f"CA{n}"), [alex], NOW, timeout)
        _, alex = lifecycle.decline(reserved, reserved.reservations[0].reservation_id,
                                    replace(alex, holds={reserved.task_id: "voice"}),
                                    NOW + 20, ReservationStatus.TIMEOUT, max_missed=3)
        assert alex.missed_in_row == n + 1
    assert alex.activity is Activity.AWAY
    assert lifecycle.set_activity(alex, Activity.AVAILABLE, NOW + 30).missed_in_row == 0


def test_a_rejection_breaks_the_run_of_missed_offers() -> None:
    reserved, agents = offered("alex")
    missed_twice = replace(agents["alex"], missed_in_row=2)

    _, alex = lifecycle.decline(reserved, reserved.reservations[0].reservation_id, missed_twice,
                                NOW, ReservationStatus.REJECTED, max_missed=3)

    assert alex.missed_in_row == 0 and alex.activity is Activity.AVAILABLE


def test_canceling_a_reserved_task_withdraws_its_offers() -> None:
    reserved, agents = offered("alex", "sam")

    canceled, freed = lifecycle.cancel(reserved, agents, NOW, "abandoned")

    assert canceled.status is TaskStatus.CANCELED and canceled.outcome == "abandoned"
    assert {r.status for r in canceled.reservations} == {ReservationStatus.CANCELED}
    assert all(a.holds == {} for a in freed)


def test_a_served_task_cannot_be_canceled() -> None:
    reserved, agents = offered("alex")
    assigned, _ = lifecycle.accept(reserved, reserved.reservations[0].reservation_id, "alex",
                                   agents, NOW)

    with pytest.raises(Conflict):
        lifecycle.cancel(assigned, agents, NOW, "abandoned")


def test_wrap_up_then_complete_frees_the_agent_and_makes_them_idle_anew() -> None:
    reserved, agents = offered("alex")
    assigned, (alex,) = lifecycle.accept(reserved, reserved.reservations[0].reservation_id,
                                         "alex", agents, NOW)

    wrapping = lifecycle.start_wrapup(assigned, 30, NOW + 100)
    done, freed = lifecycle.complete(wrapping, alex, NOW + 110, recorded=True)

    assert wrapping.status is TaskStatus.WRAPPING and wrapping.wrapup_until == NOW + 130
    assert done.status is TaskStatus.COMPLETED and done.wrapup_recorded
    assert freed.holds == {} and freed.idle_since == NOW + 110
    with pytest.raises(Conflict):
        lifecycle.start_wrapup(done, 30, NOW + 120)


def test_an_agent_leg_that_never_connected_puts_the_task_back_in_its_place() -> None:
    reserved, agents = offered("alex")
    assigned, (alex,) = lifecycle.accept(reserved, reserved.reservations[0].reservation_id,
                                         "alex", agents, NOW)

    back, freed = lifecycle.requeue(assigned, alex, NOW + 5)

    assert back.status is TaskStatus.PENDING and back.assigned_agent is None
    assert back.enqueued_at == assigned.enqueued_at
    assert freed.holds == {}


def test_a_waiting_caller_can_turn_into_a_callback_but_not_once_served() -> None:
    callback = lifecycle.request_callback(task())

    assert callback.kind is TaskKind.CALLBACK and callback.outcome == "callback-requested"
    assert lifecycle.request_callback(callback) == callback
    with pytest.raises(Conflict):
        lifecycle.request_callback(task(status=TaskStatus.ASSIGNED))


def test_the_next_deadline_follows_the_state() -> None:
    reserved, _ = offered("alex")
    pending = task(targets=(Target("a", timeout=30), Target("b")), target_entered_at=NOW,
                   enqueued_at=NOW, overflow_at=NOW + 60, max_wait_seconds=600)

    assert lifecycle.next_deadline(reserved, NOW) == NOW + 15
    assert lifecycle.next_deadline(pending, NOW) == NOW + 30
    assert lifecycle.next_deadline(pending, NOW + 31) == NOW + 60
    assert lifecycle.next_deadline(pending, NOW + 61) == pending.enqueued_at + 600 + 60
    assert lifecycle.next_deadline(task(status=TaskStatus.ASSIGNED), NOW) is None
    assert reservation_id_for(reserved.task_id, 1) == reserved.reservations[0].reservation_id
