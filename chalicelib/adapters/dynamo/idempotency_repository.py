"""Idempotency records for Twilio webhooks, in the style of powertools' persistence layer.

A webhook's effects and its record are written in one transaction whose first item is
the record, conditioned on ``key_absent OR expired``. A retried webhook therefore fails
that condition, has no effect, and replays the stored response.
"""

from __future__ import annotations

import time
from collections.abc import Callable

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

COMPLETED = "COMPLETED"


class AlreadyProcessed(Conflict):
    """This webhook was handled before; ``response`` is what was answered then."""

    def __init__(self, key: str, response: str | None) -> None:
        super().__init__(f"webhook {key} was already handled")
        self.response = response


def _claimable(now: int) -> Condition:
    key_absent = IdempotencyModel.key.does_not_exist()
    expired = IdempotencyModel.expires_at < now
    return key_absent | expired


Stage = Callable[[TransactWrite], None]


class IdempotencyRepository:
    def __init__(self, settings: Settings, ttl_seconds: int = 24 * 3600,
                 clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._ttl = ttl_seconds
        self._clock = clock

    def _record(self, key: str, response: str | None) -> IdempotencyModel:
        now = int(self._clock())
        return IdempotencyModel(key, status=COMPLETED, response=response,
                                expires_at=now + self._ttl)

    def commit(self, key: str, response: str | None, stages: list[Stage]) -> None:
        """Write the record and every staged write atomically, once per key.

        Raises AlreadyProcessed (with the stored response) for a retried webhook.
        """
        now = int(self._clock())
        with translated("commit webhook"):
            try:
                with TransactWrite(connection=connection(self._settings)) as tx:
                    tx.save(self._record(key, response), condition=_claimable(now))
                    for stage in stages:
                        stage(tx)
            except PynamoDBException as exc:
                reasons = cancellation_reasons(exc)
                if reasons and reasons[0] == "ConditionalCheckFailed":
                    raise AlreadyProcessed(key, self.stored_response(key)) from exc
                raise

    def claim(self, key: str, response: str | None = None) -> None:
        """Record a webhook with no transactional effects (one conditional put)."""
        now = int(self._clock())
        with translated("claim webhook"):
            try:
                self._record(key, response).save(condition=_claimable(now))
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    raise AlreadyProcessed(key, self.stored_response(key)) from exc
                raise

    @dynamo_call("read idempotency record")
    def stored_response(self, key: str) -> str | None:
        try:
            return IdempotencyModel.get(key, consistent_read=True).response
        except IdempotencyModel.DoesNotExist:
            return None
