"""Workflows, strategies, capacity and administration, end to end on DynamoDB Local."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.routing.model import ReservationStatus, TaskKind, TaskStatus
from tests.integration.routing.conftest import Routing

VIP_WORKFLOW = {
    "filters": [{"name": "VIP", "expression": "vip == true",
                 "targets": [{"queue": "support", "expression": 'skills HAS "vip"',
                              "priority": 50, "timeout": 30},
                             {"queue": "support"}]}],
}


def test_a_vip_caller_escalates_from_vip_agents_to_everyone_after_the_timeout(
        routing: Routing) -> None:
    routing.queue("support")
    routing.admin.put_workflow(routing.tenant_id, VIP_WORKFLOW)
    routing.agent("alex", skills=["support"])
    task = routing.call("CA300", vip="true")
    assert task.status is TaskStatus.PENDING and task.priority == 50

    routing.clock.advance(29)
    routing.sweep.run()
    assert routing.task(task.task_id).status is TaskStatus.PENDING
    routing.clock.advance(1)
    report = routing.sweep.run()

    assert report.escalated >= 1
    moved = routing.task(task.task_id)
    assert moved.target_index == 1 and moved.priority == 0
    assert moved.status is TaskStatus.RESERVED
    assert routing.desk.offers(routing.tenant_id, "alex")[0].task.task_id == task.task_id


def test_a_matching_vip_agent_gets_the_call_at_once(routing: Routing) -> None:
    routing.queue("support")
    routing.admin.put_workflow(routing.tenant_id, VIP_WORKFLOW)
    routing.agent("alex", skills=["support"])
    routing.agent("val", skills=["support", "vip"])

    task = routing.call("CA301", vip=True)

    assert routing.desk.offers(routing.tenant_id, "val")[0].task.task_id == task.task_id


def test_a_queues_worker_expression_limits_who_serves_it(routing: Routing) -> None:
    routing.queue("orders", worker_expression='skills HAS "orders" AND level >= 2')
    routing.agent("alex", skills=["orders"], attributes={"level": 1})
    routing.agent("sam", skills=["orders"], attributes={"level": "3"})

    routing.call("CA310", queue="orders")

    assert routing.desk.offers(routing.tenant_id, "alex") == []
    assert len(routing.desk.offers(routing.tenant_id, "sam")) == 1


def test_round_robin_takes_turns(routing: Routing) -> None:
    routing.queue("support", strategy="round-robin")
    routing.agent("alex", wrapup_seconds=0)
    routing.agent("sam", wrapup_seconds=0)
    served = []
    for n in range(4):
        task = routing.call(f"CA32{n}")
        routing.clock.advance(1)
        who = routing.task(task.task_id).reservations[-1].agent_id
        routing.desk.accept(routing.tenant_id, who, routing.offer_of(who))
        routing.service.on_call_ended(routing.tenant_id, f"CA32{n}", "completed")
        served.append(who)

    assert served in (["alex", "sam", "alex", "sam"], ["sam", "alex", "sam", "alex"])


def test_fewest_contacts_today_prefers_the_least_busy_agent(routing: Routing) -> None:
    routing.queue("support", strategy="fewest-contacts-today")
    routing.agent("alex", wrapup_seconds=0)
    first = routing.call("CA330")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.service.on_call_ended(routing.tenant_id, "CA330", "completed")
    routing.clock.advance(100)
    routing.agent("sam")  # idle for less time, but no contacts today

    task = routing.call("CA331")

    assert routing.task(first.task_id).status is TaskStatus.COMPLETED
    assert routing.task(task.task_id).reservations[0].agent_id == "sam"


def test_ring_all_offers_everyone_and_the_first_accept_wins(routing: Routing) -> None:
    routing.queue("support", strategy="ring-all")
    for name in ("alex", "sam", "kim"):
        routing.agent(name)
    task = routing.call("CA340")
    assert len(routing.task(task.task_id).pending_reservations()) == 3

    routing.desk.accept(routing.tenant_id, "sam", routing.offer_of("sam"))

    statuses = {r.agent_id: r.status for r in routing.task(task.task_id).reservations}
    assert statuses["sam"] is ReservationStatus.ACCEPTED
    assert statuses["alex"] is statuses["kim"] is ReservationStatus.RESCINDED
    assert routing.desk.me(routing.tenant_id, "alex").holds == {}
    assert routing.desk.offers(routing.tenant_id, "kim") == []


def test_chat_capacity_lets_an_agent_take_several_conversations(routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex", capacity={"sms": 2})
    for n in range(3):
        routing.service.enqueue_message(
            tenant_id=routing.tenant_id, conversation_id=f"conv{n}", interaction_id=f"SM{n}",
            queue="support", contact=f"+1555000000{n}", business_number="+15559990000")
        routing.clock.advance(1)

    offers = routing.desk.offers(routing.tenant_id, "alex")

    assert len(offers) == 2 and {o.task.kind for o in offers} == {TaskKind.MESSAGE}
    alex = routing.desk.me(routing.tenant_id, "alex")
    assert alex.load("sms") == 2 and alex.has_room("voice")


def test_a_conversation_is_one_task_while_open(routing: Routing) -> None:
    routing.queue("support")
    first = routing.service.enqueue_message(
        tenant_id=routing.tenant_id, conversation_id="conv", interaction_id="SM1",
        queue="support", contact="+15550000001")
    again = routing.service.enqueue_message(
        tenant_id=routing.tenant_id, conversation_id="conv", interaction_id="SM2",
        queue="support", contact="+15550000001")

    assert again.task_id == first.task_id


def test_queue_settings_are_validated_with_the_field_named(routing: Routing) -> None:
    for body, path in [({"strategy": "random"}, "strategy"),
                       ({"worker_expression": "skills HAS"}, "worker_expression"),
                       ({"max_wait_seconds": 0}, "max_wait_seconds"),
                       ({"hold_music_url": "ftp://x"}, "hold_music_url"),
                       ({"colour": "red"}, "colour")]:
        with pytest.raises(InvalidInput) as caught:
            routing.admin.put_queue(routing.tenant_id, "support", body)
        assert caught.value.path == path
    with pytest.raises(InvalidInput):
        routing.admin.put_queue(routing.tenant_id, "", {})


def test_a_workflow_naming_an_unknown_queue_is_refused(routing: Routing) -> None:
    routing.queue("support")

    with pytest.raises(InvalidInput) as caught:
        routing.admin.put_workflow(routing.tenant_id, {"filters": [
            {"expression": "true", "targets": [{"queue": "billing"}]}]})

    assert caught.value.path == "filters[0].targets[0].queue"


def test_agent_profiles_are_validated_and_kept(routing: Routing) -> None:
    agent = routing.agent("alex", skills=["support", "billing"], capacity={"chat": 4},
                          tier="part-time", mobile="(415) 555-0100", take_on_mobile=True,
                          available=False)

    assert agent.mobile == "+14155550100" and agent.capacity["chat"] == 4
    for body, path in [({"capacity": {"fax": 1}}, "capacity.fax"),
                       ({"capacity": {"voice": 99}}, "capacity.voice"),
                       ({"tier": "contractor"}, "tier"),
                       ({"skills": "support"}, "skills"),
                       ({"mobile": None}, "mobile")]:
        with pytest.raises(InvalidInput) as caught:
            routing.admin.put_agent_routing(routing.tenant_id, "alex", body)
        assert caught.value.path == path


def test_live_queue_stats_show_waiting_oldest_wait_and_agents_by_presence(
        routing: Routing) -> None:
    routing.queue("support")
    routing.agent("alex")
    routing.agent("sam", available=False)
    routing.call("CA350")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.call("CA351")
    routing.clock.advance(42)

    (stats,) = routing.admin.queue_stats(routing.tenant_id)

    assert stats["waiting"] == 1 and stats["oldest_wait_seconds"] == 42.0
    assert stats["agents"] == {"busy": 1, "offline": 1}


def test_provisioning_helpers_are_idempotent(routing: Routing) -> None:
    first = routing.admin.ensure_queue(routing.tenant_id, "support")
    again = routing.admin.ensure_queue(routing.tenant_id, "support")
    routing.admin.ensure_default_workflow(routing.tenant_id)

    assert first.queue_id == again.queue_id
    assert routing.admin.workflow(routing.tenant_id) == {"filters": [], "default_filter": None}
    assert routing.admin.ensure_agent(routing.tenant_id, "alex", skills=["x"]).skills == ("x",)
    assert routing.admin.ensure_agent(routing.tenant_id, "alex", skills=["y"]).skills == ("x",)


def test_a_queue_can_be_named_by_its_sid(routing: Routing) -> None:
    queue = routing.admin.ensure_queue(routing.tenant_id, "support")

    task = routing.call("CA360", queue=queue.queue_id)

    assert task.entry_queue == "support"
    with pytest.raises(NotFound):
        routing.call("CA361", queue="WQ" + "f" * 32)
