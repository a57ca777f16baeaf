"""Workflows: the first matching filter decides the targets; errors name JSON paths."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.routing.lifecycle import escalate
from chalicelib.domain.routing.model import Target
from chalicelib.domain.routing.workflow import load_workflow, parse_workflow
from tests.unit.domain.routing.builders import task

QUEUES = {"support", "orders", "vip"}
DOC = {
    "filters": [
        {"name": "VIP", "expression": "vip == true",
         "targets": [{"queue": "vip", "expression": "level >= 2", "priority": 10, "timeout": 30},
                     {"queue": "support", "timeout": 60},
                     {"queue": "orders"}]},
        {"name": "orders", "expression": 'menu == "orders"', "targets": [{"queue": "orders"}]},
    ],
    "default_filter": {"queue": "support"},
}


def test_the_first_matching_filter_decides_the_targets() -> None:
    workflow = parse_workflow(DOC, QUEUES)

    targets = workflow.route({"vip": "true", "menu": "orders"}, "support")

    assert [t.queue for t in targets] == ["vip", "support", "orders"]
    assert targets[0] == Target("vip", "level >= 2", 10, 30)


def test_a_task_no_filter_matches_takes_the_default_filter() -> None:
    workflow = parse_workflow(DOC, QUEUES)

    assert workflow.route({"menu": "other"}, "orders") == (Target("support"),)


def test_without_a_default_filter_the_task_stays_in_the_queue_its_flow_named() -> None:
    workflow = parse_workflow({"filters": []}, QUEUES)

    assert workflow.route({}, "orders") == (Target("orders"),)


def test_a_stored_workflow_round_trips() -> None:
    workflow = parse_workflow(DOC, QUEUES)

    assert load_workflow(workflow.to_document()) == workflow
    assert load_workflow(None).route({}, "support") == (Target("support"),)


@pytest.mark.parametrize(("doc", "path"), [
    ([], ""),
    ({"filters": {}}, "filters"),
    ({"filters": [{"expression": "x ==", "targets": [{"queue": "support"}]}]},
     "filters[0].expression"),
    ({"filters": [{"expression": "true", "targets": []}]}, "filters[0].targets"),
    ({"filters": [{"expression": "true", "targets": [{"queue": "nowhere"}]}]},
     "filters[0].targets[0].queue"),
    ({"filters": [{"expression": "true", "targets": [{"queue": "support", "timeout": -1}]}]},
     "filters[0].targets[0].timeout"),
    ({"filters": [{"expression": "true", "targets": [{"queue": "support", "priority": "hi"}]}]},
     "filters[0].targets[0].priority"),
    ({"filters": [{"expression": "true", "targets": [{"queue": "support",
                                                       "expression": "a = 1"}]}]},
     "filters[0].targets[0].expression"),
    ({"filters": [{"expression": "true", "targets": [{"queue": "support", "wait": 1}]}]},
     "filters[0].targets[0].wait"),
    ({"default_filter": {"queue": "ghost"}}, "default_filter.queue"),
    ({"filters": [], "extra": 1}, "extra"),
])
def test_invalid_workflows_are_refused_with_the_json_path(doc: object, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workflow(doc, QUEUES)

    assert caught.value.path == path


def test_a_task_escalates_to_the_next_target_after_its_timeout() -> None:
    targets = parse_workflow(DOC, QUEUES).route({"vip": True}, "support")
    waiting = task(targets=targets, queue="vip", priority=10, base_priority=1,
                   target_entered_at=1000.0)

    assert escalate(waiting, now=1029.9) is None
    moved = escalate(waiting, now=1030.0)

    assert moved is not None
    assert (moved.queue, moved.target_index, moved.priority) == ("support", 1, 1)
    assert moved.target_entered_at == 1030.0
    assert moved.enqueued_at == waiting.enqueued_at  # keeps its place by arrival time


def test_the_last_target_never_escalates() -> None:
    targets = parse_workflow(DOC, QUEUES).route({"vip": True}, "support")
    last = task(targets=targets, target_index=2, queue="orders", target_entered_at=0.0)

    assert escalate(last, now=10_000.0) is None


def test_escalation_clears_earlier_declines() -> None:
    targets = (Target("vip", timeout=5), Target("support"))
    waiting = task(targets=targets, queue="vip", declined={"alex": 1001.0})

    moved = escalate(waiting, now=1005.0)

    assert moved is not None and moved.declined == {}
