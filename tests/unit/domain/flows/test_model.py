import pytest

from chalicelib.domain.flows.model import FlowInvalid, flow_to_dict, parse_flow

DOC = {
    "description": "d",
    "initial_state": "Trigger",
    "flags": {"allow_concurrent_calls": True},
    "states": [
        {"name": "Trigger", "type": "trigger",
         "transitions": [{"event": "incomingCall", "next": "split"}], "properties": {}},
        {"name": "split", "type": "split-based-on", "properties": {"input": "{{x}}"},
         "transitions": [
             {"event": "noMatch"},
             {"event": "match", "next": "Trigger", "conditions": [
                 {"friendly_name": "f", "arguments": ["{{x}}"], "type": "equal_to",
                  "value": "1"}]}]},
    ],
}


def test_parse_flow_builds_states_transitions_and_conditions():
    flow = parse_flow(DOC)

    assert flow.initial_state == "Trigger"
    assert [s.name for s in flow.states] == ["Trigger", "split"]
    split = flow.state("split")
    assert split.transitions[0].next is None
    condition = split.transitions[1].conditions[0]
    assert (condition.type, condition.arguments, condition.value) == ("equal_to", ("{{x}}",), "1")
    assert flow.state("Trigger").next_for("incomingCall") == "split"
    assert flow.state("Trigger").next_for("incomingMessage") is None


def test_flow_to_dict_round_trips_through_parse_flow():
    flow = parse_flow(DOC)

    assert parse_flow(flow_to_dict(flow)) == flow


@pytest.mark.parametrize("doc, path", [
    ([], "$"),
    ({"states": []}, "$.states"),
    ({"states": [{"type": "trigger"}], "initial_state": "x"}, "$.states[0].name"),
    ({"states": [{"name": "a", "type": "trigger", "transitions": [{"next": "a"}]}],
      "initial_state": "a"}, "$.states[0].transitions[0]"),
    ({"states": [{"name": "a", "type": "say-play"}], "initial_state": "b"}, "$.initial_state"),
    ({"states": [{"name": "a", "type": "x"}, {"name": "a", "type": "y"}],
      "initial_state": "a"}, "$.states[1].name"),
])
def test_parse_flow_rejects_malformed_documents_naming_the_path(doc, path):
    with pytest.raises(FlowInvalid) as caught:
        parse_flow(doc)

    assert caught.value.issues[0].path == path
