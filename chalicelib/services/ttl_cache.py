"""A tiny per-container cache: warm Lambdas skip lookups they made moments ago."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class TtlCache:
    """Values by key, each kept for ``ttl`` seconds; cleared whole past 512 keys."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._items: dict[Any, tuple[float, Any]] = {}

    def get_or_load(self, key: Any, load: Callable[[], Any]) -> Any:
        hit = self._items.get(key)
        if hit is not None and hit[0] > self.clock():
            return hit[1]
        value = load()
        if len(self._items) > 512:
            self._items.clear()
        self._items[key] = (self.clock() + self.ttl, value)
        return value

    def forget(self, key: Any) -> None:
        """Drop one key: the next read loads it again (a change made in this container)."""
        self._items.pop(key, None)
