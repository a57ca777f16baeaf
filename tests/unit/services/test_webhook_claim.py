"""One claim per Twilio event: retries replay the first answer, failures give it back."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.domain.errors import Unavailable
from chalicelib.domain.webhooks import (
    COMPLETED,
    INPROGRESS,
    AlreadyProcessed,
    EventInProgress,
    StaleWrite,
)
from chalicelib.services.webhook_claim import WebhookClaims, current_claim


@dataclass
class Record:
    status: str
    token: str | None
    response: str | None = None
    in_progress_until: float | None = None


class FakeClaimStore:
    """The idempotency repository's contract, in memory."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.lock = threading.Lock()
        self.begins = 0

    def begin(self, key: str, token: str, hold_seconds: float) -> None:
        with self.lock:
            self.begins += 1
            record = self.records.get(key)
            if record is not None:
                if record.status == COMPLETED:
                    raise AlreadyProcessed(key, record.response)
                raise EventInProgress(key)
            self.records[key] = Record(INPROGRESS, token)

    def complete(self, key: str, token: str, response: str | None) -> None:
        with self.lock:
            assert self.records[key].token == token
            self.records[key] = Record(COMPLETED, None, response)

    def release(self, key: str, token: str) -> None:
        with self.lock:
            if self.records.get(key) and self.records[key].token == token:
                del self.records[key]

    def stored(self, key: str) -> Any:
        return self.records.get(key)

    def commit(self, key: str, response: str, token: str | None) -> None:
        with self.lock:
            record = self.records.get(key)
            if (token is None and record is not None) or (token is not None and (
                    record is None or record.token != token)):
                if record is not None and record.status == COMPLETED:
                    raise AlreadyProcessed(key, record.response)
                raise EventInProgress(key)
            self.records[key] = Record(COMPLETED, None, response)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _claims(store: FakeClaimStore, clock: Clock | None = None) -> WebhookClaims:
    clock = clock or Clock()
    return WebhookClaims(store, wait_seconds=1.0, clock=clock, sleep=clock.sleep)


def test_a_retry_replays_the_first_answer_without_running_the_handler() -> None:
    store, runs = FakeClaimStore(), []
    claims = _claims(store)
    first = claims.run("k", lambda: runs.append(1) or "<Response>one</Response>")
    second = claims.run("k", lambda: runs.append(2) or "<Response>two</Response>")
    assert first == second == "<Response>one</Response>"
    assert runs == [1]


def test_a_failed_handler_gives_its_claim_back_so_a_retry_runs_again() -> None:
    store = FakeClaimStore()
    claims = _claims(store)

    def throttled() -> str:
        raise Unavailable("DynamoDB is throttling")

    with pytest.raises(Unavailable):
        claims.run("k", throttled)
    assert "k" not in store.records
    assert claims.run("k", lambda: "<Response/>") == "<Response/>"


def test_a_retry_during_the_first_delivery_waits_for_its_answer() -> None:
    store, clock = FakeClaimStore(), Clock()
    store.records["k"] = Record(INPROGRESS, "other")

    def first_finishes(seconds: float) -> None:
        clock.now += seconds
        store.records["k"] = Record(COMPLETED, None, "<Response>first</Response>")

    claims = WebhookClaims(store, wait_seconds=1.0, clock=clock, sleep=first_finishes)
    assert claims.run("k", lambda: "<Response>second</Response>") == \
        "<Response>first</Response>"


def test_a_retry_that_waits_too_long_is_answered_politely() -> None:
    store = FakeClaimStore()
    store.records["k"] = Record(INPROGRESS, "other")
    with pytest.raises(EventInProgress):
        _claims(store).run("k", lambda: "<Response/>")


def test_a_committing_handler_claims_only_when_it_commits() -> None:
    store = FakeClaimStore()
    claims = _claims(store)

    def step() -> str:
        claim = current_claim()
        assert claim is not None and not claim.held
        store.commit(claim.key, "<Response>step</Response>", claim.commit_token)
        claim.mark_committed()
        return "<Response>step</Response>"

    assert claims.run("k", step, eager=False) == "<Response>step</Response>"
    assert store.begins == 0
    assert claims.run("k", step, eager=False) == "<Response>step</Response>"


def test_a_committing_handler_that_fails_after_an_answer_replays_it() -> None:
    # given a final flow step already answered
    store = FakeClaimStore()
    store.records["k"] = Record(COMPLETED, None, "<Response><Record/></Response>")

    def ended_flow() -> str:
        from chalicelib.domain.errors import Conflict

        raise Conflict("the flow for this call has already ended")

    # when it is retried, then its stored answer is replayed
    assert _claims(store).run("k", ended_flow, eager=False) == \
        "<Response><Record/></Response>"


def test_a_step_that_loses_a_race_on_its_execution_runs_again() -> None:
    store, attempts = FakeClaimStore(), []

    def step() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise StaleWrite("another message moved the conversation")
        return "<Response/>"

    assert _claims(store).run("k", step, eager=False) == "<Response/>"
    assert len(attempts) == 3
