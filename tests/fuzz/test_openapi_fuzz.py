"""schemathesis against the running app server with its own OpenAPI document, logged in as
the demo owner: no generated input, valid or not, may be answered with a 5xx.

Its CLI runs the examples, coverage and fuzzing phases over every operation in positive
and negative mode, with the `not_a_server_error` check only. Bounded for CI: at most
``MAX_EXAMPLES`` fuzzed cases per operation, no shrinking, and ``MAX_SECONDS`` in all.
One worker: schemathesis 4.32's coverage phase is not thread-safe (a race in Hypothesis's
lambda-source cache surfaces as a FlakyFailure). Its pytest plugin's lazy loader does not
run under pytest 9 (``Function._nodeid``), hence the CLI.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.stack import RunningStack

MAX_EXAMPLES = 15
MAX_SECONDS = 60
SEED = 20261130

pytestmark = pytest.mark.e2e


def test_no_input_yields_a_server_error(stack: RunningStack) -> None:
    # given the app's own OpenAPI document and a session of the demo owner
    owner = stack.owner()
    command = [str(Path(sys.executable).parent / "schemathesis"), "run",
               stack.app_url + "/api/openapi.json",
               "--checks", "not_a_server_error", "--phases", "examples,coverage,fuzzing",
               "--mode", "all", "--max-examples", str(MAX_EXAMPLES), "--no-shrink",
               "--max-time", str(MAX_SECONDS), "--seed", str(SEED),
               "--request-timeout", "30", "--workers", "1", "--continue-on-failure",
               "--header", f"Authorization: Bearer {owner.token}",
               "--no-color", "--warnings", "off"]
    # when schemathesis sends everything it generates
    began = time.monotonic()
    run = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 120,
                         check=False)
    elapsed = time.monotonic() - began
    cases = re.search(r"(\d+) generated", run.stdout)
    print(f"schemathesis: {cases.group(1) if cases else '?'} cases in {elapsed:.0f}s "
          f"(seed {SEED})")
    # then it ran, and no request was answered with a server error
    assert cases is not None and int(cases.group(1)) > 0, run.stdout[-3000:] + run.stderr
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]

