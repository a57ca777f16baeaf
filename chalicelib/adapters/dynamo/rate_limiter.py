"""A fixed-window rate limiter: one atomic conditional ADD per attempt."""

from __future__ import annotations

import time
from collections.abc import Callable

from pynamodb.exceptions import PynamoDBException

from chalicelib.adapters.dynamo.errors import is_conditional_failure, translated
from chalicelib.adapters.dynamo.models.limits import RateLimitModel
from chalicelib.domain.errors import RateLimited


class DynamoRateLimiter:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def hit(self, bucket: str, limit: int, window_seconds: int) -> None:
        """Count one attempt in ``bucket``; raise RateLimited past ``limit`` in the window."""
        now = int(self._clock())
        window = now // window_seconds
        model = RateLimitModel(f"{bucket}#{window}")
        under_limit = RateLimitModel.hits.does_not_exist() | (RateLimitModel.hits < limit)
        with translated("rate limit"):
            try:
                model.update(
                    actions=[RateLimitModel.hits.add(1),
                             RateLimitModel.expires_at.set((window + 2) * window_seconds)],
                    condition=under_limit,
                )
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    retry = (window + 1) * window_seconds - now
                    raise RateLimited(
                        f"too many attempts; try again in {retry} seconds") from exc
                raise
