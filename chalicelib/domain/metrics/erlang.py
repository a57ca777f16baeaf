"""Erlang C (M/M/N, customers wait forever): P(wait), service level, ASA, occupancy, and
the agents needed for a target.

    A = λ · AHT                      offered load in Erlangs
    B(0) = 1,  B(n) = A·B(n-1) / (n + A·B(n-1))        Erlang B, iteratively
    C = N·B(N) / (N - A·(1 - B(N)))  P(wait), for N > A (else every caller waits: 1)
    SL(t) = 1 - C · exp(-(N - A) · t / AHT)
    ASA = C · AHT / (N - A)
    occupancy = A / N

The recurrence runs on 1/B in log space, so it neither overflows nor underflows for
thousands of agents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput

MAX_AGENTS = 100_000


def log_inverse_erlang_b(agents: int, load: float) -> float:
    """log(1 / B(agents, load)), by 1/B(n) = 1 + (n/A) · 1/B(n-1)."""
    if load <= 0:
        return math.inf if agents > 0 else 0.0
    log_inv = 0.0
    for n in range(1, agents + 1):
        x = math.log(n / load) + log_inv  # log((n/A) · 1/B(n-1))
        log_inv = x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))
    return log_inv


def erlang_b(agents: int, load: float) -> float:
    return math.exp(-log_inverse_erlang_b(agents, load))


def erlang_c(agents: int, load: float) -> float:
    """P(wait > 0): C = N / ((N - A)·(1/B) + A)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    log_den = _logaddexp(math.log(agents - load) + log_inverse_erlang_b(agents, load),
                         math.log(load))
    return math.exp(math.log(agents) - log_den)


def _logaddexp(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return hi + math.log1p(math.exp(lo - hi))


@dataclass(frozen=True)
class Traffic:
    """Calls per hour, average handle time and the answer-time target, in seconds."""

    calls_per_hour: float
    aht_seconds: float
    target_seconds: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.calls_per_hour) or self.calls_per_hour < 0:
            raise InvalidInput("calls per hour must be zero or more", path="calls_per_hour")
        if not math.isfinite(self.aht_seconds) or self.aht_seconds <= 0:
            raise InvalidInput("AHT must be more than 0 seconds", path="aht")
        if not math.isfinite(self.target_seconds) or self.target_seconds < 0:
            raise InvalidInput("the target must be zero or more seconds", path="target")

    @property
    def load(self) -> float:
        return self.calls_per_hour * self.aht_seconds / 3600.0


@dataclass(frozen=True)
class Performance:
    """What a number of agents achieves. ``p_abandon`` is 0 under Erlang C. Under an
    overload Erlang C cannot reach (agents ≤ load) the queue grows without bound:
    P(wait) = 1, SL = 0, ASA = ∞."""

    model: str
    agents: int
    load: float
    p_wait: float
    service_level: float
    asa_seconds: float
    occupancy: float
    p_abandon: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"model": self.model, "agents": self.agents, "load_erlangs": self.load,
                "p_wait": self.p_wait, "service_level": self.service_level,
                "asa_seconds": self.asa_seconds if math.isfinite(self.asa_seconds) else None,
                "occupancy": self.occupancy, "p_abandon": self.p_abandon}


def check_agents(agents: int) -> None:
    if agents < 1 or agents > MAX_AGENTS:
        raise InvalidInput(f"agents must be between 1 and {MAX_AGENTS}", path="agents")


def check_service_level(target: float) -> None:
    if not 0.0 <= target < 1.0:
        raise InvalidInput("the service level target must be at least 0 and below 1",
                           path="service_level")


def erlang_c_performance(traffic: Traffic, agents: int) -> Performance:
    check_agents(agents)
    load = traffic.load
    if load == 0:
        return Performance("erlang-c", agents, 0.0, 0.0, 1.0, 0.0, 0.0)
    if agents <= load:
        return Performance("erlang-c", agents, load, 1.0, 0.0, math.inf, 1.0)
    c = erlang_c(agents, load)
    sl = 1.0 - c * math.exp(-(agents - load) * traffic.target_seconds / traffic.aht_seconds)
    asa = c * traffic.aht_seconds / (agents - load)
    return Performance("erlang-c", agents, load, c, sl, asa, load / agents)


def erlang_c_agents(traffic: Traffic, service_level: float,
                    max_occupancy: float = 1.0) -> Performance:
    """The fewest agents whose service level reaches ``service_level`` (and whose
    occupancy stays at or below ``max_occupancy``)."""
    check_service_level(service_level)
    if traffic.load == 0:
        return erlang_c_performance(traffic, 1)
    agents = max(1, math.floor(traffic.load) + 1)
    while agents <= MAX_AGENTS:
        performance = erlang_c_performance(traffic, agents)
        if performance.service_level >= service_level and performance.occupancy <= max_occupancy:
            return performance
        agents += 1
    raise InvalidInput(f"more than {MAX_AGENTS} agents would be needed", path="calls_per_hour")
