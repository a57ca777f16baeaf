"""``hotline flows validate|simulate`` as a developer runs them (python -m devtools.cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REAL = ROOT / "tests" / "fixtures" / "studio-flows" / "real"


def hotline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "devtools.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_validate_passes_the_default_flows():
    result = hotline("flows", "validate", "flows/voice-ivr.json", "flows/sms-autoreply.json",
                     "flows/shared-number-menu.json")
    assert result.returncode == 0, result.stdout
    assert result.stdout.count(": ok") == 3


def test_validate_fails_with_one_clear_line_per_error():
    result = hotline("flows", "validate", str(REAL / "callback-and-voicemail.json"))

    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("callback-and-voicemail.json: state 'SendCallToAgent' "
                             "($.states[1].properties.waitUrl): ${SERVERLESS_DOMAIN} is a "
                             "deployment placeholder that was never filled in: replace it "
                             "with a real value")
    assert lines[1].endswith("callback-and-voicemail.json: warning: state 'SendCallToAgent' "
                             "($.states[1].properties.workflow): 'workflow' holds "
                             "${WORKFLOW_SID}, an unfilled deployment placeholder; Hotline "
                             "runs this widget with its own queues, so it is kept only as "
                             "metadata")


def test_validate_passes_a_studio_export_and_prints_its_account_sids_as_warnings():
    result = hotline("flows", "validate", str(REAL / "autodialer.json"))

    assert result.returncode == 0, result.stdout
    [line] = result.stdout.strip().splitlines()
    assert "autodialer.json: warning: state 'enqueue' ($.states[3].properties.workflow_sid)" \
        in line
    assert "WW573b22630835278b6ae66155e7a59fd7, a TaskRouter workflow SID" in line


def test_validate_strict_fails_on_the_metadata_warnings():
    result = hotline("flows", "validate", "--strict", str(REAL / "autodialer.json"))
    assert result.returncode == 1


def test_simulate_prints_what_the_caller_hears_and_the_widgets_visited():
    result = hotline("flows", "simulate", "flows/voice-ivr.json", "--channel", "voice",
                     "--input", "digits=2", "--business-name", "Acme")

    assert result.returncode == 0, result.stderr
    assert "caller hears: Thanks for calling Acme." in result.stdout
    assert "[menu] gather-input-on-call -> keypress" in result.stdout
    assert "into queue 'support'" in result.stdout


def test_simulate_sms_as_json():
    result = hotline("flows", "simulate", "flows/sms-autoreply.json", "--channel", "sms",
                     "--input", "sms=Is my order ready?", "--closed", "--json")

    transcript = json.loads(result.stdout)
    assert "closed right now" in transcript["received"][0]
    assert {"widget": "business_hours", "type": "check-business-hours",
            "event": "closed"} in transcript["visits"]


def test_simulate_with_canned_http_responses(tmp_path):
    answer = tmp_path / "schedule.json"
    answer.write_text('{"isOpen": false, "closedReason": "manual"}')

    result = hotline("flows", "simulate", str(REAL / "schedule-manager.json"),
                     "--http-response", f"https://={answer}")

    assert "We are currently closed due to unforseen circumstances." in result.stdout
