"""Every single-widget fixture from the shared Studio samples parses into its widget."""

import json
from pathlib import Path

import pytest

from chalicelib.domain.flows.model import parse_flow
from chalicelib.domain.flows.validation import validate_flow
from chalicelib.domain.flows.widgets import HANDLERS, TRIGGER, UNSUPPORTED

WIDGETS = Path(__file__).resolve().parents[3] / "fixtures" / "studio-flows" / "widgets"
FILES = sorted(WIDGETS.glob("*.json"))


def as_flow(raw: dict) -> dict:
    if "states" in raw:
        return raw
    return {"description": "fixture", "initial_state": raw["name"], "flags": {},
            "states": [raw]}


def test_every_fixture_is_covered():
    assert len(FILES) == 53


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture_parses_into_its_widget_with_its_transitions(path):
    raw = json.loads(path.read_text())
    raw_state = raw["states"][0] if "states" in raw else raw

    flow = parse_flow(as_flow(raw))

    state = flow.states[0]
    assert state.type == raw_state["type"]
    assert state.type in HANDLERS or state.type == TRIGGER or state.type in UNSUPPORTED
    assert [(t.event, t.next) for t in state.transitions] == [
        (t["event"], t.get("next")) for t in raw_state["transitions"]]
    for transition, raw_transition in zip(state.transitions, raw_state["transitions"],
                                          strict=True):
        assert len(transition.conditions) == len(raw_transition.get("conditions", []))
    assert dict(state.properties) == raw_state["properties"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture_validation_names_unsupported_widgets_and_never_crashes(path):
    raw = json.loads(path.read_text())
    raw_state = raw["states"][0] if "states" in raw else raw

    issues = validate_flow(as_flow(raw))

    unsupported = [i for i in issues if i.code == "unsupported-widget"]
    expected = raw_state["type"] in UNSUPPORTED or raw_state["properties"].get("noun") == "sim"
    assert bool(unsupported) == expected
    assert all(i.state == raw_state["name"] for i in issues if i.state)
