"""In-memory fakes of the outbox's store, shared by the services' unit tests."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from chalicelib.domain.outbox import PENDING, RUNNING, OutboxItem


class FakeOutboxStore:
    def __init__(self) -> None:
        self.items: dict[str, OutboxItem] = {}
        self.lock = threading.Lock()

    def stage(self, tx: Any, item: OutboxItem, due_at: float) -> None:
        tx.append(lambda: self.add(item, PENDING, due_at))

    def add(self, item: OutboxItem, status: str, due_at: float) -> bool:
        with self.lock:
            if item.key in self.items:
                return False
            self.items[item.key] = replace(item, status=status, due_at=due_at)
            return True

    def get(self, key: str) -> OutboxItem | None:
        return self.items.get(key)

    def start(self, key: str, expected: str, lease_until: float, now: float) -> bool:
        with self.lock:
            item = self.items.get(key)
            if item is None or item.status != expected or (
                    expected == RUNNING and (item.due_at or 0) >= now):
                return False
            self.items[key] = replace(item, status=RUNNING, due_at=lease_until,
                                      attempts=item.attempts + 1)
            return True

    def settle(self, key: str, status: str, *, result: Any = None, error: str | None = None,
               expected: tuple[str, ...] = (PENDING, RUNNING)) -> bool:
        with self.lock:
            item = self.items[key]
            if item.status not in expected:
                return False
            self.items[key] = replace(item, status=status, result=result, error=error,
                                      due_at=None)
            return True

    def retry_at(self, key: str, due_at: float, error: str) -> bool:
        with self.lock:
            self.items[key] = replace(self.items[key], status=PENDING, due_at=due_at,
                                      error=error)
            return True

    def due(self, now: float, limit: int = 50) -> list[OutboxItem]:
        return [i for i in self.items.values()
                if i.due_at is not None and i.due_at < now][:limit]
