"""Erlang A (Palm's M/M/N+M): callers abandon after an exponential patience of mean θ⁻¹.

The number of callers in the system is a birth-and-death process: arrivals at rate λ;
departures at n·μ with n ≤ N callers, and N·μ + (n - N)·θ with n > N (service plus
abandonment). Its stationary law, relative to the state with N callers, is

    π(k)/π(N) = 1/B(N, A) · (share of k among k ≤ N)   for k ≤ N   (A = λ/μ)
    π(N+m)/π(N) = t(m) = Π_{j=1..m} λ / (Nμ + jθ)       for m ≥ 1

so with Z = 1/B(N, A) + Σ_{m≥1} t(m), an arrival finds N+p-1 callers (and is the p-th in
the queue) with probability w(p) = t(p-1)/Z (PASTA). For the p-th in the queue, each
position i takes an Exp(Nμ + iθ) time, and the caller reaches an agent with probability
Π (Nμ+(i-1)θ)/(Nμ+iθ) = Nμ/(Nμ+pθ). Hence

    P(wait)    = Σ_p w(p)
    P(abandon) = Σ_p w(p) · pθ/(Nμ + pθ)
    ASA        = Σ_p w(p) · Nμ/(Nμ+pθ) · Σ_{i=1..p} 1/(Nμ+iθ)  /  (1 - P(abandon))

and the time to reach an agent ignoring one's own patience is a sum of Exp(Nμ + jθ),
j = 0..p-1, whose count process is negative binomial; with x = e^{-θt}, r = Nμ/θ:

    P(answered within t | p) = r/(r+p) · (1 - Σ_{k=0..p-1} C(k+r, k) x^{r+1} (1-x)^k)
    SL(t) = 1 - P(wait) + Σ_p w(p) · P(answered within t | p)

SL here is the share of ALL offered calls answered within t: an abandon counts against it
(Flex-style denominator). ASA is the mean wait of answered calls. Everything is summed in
log space, so heavy overloads and thousands of agents stay finite. References:
Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with applications to call centers" (2005);
Garnett, Mandelbaum & Reiman, "Designing a call center with impatient customers" (2002).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.erlang import (
    MAX_AGENTS,
    Performance,
    Traffic,
    check_agents,
    check_service_level,
    log_inverse_erlang_b,
)

MAX_QUEUE_TERMS = 2_000_000
NEGLIGIBLE = math.log(1e-18)


@dataclass(frozen=True)
class _Queue:
    """The stationary queue seen by arrivals: log w(p) for p = 1.. (truncated)."""

    log_w: list[float]


def _logsumexp(values: list[float]) -> float:
    if not values:
        return -math.inf
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def _queue(agents: int, lam: float, mu: float, theta: float) -> _Queue:
    service = agents * mu
    log_inv_b = log_inverse_erlang_b(agents, lam / mu)
    logs = [0.0]  # log t(m), m = 0, 1, ...
    peak = (lam - service) / theta  # t(m) grows while Nμ + mθ < λ
    m, log_t, top = 0, 0.0, 0.0
    while True:
        m += 1
        log_t += math.log(lam / (service + m * theta))
        logs.append(log_t)
        top = max(top, log_t)
        if m > peak and log_t < top + NEGLIGIBLE:
            break
        if m > MAX_QUEUE_TERMS:
            raise InvalidInput("patience is too long for this load; use Erlang C",
                               path="patience")
    log_z = _logsumexp([log_inv_b, _logsumexp(logs[1:])])
    return _Queue([v - log_z for v in logs])


def erlang_a_performance(traffic: Traffic, agents: int, patience_seconds: float) -> Performance:
    check_agents(agents)
    if not math.isfinite(patience_seconds) or patience_seconds <= 0:
        raise InvalidInput("patience must be more than 0 seconds", path="patience")
    lam = traffic.calls_per_hour / 3600.0
    if lam == 0:
        return Performance("erlang-a", agents, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)
    mu, theta = 1.0 / traffic.aht_seconds, 1.0 / patience_seconds
    service = agents * mu
    queue = _queue(agents, lam, mu, theta)
    p_wait = p_abandon = answered_wait = answered_in_time = 0.0
    harmonic = 0.0
    t = traffic.target_seconds
    r, log_x = service / theta, -theta * t
    log_1mx = math.log(-math.expm1(-theta * t)) if t > 0 else -math.inf
    # Negative-binomial terms C(k+r, k) x^{r+1} (1-x)^k and their running sum over k < p.
    log_term, cumulative = (r + 1) * log_x, 0.0
    for p, log_w in enumerate(queue.log_w, start=1):
        w = math.exp(log_w)
        harmonic += 1.0 / (service + p * theta)
        reach = service / (service + p * theta)
        p_wait += w
        p_abandon += w * (1.0 - reach)
        answered_wait += w * reach * harmonic
        if t > 0:
            if p > 1:
                log_term += math.log((p - 1 + r) / (p - 1)) + log_1mx
            cumulative += math.exp(log_term)
            answered_in_time += w * reach * max(0.0, 1.0 - cumulative)
    p_wait, p_abandon = min(1.0, p_wait), min(1.0, p_abandon)
    answered = 1.0 - p_abandon
    asa = answered_wait / answered if answered > 0 else math.inf
    load = lam / mu
    return Performance("erlang-a", agents, load, p_wait,
                       service_level=min(1.0, 1.0 - p_wait + answered_in_time),
                       asa_seconds=asa, occupancy=min(1.0, load * answered / agents),
                       p_abandon=p_abandon)


def erlang_a_agents(traffic: Traffic, service_level: float, patience_seconds: float,
                    max_abandon: float = 1.0) -> Performance:
    """The fewest agents reaching ``service_level`` (and abandoning at most
    ``max_abandon``). Both improve with every agent added, so a doubling then bisection
    search finds the fewest."""
    check_service_level(service_level)
    if not 0.0 <= max_abandon <= 1.0:
        raise InvalidInput("max_abandon must be between 0 and 1", path="max_abandon")

    def good(n: int) -> Performance | None:
        perf = erlang_a_performance(traffic, n, patience_seconds)
        ok = perf.service_level >= service_level and perf.p_abandon <= max_abandon
        return perf if ok else None

    hi = 1
    while good(hi) is None:
        if hi >= MAX_AGENTS:
            raise InvalidInput(f"more than {MAX_AGENTS} agents would be needed",
                               path="calls_per_hour")
        hi = min(MAX_AGENTS, hi * 2)
    lo = hi // 2  # good(lo) is None, or lo == 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if good(mid) is None:
            lo = mid
        else:
            hi = mid
    found = good(hi)
    assert found is not None
    return found
