"""Eligibility, the four strategies, and the part-time overflow rule."""

from __future__ import annotations

from chalicelib.domain.routing.lifecycle import utc_day
from chalicelib.domain.routing.model import Activity, Strategy, Target, TaskKind, Tier
from chalicelib.domain.routing.strategies import Overflow, choose, eligible, only_part_timers
from tests.unit.domain.routing.builders import agent, queue, task

NOW = 2000.0


def test_longest_idle_offers_to_the_agent_idle_the_longest() -> None:
    agents = [agent("a", idle_since=30.0), agent("b", idle_since=10.0), agent("c", idle_since=20.0)]

    assert [a.agent_id for a in choose(agents, Strategy.LONGEST_IDLE, NOW)] == ["b"]


def test_round_robin_offers_to_the_least_recently_assigned() -> None:
    agents = [agent("a", last_assigned_at=50.0, idle_since=1.0),
              agent("b", last_assigned_at=5.0, idle_since=9.0),
              agent("c", last_assigned_at=70.0, idle_since=2.0)]

    assert [a.agent_id for a in choose(agents, Strategy.ROUND_ROBIN, NOW)] == ["b"]


def test_fewest_contacts_today_ignores_yesterdays_count() -> None:
    today = utc_day(NOW)
    agents = [agent("a", contacts_today=2, contacts_day=today, idle_since=1.0),
              agent("b", contacts_today=9, contacts_day="1999-01-01", idle_since=5.0),
              agent("c", contacts_today=1, contacts_day=today, idle_since=3.0)]

    assert [a.agent_id for a in choose(agents, Strategy.FEWEST_CONTACTS, NOW)] == ["b"]


def test_ring_all_offers_to_every_eligible_agent_up_to_the_limit() -> None:
    agents = [agent(f"a{i}", idle_since=float(i)) for i in range(5)]

    chosen = choose(agents, Strategy.RING_ALL, NOW, ring_all_limit=3)

    assert [a.agent_id for a in chosen] == ["a0", "a1", "a2"]


def test_full_timers_come_before_part_timers_whatever_the_strategy() -> None:
    agents = [agent("part", tier=Tier.PART_TIME, idle_since=0.0), agent("full", idle_since=99.0)]

    for strategy in Strategy:
        assert [a.agent_id for a in choose(agents, strategy, NOW)] == ["full"]


def test_no_candidates_means_no_offer() -> None:
    assert choose([], Strategy.LONGEST_IDLE, NOW) == []


def test_an_agent_needs_to_be_available_with_free_capacity_on_the_channel() -> None:
    q, t = queue(), task()

    assert eligible(agent(), t, q, NOW, overflow=False)
    assert not eligible(agent(activity=Activity.BREAK), t, q, NOW, overflow=False)
    assert not eligible(agent(holds={"TKother": "voice"}), t, q, NOW, overflow=False)
    assert eligible(agent(holds={"TKchat": "chat"}), t, q, NOW, overflow=False)
    assert not eligible(agent(capacity={"voice": 0}), t, q, NOW, overflow=False)


def test_chat_capacity_allows_several_at_once() -> None:
    chat = task("SM1", channel="chat", kind=TaskKind.MESSAGE)
    busy = agent(capacity={"chat": 3}, holds={"TK1": "chat", "TK2": "chat"})

    assert eligible(busy, chat, queue(), NOW, overflow=False)
    assert not eligible(agent(capacity={"chat": 2}, holds={"TK1": "chat", "TK2": "chat"}),
                        chat, queue(), NOW, overflow=False)


def test_queue_and_target_worker_expressions_both_apply() -> None:
    q = queue(worker_expression='skills HAS "support"')
    t = task(targets=(Target("support", expression="level >= 2"),))

    assert eligible(agent(attributes={"level": 2}), t, q, NOW, overflow=False)
    assert not eligible(agent(attributes={"level": 1}), t, q, NOW, overflow=False)
    assert not eligible(agent(skills=("sales",), attributes={"level": 5}), t, q, NOW,
                        overflow=False)


def test_a_target_expression_may_compare_task_and_worker() -> None:
    t = task(attributes={"language": "fr"},
             targets=(Target("support", expression="task.language IN worker.languages"),))

    assert eligible(agent(attributes={"languages": ["fr"]}), t, queue(), NOW, overflow=False)
    assert not eligible(agent(attributes={"languages": ["en"]}), t, queue(), NOW,
                        overflow=False)


def test_an_agent_who_just_declined_is_not_offered_the_same_task_again() -> None:
    t = task(declined={"alex": NOW - 10})

    assert not eligible(agent(), t, queue(), NOW, overflow=False)
    assert eligible(agent(), t, queue(), NOW + 60, overflow=False)
    assert eligible(agent("sam"), t, queue(), NOW, overflow=False)


def test_part_timers_are_offered_work_only_in_overflow() -> None:
    part = agent("pat", tier=Tier.PART_TIME)

    assert not eligible(part, task(), queue(), NOW, overflow=False)
    assert eligible(part, task(), queue(), NOW, overflow=True)
    assert only_part_timers([part])
    assert not only_part_timers([part, agent()])
    assert not only_part_timers([])


def test_a_mobile_part_timer_takes_only_live_calls() -> None:
    mobile = agent("pat", tier=Tier.PART_TIME, mobile="+15551230000", take_on_mobile=True)

    assert eligible(mobile, task(), queue(), NOW, overflow=True)
    assert not eligible(mobile, task(kind=TaskKind.CALLBACK), queue(), NOW, overflow=True)
    assert not eligible(mobile, task(channel="voicemail", kind=TaskKind.VOICEMAIL,
                                     queue="support"), queue(), NOW, overflow=True)


def test_overflow_starts_when_the_oldest_wait_passes_t_or_the_queue_passes_n() -> None:
    q = queue(overflow_after_seconds=60, overflow_queue_length=3)

    assert not Overflow(oldest_wait_seconds=59.9, waiting=3).active(q)
    assert Overflow(oldest_wait_seconds=60.0, waiting=1).active(q)
    assert Overflow(oldest_wait_seconds=0.0, waiting=4).active(q)


def test_overflow_thresholds_can_be_switched_off() -> None:
    never = queue(overflow_after_seconds=None, overflow_queue_length=None)
    by_length_only = queue(overflow_after_seconds=None, overflow_queue_length=0)

    assert not Overflow(oldest_wait_seconds=10_000, waiting=10_000).active(never)
    assert Overflow(oldest_wait_seconds=0, waiting=1).active(by_length_only)
