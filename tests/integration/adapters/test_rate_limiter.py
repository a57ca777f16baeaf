from __future__ import annotations

import uuid

import pytest

from chalicelib.adapters.dynamo.rate_limiter import DynamoRateLimiter
from chalicelib.domain.errors import RateLimited


def test_attempts_past_the_limit_are_refused_until_the_window_turns(settings):
    now = [10_000.0]
    limiter = DynamoRateLimiter(clock=lambda: now[0])
    bucket = f"login#{uuid.uuid4().hex}"
    for _ in range(3):
        limiter.hit(bucket, limit=3, window_seconds=60)
    with pytest.raises(RateLimited, match="try again in"):
        limiter.hit(bucket, limit=3, window_seconds=60)
    now[0] += 60
    limiter.hit(bucket, limit=3, window_seconds=60)
