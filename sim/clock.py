"""Simulated time: every wait in the simulator is a number of simulated seconds.

`time_scale` converts them to real seconds (0.05 makes a 5 s Gather timeout last 0.25 s).
Durations reported to the app (CallDuration, QueueTime, RecordingDuration) are in simulated
seconds, so they look like a real call whatever the scale.
"""

from __future__ import annotations

import time

# How long media takes, in simulated seconds. Text-to-speech runs at about 150 words a minute;
# the simulator cannot know an audio file's length, so a <Play> lasts PLAY_SECONDS per loop.
SAY_SECONDS_PER_WORD = 0.4
SAY_MIN_SECONDS = 1.0
PLAY_SECONDS = 5.0
DIGIT_TONE_SECONDS = 0.1
FOREVER = 10.0**7


class Clock:
    """Converts between simulated and real seconds."""

    def __init__(self, time_scale: float) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.scale = time_scale

    def real(self, sim_seconds: float) -> float:
        return sim_seconds * self.scale

    def now(self) -> float:
        """Monotonic real time; differences go through `elapsed`."""
        return time.monotonic()

    def elapsed(self, since: float, until: float | None = None) -> float:
        """Simulated seconds between two `now()` readings."""
        end = self.now() if until is None else until
        return max(0.0, (end - since) / self.scale)

    def deadline(self, sim_seconds: float) -> float:
        return self.now() + self.real(sim_seconds)


def say_seconds(text: str) -> float:
    return max(SAY_MIN_SECONDS, len(text.split()) * SAY_SECONDS_PER_WORD)
