"""Idempotency records for Twilio webhooks, in the style of powertools' persistence layer.

Two ways to claim an event:

- ``begin``: one conditional put of an INPROGRESS record (held by a random token until
  ``in_progress_until``) before the handler's first effect; ``complete`` stores the
  answer when it is done, ``release`` deletes the claim when the handler failed.
- ``commit``: the record, COMPLETED with its answer, is the first item of the
  transaction that holds the step's own writes (flow executions, CRM rows, outbox
  items). Conditioned on the caller's token when it already holds the claim, or on the
  key being claimable when it does not.

A retry finds COMPLETED and replays the stored answer (``AlreadyProcessed``), or finds
another delivery's live INPROGRESS claim (``EventInProgress``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import (
    cancellation_reasons,
    dynamo_call,
    is_conditional_failure,
    translated,
)
from chalicelib.adapters.dynamo.models.idempotency import IdempotencyModel
from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict
from chalicelib.domain.webhooks import (
    COMPLETED,
    INPROGRESS,
    AlreadyProcessed,
    EventInProgress,
    StaleWrite,
    StoredEvent,
)

Stage = Callable[[TransactWrite], None]


def _claimable(now: float) -> Condition:
    key_absent = IdempotencyModel.key.does_not_exist()
    expired = IdempotencyModel.expires_at < int(now)
    abandoned = ((IdempotencyModel.status == INPROGRESS)
                 & (IdempotencyModel.in_progress_until < now))
    return key_absent | expired | abandoned


def _held_by(token: str) -> Condition:
    return (IdempotencyModel.status == INPROGRESS) & (IdempotencyModel.token == token)


class IdempotencyRepository:
    def __init__(self, settings: Settings, ttl_seconds: int = 24 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._ttl = ttl_seconds
        self._clock = clock

    def _completed(self, key: str, response: str | None) -> IdempotencyModel:
        now = int(self._clock())
        return IdempotencyModel(key, status=COMPLETED, response=response,
                                expires_at=now + self._ttl)

    @contextmanager
    def _claiming(self, key: str, action: str) -> Iterator[None]:
        """One conditional write on ``key``: its condition failing is the reason the
        claim was refused; any other failure is translated as every DynamoDB call's."""
        with translated(action):
            try:
                yield
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    raise self._refused(key) from exc
                raise

    def _refused(self, key: str) -> Conflict:
        """Why a claim was refused: answered already, or another delivery holds it."""
        stored = self.stored(key)
        if stored is not None and stored.status == COMPLETED:
            return AlreadyProcessed(key, stored.response)
        return EventInProgress(key)

    # -- claim first, answer later ----------------------------------------------------
    def begin(self, key: str, token: str, hold_seconds: float) -> None:
        """Claim ``key`` as INPROGRESS for ``hold_seconds`` (one conditional put)."""
        now = self._clock()
        record = IdempotencyModel(key, status=INPROGRESS, token=token,
                                  in_progress_until=now + hold_seconds,
                                  expires_at=int(now) + self._ttl)
        with self._claiming(key, "claim webhook"):
            record.save(condition=_claimable(now))

    def complete(self, key: str, token: str, response: str | None) -> None:
        """Store the answer of a claim this delivery holds."""
        with self._claiming(key, "complete webhook"):
            self._completed(key, response).save(condition=_held_by(token))

    def release(self, key: str, token: str) -> None:
        """Give a claim up (the handler failed before any committed effect)."""
        with translated("release webhook"):
            try:
                IdempotencyModel(key).delete(condition=_held_by(token))
            except PynamoDBException as exc:
                if not is_conditional_failure(exc):
                    raise

    # -- claim and effects in one transaction -----------------------------------------
    def commit(self, key: str, response: str | None, stages: list[Stage],
               token: str | None = None) -> None:
        """Write the COMPLETED record and every staged write atomically, once per key.

        Raises AlreadyProcessed (with the stored response) for a retried webhook,
        EventInProgress while another delivery holds it, StaleWrite when a staged write's
        own condition failed (a race on the same execution from another event).
        """
        now = self._clock()
        condition = _held_by(token) if token else _claimable(now)
        with translated("commit webhook"):
            try:
                with TransactWrite(connection=connection(self._settings)) as tx:
                    tx.save(self._completed(key, response), condition=condition)
                    for stage in stages:
                        stage(tx)
            except PynamoDBException as exc:
                reasons = cancellation_reasons(exc)
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    raise self._refused(key) from exc
                if "ConditionalCheckFailed" in reasons:
                    raise StaleWrite(f"webhook {key}: its writes lost a race") from exc
                raise

    def claim(self, key: str, response: str | None = None) -> None:
        """Record a webhook with no transactional effects (one conditional put)."""
        now = self._clock()
        with self._claiming(key, "claim webhook"):
            self._completed(key, response).save(condition=_claimable(now))

    @dynamo_call("read idempotency record")
    def stored(self, key: str) -> StoredEvent | None:
        try:
            item = IdempotencyModel.get(key, consistent_read=True)
        except IdempotencyModel.DoesNotExist:
            return None
        until = item.in_progress_until
        if item.status == INPROGRESS and until is not None and until < self._clock():
            return None  # abandoned by a crashed delivery: claimable again
        return StoredEvent(item.status, item.response, None if until is None else float(until))

    def stored_response(self, key: str) -> str | None:
        stored = self.stored(key)
        return stored.response if stored is not None and stored.status == COMPLETED else None
