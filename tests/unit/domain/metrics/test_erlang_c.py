"""Erlang C against the issue's reference case and an exact rational computation of the
textbook formula (an independent method: factorials, no recurrence, no floats)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.metrics.erlang import (
    Traffic,
    erlang_b,
    erlang_c,
    erlang_c_agents,
    erlang_c_performance,
)


def exact_erlang_c(agents: int, load: Fraction) -> Fraction:
    """C(N, A) = (A^N/N! · N/(N-A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N-A)), exactly."""
    terms = [load ** k / math.factorial(k) for k in range(agents + 1)]
    top = terms[agents] * agents / (agents - load)
    return top / (sum(terms[:agents]) + top)


def test_ten_agents_eight_erlangs_the_issue_reference_case():
    # 120 calls/hour x 240 s = 8 Erlangs, 10 agents, 20 s target.
    performance = erlang_c_performance(Traffic(120, 240, 20), 10)
    assert performance.load == 8.0
    assert performance.p_wait == pytest.approx(0.409, abs=5e-4)
    assert performance.service_level == pytest.approx(0.654, abs=5e-4)
    assert performance.asa_seconds == pytest.approx(49.1, abs=0.05)
    assert performance.occupancy == pytest.approx(0.8)
    # The same case exactly: C = 0.40918015...
    assert performance.p_wait == pytest.approx(float(exact_erlang_c(10, Fraction(8))),
                                               rel=1e-12)


@pytest.mark.parametrize(("agents", "load"), [
    (1, Fraction(1, 2)), (2, Fraction(3, 2)), (5, Fraction(4)), (11, Fraction(8)),
    (14, Fraction(10)), (30, Fraction(25)), (57, Fraction(503, 10)), (120, Fraction(100)),
])
def test_p_wait_matches_the_exact_rational_formula(agents, load):
    assert erlang_c(agents, float(load)) == pytest.approx(float(exact_erlang_c(agents, load)),
                                                          rel=1e-11)


def test_large_centres_stay_finite_and_exact():
    # 2,000 agents at 1,900 Erlangs: factorials of 2,000 overflow floats; the log-space
    # recurrence does not.
    exact = float(exact_erlang_c(2000, Fraction(1900)))
    assert erlang_c(2000, 1900.0) == pytest.approx(exact, rel=1e-9)
    # 5,000 agents for 100 Erlangs: nobody waits (B underflows to 0 without harm).
    assert erlang_c(5000, 100.0) == 0.0
    assert erlang_b(5000, 100.0) == 0.0


def test_service_level_and_asa_formulas_on_an_exact_case():
    # 14 agents, 10 Erlangs (100 calls in 30 minutes of 180 s), 20 s target:
    # SL = 1 - C·e^{-(N-A)t/AHT}, ASA = C·AHT/(N-A).
    c = float(exact_erlang_c(14, Fraction(10)))
    performance = erlang_c_performance(Traffic(200, 180, 20), 14)
    assert performance.service_level == pytest.approx(1 - c * math.exp(-4 * 20 / 180))
    assert performance.asa_seconds == pytest.approx(c * 180 / 4)


def test_agents_needed_is_the_fewest_meeting_the_target():
    needed = erlang_c_agents(Traffic(120, 240, 20), 0.8)
    assert needed.agents == 11
    assert needed.service_level == pytest.approx(0.809, abs=5e-4)
    assert erlang_c_performance(Traffic(120, 240, 20), 10).service_level < 0.8


def test_an_overload_has_no_finite_wait():
    performance = erlang_c_performance(Traffic(120, 240, 20), 8)
    assert (performance.p_wait, performance.service_level) == (1.0, 0.0)
    assert math.isinf(performance.asa_seconds)
    assert performance.to_dict()["asa_seconds"] is None


def test_no_calls_need_one_agent_and_nobody_waits():
    performance = erlang_c_agents(Traffic(0, 240, 20), 0.8)
    assert (performance.agents, performance.p_wait, performance.service_level) == (1, 0.0, 1.0)


@pytest.mark.parametrize(("build", "path"), [
    (lambda: Traffic(-1, 240, 20), "calls_per_hour"),
    (lambda: Traffic(10, 0, 20), "aht"),
    (lambda: Traffic(10, 240, -1), "target"),
    (lambda: Traffic(float("nan"), 240, 20), "calls_per_hour"),
    (lambda: erlang_c_agents(Traffic(10, 240, 20), 1.0), "service_level"),
    (lambda: erlang_c_agents(Traffic(10, 240, 20), -0.1), "service_level"),
    (lambda: erlang_c_performance(Traffic(10, 240, 20), 0), "agents"),
])
def test_bad_input_names_the_field(build, path):
    with pytest.raises(InvalidInput) as raised:
        build()
    assert raised.value.path == path


@settings(max_examples=100, deadline=None)
@given(st.floats(1, 5000), st.floats(30, 900), st.floats(0, 120),
       st.floats(0.5, 0.95))
def test_one_agent_fewer_than_recommended_misses_the_target(rate, aht, target, level):
    traffic = Traffic(rate, aht, target)
    needed = erlang_c_agents(traffic, level)
    assert needed.service_level >= level
    if needed.agents > 1:
        assert erlang_c_performance(traffic, needed.agents - 1).service_level < level
