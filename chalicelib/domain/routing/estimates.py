"""Expected wait: from the caller's position, recent handle times and staffed agents.

The estimate is the time for the agents on duty to work through the callers ahead:
``position x average handle time / staffed agents``. Handle time (accept to end of
wrap-up) comes from the last hours' totals; with too few samples, a default is used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_HANDLE_SECONDS = 240.0
MIN_SAMPLES = 3


@dataclass(frozen=True)
class HandleTimes:
    """Completed tasks and their summed handle time, over some recent window."""

    count: int = 0
    total_seconds: float = 0.0

    def __add__(self, other: HandleTimes) -> HandleTimes:
        return HandleTimes(self.count + other.count, self.total_seconds + other.total_seconds)


def average_handle_seconds(windows: Iterable[HandleTimes],
                           default: float = DEFAULT_HANDLE_SECONDS) -> float:
    total = sum(windows, HandleTimes())
    if total.count < MIN_SAMPLES:
        return default
    return total.total_seconds / total.count


def expected_wait_seconds(position: int, average_handle: float, staffed: int) -> float | None:
    """None when nobody is staffed: there is no honest estimate to give."""
    if staffed <= 0:
        return None
    return max(0, position) * average_handle / staffed


@dataclass(frozen=True)
class WaitEstimate:
    position: int          # 1 = next in line
    position_capped: bool  # more callers ahead than were counted
    expected_seconds: float | None

    def announcement(self) -> str:
        if self.position_capped:
            where = f"There are more than {self.position - 1} callers ahead of you."
        elif self.position <= 1:
            where = "You are next in line."
        else:
            where = f"You are number {self.position} in line."
        if self.expected_seconds is None:
            return where
        minutes = math.ceil(self.expected_seconds / 60)
        if minutes <= 1:
            return f"{where} Your expected wait is less than a minute."
        return f"{where} Your expected wait is about {minutes} minutes."
