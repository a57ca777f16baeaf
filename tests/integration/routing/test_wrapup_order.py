"""Wrap-up completes the task first (conditionally), then writes the CRM, idempotently."""

from __future__ import annotations

import threading

import pytest

from chalicelib.domain.errors import Conflict, HotlineError, Unavailable
from chalicelib.domain.routing.model import TaskStatus
from tests.integration.routing.conftest import Routing


def _wrapping(routing: Routing, call_sid: str) -> str:
    routing.queue("support")
    routing.agent("alex", wrapup_seconds=60)
    task = routing.call(call_sid)
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.service.on_call_ended(routing.tenant_id, call_sid, "completed")
    assert routing.task(task.task_id).status is TaskStatus.WRAPPING
    return task.task_id


def test_a_crm_failure_after_completion_is_written_by_the_retry(routing: Routing,
                                                                monkeypatch) -> None:
    # given a wrapping call, and the CRM failing once
    task_id = _wrapping(routing, "CA300")
    write = routing.crm.record_wrapup
    failures = [Unavailable("DynamoDB is throttling")]

    def flaky(*args):
        if failures:
            raise failures.pop()
        write(*args)

    monkeypatch.setattr(routing.crm, "record_wrapup", flaky)
    # when the agent wraps up: the task completes first, then the CRM write fails
    with pytest.raises(Unavailable):
        routing.desk.wrapup(routing.tenant_id, "alex", task_id, "resolved", "ok")
    completed = routing.task(task_id)
    assert completed.status is TaskStatus.COMPLETED and not completed.wrapup_recorded
    assert routing.desk.me(routing.tenant_id, "alex").holds == {}
    # then the agent's retry writes the CRM once and marks the wrap-up recorded
    done = routing.desk.wrapup(routing.tenant_id, "alex", task_id, "resolved", "ok")
    assert done.wrapup_recorded
    assert routing.crm.named("wrapup") == [(routing.tenant_id, "CA300", "alex", "resolved",
                                            "ok")]
    with pytest.raises(Conflict):
        routing.desk.wrapup(routing.tenant_id, "alex", task_id, "again", "")


def test_two_wrap_ups_at_once_complete_the_task_once(routing: Routing) -> None:
    # given a wrapping call, wrapped up twice at once (a double click, two tabs)
    task_id = _wrapping(routing, "CA301")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def wrap() -> None:
        barrier.wait()
        try:
            routing.desk.wrapup(routing.tenant_id, "alex", task_id, "resolved", "")
            outcomes.append("done")
        except HotlineError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=wrap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then the task completed once: the agent counts one contact, the wrap-up is recorded
    assert "done" in outcomes and set(outcomes) <= {"done", "Conflict"}, outcomes
    task = routing.task(task_id)
    assert task.status is TaskStatus.COMPLETED and task.wrapup_recorded
    assert routing.desk.me(routing.tenant_id, "alex").contacts_today == 1
    assert 1 <= len(routing.crm.named("wrapup")) <= 2  # the same fields, written idempotently
