"""``hotline staffing`` as a developer runs it: through ``main`` with captured output, and
once as a subprocess (python -m devtools.cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.cli import main

ROOT = Path(__file__).resolve().parents[3]
BASE = ["staffing", "--calls-per-hour", "120", "--aht", "240", "--target", "20"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main([*BASE, *args])
    except SystemExit as exc:  # argparse errors exit 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_agents_needed_with_erlang_c(capsys):
    code, out, _ = run(capsys, "--service-level", "0.8")
    assert code == 0
    assert "Erlang C: 11 agents" in out
    assert "P(wait)        24.5 %" in out
    assert "service level  80.9 % answered within 20 s" in out
    assert "ASA            19.6 s" in out
    assert "occupancy      72.7 %" in out
    assert "P(abandon)" not in out


def test_given_agents_prints_their_figures(capsys):
    code, out, _ = run(capsys, "--agents", "10")
    assert code == 0
    assert "Erlang C: 10 agents" in out
    assert "P(wait)        40.9 %" in out
    assert "service level  65.4 % answered within 20 s" in out
    assert "ASA            49.1 s" in out
    assert "occupancy      80.0 %" in out


def test_given_agents_and_a_target_says_whether_it_is_met(capsys):
    _, out, _ = run(capsys, "--agents", "10", "--service-level", "0.8")
    assert out.strip().endswith("target 80.0 %: NOT met")


def test_with_patience_prints_erlang_a_and_p_abandon(capsys):
    code, out, _ = run(capsys, "--service-level", "0.8", "--patience", "120")
    assert code == 0
    assert "Erlang A: 10 agents" in out
    assert "P(abandon)     6.8 %" in out
    assert "service level  82.5 % answered within 20 s" in out
    assert "(Erlang C, callers never abandoning, would need 11 agents)" in out


def test_json_output(capsys):
    code, out, _ = run(capsys, "--service-level", "0.8", "--patience", "120", "--json")
    body = json.loads(out)
    assert code == 0
    assert (body["model"], body["agents"]) == ("erlang-a", 10)
    assert body["p_abandon"] == pytest.approx(0.0684, abs=1e-4)
    assert body["erlang_c"]["agents"] == 11
    assert set(body) >= {"p_wait", "service_level", "asa_seconds", "occupancy"}


def test_an_overload_prints_an_unbounded_wait(capsys):
    code, out, _ = run(capsys, "--agents", "8", "--json")
    body = json.loads(out)
    assert code == 0
    assert (body["p_wait"], body["service_level"], body["asa_seconds"]) == (1.0, 0.0, None)


@pytest.mark.parametrize(("args", "message"), [
    (["--service-level", "80"], "argument --service-level: 80 is not valid: the service "
                                "level is a fraction from 0 to below 1 (0.8 for 80 %)"),
    (["--service-level", "-0.1"], "argument --service-level: -0.1 is not valid"),
    (["--service-level", "0.8", "--patience", "0"], "argument --patience: 0 is not valid"),
    (["--service-level", "0.8", "--agents", "0"], "argument --agents: 0 is not valid"),
    (["--service-level", "lots"], "argument --service-level: 'lots' is not a number"),
    ([], "give --service-level X (the target), or --agents N"),
])
def test_bad_input_is_a_clear_error(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_negative_rate_is_a_clear_error(capsys):
    try:
        code = main(["staffing", "--calls-per-hour", "-5", "--aht", "240", "--target", "20",
                     "--service-level", "0.8"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    _, err = capsys.readouterr()
    assert code == 2
    assert "argument --calls-per-hour: -5 is not valid: calls per hour must be at least 0" in err


def test_runs_as_the_hotline_command():
    result = subprocess.run([sys.executable, "-m", "devtools.cli", *BASE, "--agents", "10",
                             "--patience", "240", "--json"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    # Patience equal to the AHT: Erlang A's P(wait) is P(Poisson(8) >= 10) = 0.2834.
    assert body["p_wait"] == pytest.approx(0.28338, abs=1e-5)
