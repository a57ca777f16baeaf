"""Flow versions and executions on the real DynamoDB Local."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.flows.context import ExecutionContext

pytestmark = pytest.mark.ddb

ROOT = Path(__file__).resolve().parents[3]
IVR = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())


def variant(text: str) -> dict:
    doc = json.loads(json.dumps(IVR))
    doc["states"][1]["properties"]["say"] = text
    return doc


@pytest.fixture
def repo(settings):
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository

    return FlowRepository(settings)


@pytest.fixture
def executions(settings):
    from chalicelib.adapters.dynamo.flow_repository import ExecutionRepository

    return ExecutionRepository(settings)


def test_publish_bumps_the_revision_and_the_head_serves_it(repo, tenant_id):
    repo.create(tenant_id, "ivr", "Main IVR", variant("one"))

    first = repo.publish(tenant_id, "ivr", variant("one"), expected_revision=0)
    second = repo.publish(tenant_id, "ivr", variant("two"), expected_revision=1)

    flow, revision = repo.published(tenant_id, "ivr")
    assert (first, second, revision) == (1, 2, 2)
    assert flow.state("welcome").properties["say"] == "two"
    assert repo.revision(tenant_id, "ivr", 1).state("welcome").properties["say"] == "one"
    assert [r.revision for r in repo.revisions(tenant_id, "ivr")] == [2, 1]
    assert [f.flow_id for f in repo.list_flows(tenant_id)] == ["ivr"]


def test_publishing_from_a_stale_revision_is_a_conflict(repo, tenant_id):
    repo.create(tenant_id, "ivr", "Main IVR", variant("one"))
    repo.publish(tenant_id, "ivr", variant("one"), expected_revision=0)

    with pytest.raises(Conflict):
        repo.publish(tenant_id, "ivr", variant("stale"), expected_revision=0)

    assert repo.published(tenant_id, "ivr")[1] == 1


def test_racing_publishers_produce_exactly_one_new_revision(repo, tenant_id):
    repo.create(tenant_id, "ivr", "Main IVR", variant("base"))
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def publish(text: str) -> None:
        barrier.wait()
        try:
            repo.publish(tenant_id, "ivr", variant(text), expected_revision=0)
            outcomes.append("won")
        except Conflict:
            outcomes.append("lost")

    threads = [threading.Thread(target=publish, args=(f"v{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["lost", "lost", "lost", "won"]
    assert [r.revision for r in repo.revisions(tenant_id, "ivr")] == [1]


def test_unknown_or_unpublished_flows_are_not_found(repo, tenant_id):
    with pytest.raises(NotFound):
        repo.get(tenant_id, "nope")
    repo.create(tenant_id, "draft-only", "Draft", variant("x"))
    with pytest.raises(NotFound):
        repo.published(tenant_id, "draft-only")
    with pytest.raises(NotFound):
        repo.save_draft(tenant_id, "nope", variant("x"))


def test_creating_a_flow_twice_is_a_conflict(repo, tenant_id):
    repo.create(tenant_id, "ivr", "Main IVR", variant("x"))
    with pytest.raises(Conflict):
        repo.create(tenant_id, "ivr", "Again", variant("y"))


def test_an_execution_keeps_the_revision_it_started_with(repo, executions, tenant_id):
    repo.create(tenant_id, "ivr", "Main IVR", variant("old"))
    repo.publish(tenant_id, "ivr", variant("old"), expected_revision=0)
    _, revision = repo.published(tenant_id, "ivr")
    context = ExecutionContext("CA1", "ivr", revision, "voice", waiting_on="menu",
                               status="waiting")
    executions.put(tenant_id, context)

    repo.publish(tenant_id, "ivr", variant("new"), expected_revision=1)

    stored = executions.get(tenant_id, "CA1")
    assert stored is not None and stored.revision == 1
    same = repo.revision(tenant_id, stored.flow_id, stored.revision)
    assert same.state("welcome").properties["say"] == "old"
    assert repo.published(tenant_id, "ivr")[0].state("welcome").properties["say"] == "new"


def test_stage_put_commits_inside_the_callers_transaction(settings, executions, tenant_id):
    from pynamodb.transactions import TransactWrite

    from chalicelib.adapters.dynamo.base import connection

    context = ExecutionContext("CA2", "ivr", 3, "voice", variables={"n": "1"})
    with TransactWrite(connection=connection(settings)) as tx:
        executions.stage_put(tx, tenant_id, context, ttl_seconds=60)

    stored = executions.get(tenant_id, "CA2")
    assert stored is not None and stored.variables == {"n": "1"} and stored.revision == 3


def test_executions_waiting_on_a_deadline_are_listed_when_due(executions, tenant_id):
    waiting = ExecutionContext("conv:a", "sms", 1, "sms", waiting_on="ask", deadline=1000.0,
                               status="waiting")
    later = ExecutionContext("conv:b", "sms", 1, "sms", waiting_on="ask", deadline=5000.0,
                             status="waiting")
    executions.put(tenant_id, waiting)
    executions.put(tenant_id, later)

    due = [(d.tenant_id, d.context.execution_id) for d in executions.due(before=2000.0)
           if d.tenant_id == tenant_id]

    assert due == [(tenant_id, "conv:a")]


def test_binding_a_number_points_it_at_the_flow(repo, settings, tenant_id):
    from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel

    number = "+1555" + tenant_id[-7:]
    PhoneNumberModel(number, tenant_id=tenant_id).save()

    repo.bind_number(tenant_id, number, "ivr", "voice")
    repo.bind_number(tenant_id, number, "sms-bot", "sms")

    stored = PhoneNumberModel.get(number)
    assert (stored.flow_id, stored.sms_flow_id) == ("ivr", "sms-bot")
    with pytest.raises(NotFound):
        repo.bind_number("tn_someone_else", number, "ivr", "voice")
