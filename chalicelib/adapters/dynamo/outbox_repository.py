"""Outbox items in DynamoDB: staged in a webhook's transaction or put on their own,
then moved pending -> running -> done|failed|unknown with conditional writes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import PynamoDBException
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure, translated
from chalicelib.adapters.dynamo.models.outbox import OutboxModel
from chalicelib.domain.outbox import PENDING, RUNNING, OutboxItem

DUE_SHARD = "due"
KEEP_SECONDS = 7 * 24 * 3600


def _item(model: OutboxModel) -> OutboxItem:
    return OutboxItem(key=model.key, tenant_id=model.tenant_id, kind=model.kind,
                      payload=dict(model.payload or {}), status=model.status,
                      attempts=int(model.attempts or 0), created_at=float(model.created_at),
                      result=model.result, error=model.error,
                      due_at=None if model.due_at is None else float(model.due_at))


class OutboxRepository:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def _model(self, item: OutboxItem, status: str, due_at: float) -> OutboxModel:
        return OutboxModel(item.key, tenant_id=item.tenant_id, kind=item.kind,
                           payload=item.payload, status=status, attempts=item.attempts,
                           created_at=item.created_at, due_shard=DUE_SHARD, due_at=due_at,
                           expires_at=datetime.fromtimestamp(item.created_at + KEEP_SECONDS,
                                                             tz=UTC))

    def stage(self, tx: TransactWrite, item: OutboxItem, due_at: float) -> None:
        """A pending item, written with the webhook's own commit."""
        tx.save(self._model(item, PENDING, due_at), condition=OutboxModel.key.does_not_exist())

    def add(self, item: OutboxItem, status: str, due_at: float) -> bool:
        """Put a new item; False if the effect is already recorded (a replay)."""
        with translated("record an effect"):
            try:
                self._model(item, status, due_at).save(
                    condition=OutboxModel.key.does_not_exist())
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    return False
                raise
        return True

    @dynamo_call("read an effect")
    def get(self, key: str) -> OutboxItem | None:
        try:
            return _item(OutboxModel.get(key, consistent_read=True))
        except OutboxModel.DoesNotExist:
            return None

    def start(self, key: str, expected: str, lease_until: float, now: float) -> bool:
        """``expected`` (pending, or running past its lease) -> running; False if it was
        not in that state (someone else runs it, or it is settled)."""
        condition = OutboxModel.status == expected
        if expected == RUNNING:
            condition = condition & (OutboxModel.due_at < now)
        with translated("start an effect"):
            try:
                OutboxModel(key).update(actions=[
                    OutboxModel.status.set(RUNNING), OutboxModel.due_at.set(lease_until),
                    OutboxModel.attempts.add(1)], condition=condition)
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    return False
                raise
        return True

    def settle(self, key: str, status: str, *, result: Any = None, error: str | None = None,
               expected: tuple[str, ...] = (PENDING, RUNNING)) -> bool:
        """done | failed | unknown: the item leaves the due index."""
        actions = [OutboxModel.status.set(status), OutboxModel.due_shard.remove(),
                   OutboxModel.due_at.remove()]
        if result is not None:
            actions.append(OutboxModel.result.set(result))
        if error is not None:
            actions.append(OutboxModel.error.set(error[:1000]))
        return self._update(key, actions, expected)

    def retry_at(self, key: str, due_at: float, error: str) -> bool:
        """A failed attempt that may be tried again: back to pending until ``due_at``."""
        return self._update(key, [OutboxModel.status.set(PENDING), OutboxModel.due_at.set(due_at),
                                  OutboxModel.error.set(error[:1000])], (RUNNING, PENDING))

    def _update(self, key: str, actions: list[Any], expected: tuple[str, ...]) -> bool:
        with translated("settle an effect"):
            try:
                OutboxModel(key).update(actions=actions,
                                        condition=OutboxModel.status.is_in(*expected))
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    return False
                raise
        return True

    @dynamo_call("list due effects")
    def due(self, now: float, limit: int = 50) -> list[OutboxItem]:
        items = OutboxModel.by_due.query(DUE_SHARD, OutboxModel.due_at < now, limit=limit)
        return [_item(item) for item in items]
