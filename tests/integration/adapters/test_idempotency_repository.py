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


def test_a_claim_in_progress_refuses_a_second_delivery_until_it_answers(settings):
    # given a delivery holding the claim
    from chalicelib.adapters.dynamo.idempotency_repository import EventInProgress

    repo, key = IdempotencyRepository(settings), _key()
    repo.begin(key, "first", hold_seconds=15)
    # when another delivery tries, then it is told the event is in progress
    with pytest.raises(EventInProgress):
        repo.begin(key, "second", hold_seconds=15)
    # and once the first answers, the next delivery gets that answer
    repo.complete(key, "first", "<Response>first</Response>")
    with pytest.raises(AlreadyProcessed) as done:
        repo.begin(key, "third", hold_seconds=15)
    assert done.value.response == "<Response>first</Response>"


def test_a_released_claim_lets_the_retry_run(settings):
    repo, key = IdempotencyRepository(settings), _key()
    repo.begin(key, "first", hold_seconds=15)
    repo.release(key, "first")
    repo.begin(key, "second", hold_seconds=15)
    repo.release(key, "not-mine")  # a stranger's release changes nothing
    assert repo.stored(key).status == "INPROGRESS"


def test_a_claim_abandoned_by_a_dead_lambda_expires(settings):
    # given a claim whose holder died (its hold is over)
    clock = [1_000.0]
    repo, key = IdempotencyRepository(settings, clock=lambda: clock[0]), _key()
    repo.begin(key, "dead", hold_seconds=15)
    clock[0] += 16
    # when Twilio retries, then the retry claims it and can commit with its own token
    repo.begin(key, "alive", hold_seconds=15)
    repo.commit(key, "<Response/>", [], token="alive")
    assert repo.stored_response(key) == "<Response/>"


def test_a_commit_whose_own_writes_lose_a_race_is_a_stale_write(settings, tenant_id):
    # given an interaction that already exists (another event wrote it)
    from chalicelib.adapters.dynamo.idempotency_repository import StaleWrite

    repo, crm_store = IdempotencyRepository(settings), CrmRepository()
    interaction = CrmService(crm_store).new_interaction(
        tenant_id, "CA-raced", "+15550001111", None, "voice", "inbound")
    crm_store.create_interaction(interaction)
    key = _key()
    # when a new event commits a write conditioned on its absence
    with pytest.raises(StaleWrite):
        repo.commit(key, "x", [lambda tx: crm_store.stage_create_interaction(tx, interaction)])
    # then nothing of it was written: the event is still unclaimed
    assert repo.stored(key) is None
