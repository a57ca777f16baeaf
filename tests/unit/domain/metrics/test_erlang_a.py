"""Erlang A (M/M/N+M) against an independent implementation and independent methods.

Reference values (SOURCE): the open-source discrete-event simulator Ciw, version 3.2.7
(Palmer, Knight, Harper & Tuson, "Ciw: An open-source discrete event simulation library",
Journal of Simulation 13(1), 2019; pypi.org/project/Ciw), simulating an M/M/N queue with
exponential reneging (``reneging_time_distributions``), ~980,000 callers per case after a
2 % warm-up, seeds 11 and 12, run once with `ciw.create_network(arrival_distributions=
[Exponential(λ)], service_distributions=[Exponential(1/AHT)], number_of_servers=[N],
reneging_time_distributions=[Exponential(1/patience)])` and
`Simulation.simulate_until_max_time(3e7 | 1.2e7)`. Measured:

  λ/h  AHT  patience N  target | P(wait)  P(abandon)  SL(answered≤t / all)  ASA
  120  240  120      10 20 s   | 0.2461   0.0680      0.8265                6.537 s
  300  240  180      18 30 s   | 0.6636   0.1543      0.5470                26.531 s

Simulation estimates carry sampling error (callers in one busy period are correlated), so
they are compared within 0.01 (probabilities) and 2.5 % (ASA). The exact checks below are
to 1e-9: the birth-and-death chain solved directly, the tagged caller's chain solved by
uniformization, and two limits with closed forms (patience = AHT is M/M/∞; endless
patience is Erlang C).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.erlang import Traffic, erlang_c_performance
from chalicelib.domain.metrics.erlang_a import erlang_a_agents, erlang_a_performance

CIW = [
    # (calls/hour, AHT, patience, agents, target), (P(wait), P(abandon), SL, ASA)
    ((120, 240, 120, 10, 20), (0.2461, 0.0680, 0.8265, 6.537)),
    ((300, 240, 180, 18, 30), (0.6636, 0.1543, 0.5470, 26.531)),
]


@pytest.mark.parametrize(("given", "measured"), CIW)
def test_matches_the_ciw_simulation(given, measured):
    rate, aht, patience, agents, target = given
    p_wait, p_abandon, sl, asa = measured
    performance = erlang_a_performance(Traffic(rate, aht, target), agents, patience)
    assert performance.p_wait == pytest.approx(p_wait, abs=0.01)
    assert performance.p_abandon == pytest.approx(p_abandon, abs=0.01)
    assert performance.service_level == pytest.approx(sl, abs=0.01)
    assert performance.asa_seconds == pytest.approx(asa, rel=0.025)


def stationary(agents: int, lam: float, mu: float, theta: float, states: int = 4000,
               ) -> list[float]:
    """π(k) of the birth-and-death chain, by plain balance: π(k+1) = π(k)·λ/death(k+1)."""
    weights = [1.0]
    for k in range(1, states):
        death = min(k, agents) * mu + max(0, k - agents) * theta
        weights.append(weights[-1] * lam / death)
    total = sum(weights)
    return [w / total for w in weights]


@pytest.mark.parametrize(("rate", "aht", "patience", "agents"), [
    (120, 240, 120, 10), (300, 240, 180, 18), (60, 300, 600, 3), (900, 180, 45, 40),
])
def test_p_wait_and_p_abandon_equal_the_directly_solved_chain(rate, aht, patience, agents):
    lam, mu, theta = rate / 3600, 1 / aht, 1 / patience
    pi = stationary(agents, lam, mu, theta)
    p_wait = sum(pi[agents:])
    queue = sum((k - agents) * p for k, p in enumerate(pi) if k > agents)
    performance = erlang_a_performance(Traffic(rate, aht, 20), agents, patience)
    assert performance.p_wait == pytest.approx(p_wait, rel=1e-9)
    # Abandons per second = θ·E[queue]; as a share of arrivals, divide by λ.
    assert performance.p_abandon == pytest.approx(theta * queue / lam, rel=1e-9)


def uniformized_service_level(agents: int, lam: float, mu: float, theta: float,
                              target: float) -> float:
    """P(answered within t) by following a tagged caller, from each queue position, with
    uniformization: an independent route to the closed form in erlang_a.py."""
    pi = stationary(agents, lam, mu, theta)
    positions = len(pi) - agents
    while positions > 1 and pi[agents + positions - 1] < 1e-18:
        positions -= 1
    advance = [0.0] + [agents * mu + (p - 1) * theta for p in range(1, positions + 1)]
    rate = agents * mu + positions * theta
    served = [1.0] + [0.0] * positions  # P(served within k jumps | position p)
    steps = int(rate * target + 12 * math.sqrt(rate * target) + 30)
    poisson = math.exp(-rate * target)
    within = [poisson * s for s in served]
    for k in range(1, steps + 1):
        served = [1.0] + [advance[p] / rate * served[p - 1]
                          + (1 - (advance[p] + theta) / rate) * served[p]
                          for p in range(1, positions + 1)]
        poisson *= rate * target / k
        within = [w + poisson * s for w, s in zip(within, served, strict=True)]
    arrive_free = sum(pi[:agents])
    return arrive_free + sum(pi[agents + p - 1] * within[p] for p in range(1, positions + 1))


@pytest.mark.parametrize(("rate", "aht", "patience", "agents", "target"), [
    (120, 240, 120, 10, 20), (300, 240, 180, 18, 30), (60, 300, 600, 3, 60),
])
def test_service_level_equals_the_uniformized_tagged_caller(rate, aht, patience, agents,
                                                             target):
    expected = uniformized_service_level(agents, rate / 3600, 1 / aht, 1 / patience, target)
    performance = erlang_a_performance(Traffic(rate, aht, target), agents, patience)
    assert performance.service_level == pytest.approx(expected, rel=1e-9)


def test_patience_equal_to_aht_is_an_infinite_server_queue():
    # θ = μ: everyone leaves at rate μ, waiting or served, so the number of callers is
    # Poisson(A): P(wait) = P(Poisson(8) >= 10), P(abandon) = E[(K-10)+] / 8.
    load, agents = 8.0, 10
    pmf = [math.exp(-load) * load ** k / math.factorial(k) for k in range(120)]
    performance = erlang_a_performance(Traffic(120, 240, 20), agents, 240)
    assert performance.p_wait == pytest.approx(sum(pmf[agents:]), rel=1e-12)
    assert performance.p_abandon == pytest.approx(
        sum((k - agents) * p for k, p in enumerate(pmf) if k > agents) / load, rel=1e-10)


def test_endless_patience_is_erlang_c():
    traffic = Traffic(120, 240, 20)
    c = erlang_c_performance(traffic, 10)
    a = erlang_a_performance(traffic, 10, 1e9)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-5)
    assert a.service_level == pytest.approx(c.service_level, rel=1e-5)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, rel=1e-5)
    assert a.p_abandon < 1e-6


def test_an_overload_is_stable_with_abandons():
    # 8 Erlangs on 6 agents: Erlang C has no steady state; Erlang A loses the excess.
    performance = erlang_a_performance(Traffic(120, 240, 20), 6, 60)
    assert 0 < performance.p_abandon < 1
    assert math.isfinite(performance.asa_seconds)
    # Carried load = A(1 - P(ab)) <= N.
    assert 8 * (1 - performance.p_abandon) <= 6 + 1e-9


def test_a_large_overloaded_centre_stays_finite():
    performance = erlang_a_performance(Traffic(20000, 300, 20), 1200, 3600)
    assert 0.0 <= performance.service_level <= 1.0
    assert 0.0 < performance.p_abandon < 1.0


def test_agents_needed_is_the_fewest_meeting_the_target():
    traffic = Traffic(120, 240, 20)
    needed = erlang_a_agents(traffic, 0.8, 120)
    assert needed.agents == 10
    assert needed.service_level >= 0.8
    assert erlang_a_performance(traffic, 9, 120).service_level < 0.8
    # Capping abandons at 2 % asks for more.
    capped = erlang_a_agents(traffic, 0.8, 120, max_abandon=0.02)
    assert capped.p_abandon <= 0.02
    assert erlang_a_performance(traffic, capped.agents - 1, 120).p_abandon > 0.02


def test_bad_patience_names_the_field():
    with pytest.raises(InvalidInput) as raised:
        erlang_a_performance(Traffic(120, 240, 20), 10, 0)
    assert raised.value.path == "patience"


@settings(max_examples=40, deadline=None)
@given(st.floats(10, 600), st.floats(60, 600), st.floats(10, 900), st.floats(0, 60),
       st.floats(0.3, 0.95))
def test_the_bisection_finds_the_same_agents_as_counting_up(rate, aht, patience, target,
                                                            level):
    traffic = Traffic(rate, aht, target)
    found = erlang_a_agents(traffic, level, patience)
    counted = next(n for n in range(1, 500)
                   if erlang_a_performance(traffic, n, patience).service_level >= level)
    assert found.agents == counted
