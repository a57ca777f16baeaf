"""A webhook's record and effects commit together, exactly once per key."""

from __future__ import annotations

import threading
import uuid

import pytest

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.adapters.dynamo.idempotency_repository import (
    AlreadyProcessed,
    IdempotencyRepository,
)
from chalicelib.services.crm import CrmService


def _key() -> str:
    return f"AC1#CA{uuid.uuid4().hex}#/twilio/voice?"


def test_second_commit_of_the_same_webhook_replays_the_first_response(settings, tenant_id):
    repo = IdempotencyRepository(settings)
    key = _key()
    repo.commit(key, "<Response>first</Response>", [])
    with pytest.raises(AlreadyProcessed) as done:
        repo.commit(key, "<Response>second</Response>", [])
    assert done.value.response == "<Response>first</Response>"


def test_effects_of_a_retried_webhook_are_not_written(settings, tenant_id):
    repo, crm_store = IdempotencyRepository(settings), CrmRepository()
    crm = CrmService(crm_store)
    key = _key()
    first = crm.new_interaction(tenant_id, "CA-one", "+15550001111", "+15559990000",
                                "voice", "inbound")
    repo.commit(key, "ok", [lambda tx: crm_store.stage_create_interaction(tx, first)])
    retry = crm.new_interaction(tenant_id, "CA-two", "+15550001111", "+15559990000",
                                "voice", "inbound")
    with pytest.raises(AlreadyProcessed):
        repo.commit(key, "ok", [lambda tx: crm_store.stage_create_interaction(tx, retry)])
    assert crm_store.get_interaction(tenant_id, "CA-one") is not None
    assert crm_store.get_interaction(tenant_id, "CA-two") is None


def test_concurrent_duplicates_have_exactly_one_effect(settings, tenant_id):
    repo, crm_store = IdempotencyRepository(settings), CrmRepository()
    key = _key()
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def deliver(n: int) -> None:
        crm = CrmService(crm_store)
        interaction = crm.new_interaction(tenant_id, f"CA-dup-{n}", "+15550001111", None,
                                          "voice", "inbound")
        barrier.wait()
        try:
            repo.commit(key, f"r{n}",
                        [lambda tx: crm_store.stage_create_interaction(tx, interaction)])
            outcomes.append("committed")
        except AlreadyProcessed:
            outcomes.append("replayed")

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # DynamoDB may refuse some transactions for conflict (TransactionConflict) rather than
    # condition: those surface as Conflict/Unavailable, never as a second effect.
    assert outcomes.count("committed") <= 1
    written = [n for n in range(8) if crm_store.get_interaction(tenant_id, f"CA-dup-{n}")]
    assert len(written) == outcomes.count("committed")


def test_claim_without_effects_is_also_once(settings):
    repo = IdempotencyRepository(settings)
    key = _key()
    repo.claim(key)
    with pytest.raises(AlreadyProcessed):
        repo.claim(key)
