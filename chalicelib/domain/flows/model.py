"""A Studio flow definition as frozen domain objects, and the parser that builds them.

The format is Twilio Studio's: ``description``, ``states``, ``initial_state`` and
``flags``; each state has ``name``, ``type``, ``transitions`` (``event``, ``next``,
``conditions``) and ``properties``. ``parse_flow`` checks only the structure it needs to
build the objects; ``validation.validate_flow`` reports everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import InvalidInput


@dataclass(frozen=True)
class ValidationIssue:
    """One problem in a flow document, named by its state and JSON path."""

    code: str
    message: str
    state: str | None
    path: str
    severity: str = "error"

    def describe(self) -> str:
        where = f"state '{self.state}' ({self.path})" if self.state else self.path
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "state": self.state,
                "path": self.path, "severity": self.severity}


class FlowInvalid(InvalidInput):
    """The flow document cannot be parsed or is not valid; ``issues`` says why."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        first = issues[0].describe() if issues else "the flow is invalid"
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(f"{first}{more}", issues[0].path if issues else "$")
        self.issues = issues


@dataclass(frozen=True)
class Condition:
    """One test of a split-based-on transition: ``type(arguments[0], value)``."""

    type: str
    arguments: tuple[str, ...]
    value: str
    friendly_name: str = ""


@dataclass(frozen=True)
class Transition:
    event: str
    next: str | None = None
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class State:
    name: str
    type: str
    transitions: tuple[Transition, ...]
    properties: Mapping[str, Any] = field(default_factory=dict)

    def next_for(self, event: str) -> str | None:
        """The state that follows ``event``, or None when the flow ends there."""
        for transition in self.transitions:
            if transition.event == event:
                return transition.next
        return None

    def prop(self, key: str, default: Any = None) -> Any:
        value = self.properties.get(key, default)
        return default if value is None else value


@dataclass(frozen=True)
class Flow:
    description: str
    states: tuple[State, ...]
    initial_state: str
    flags: Mapping[str, Any] = field(default_factory=dict)

    def state(self, name: str) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise KeyError(name)

    def has_state(self, name: str) -> bool:
        return any(state.name == name for state in self.states)

    @property
    def by_name(self) -> dict[str, State]:
        return {state.name: state for state in self.states}


def _issue(message: str, path: str, state: str | None = None) -> ValidationIssue:
    return ValidationIssue("malformed", message, state, path)


def _parse_condition(raw: Any, path: str, state: str) -> Condition:
    if not isinstance(raw, Mapping):
        raise FlowInvalid([_issue("a condition must be an object", path, state)])
    arguments = raw.get("arguments") or []
    if isinstance(arguments, str):
        arguments = [arguments]
    if not isinstance(arguments, list):
        raise FlowInvalid([_issue("condition arguments must be a list", path, state)])
    return Condition(
        type=str(raw.get("type", "")),
        arguments=tuple(str(a) for a in arguments),
        value="" if raw.get("value") is None else str(raw.get("value")),
        friendly_name=str(raw.get("friendly_name", "")),
    )


def _parse_transition(raw: Any, path: str, state: str) -> Transition:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("event"), str):
        raise FlowInvalid([_issue("a transition needs a string 'event'", path, state)])
    nxt = raw.get("next")
    if nxt is not None and not isinstance(nxt, str):
        raise FlowInvalid([_issue("'next' must be a state name", f"{path}.next", state)])
    conditions = raw.get("conditions") or []
    if not isinstance(conditions, list):
        raise FlowInvalid([_issue("'conditions' must be a list", f"{path}.conditions", state)])
    return Transition(
        event=raw["event"],
        next=nxt or None,
        conditions=tuple(_parse_condition(c, f"{path}.conditions[{i}]", state)
                         for i, c in enumerate(conditions)),
    )


def _parse_state(raw: Any, path: str) -> State:
    if not isinstance(raw, Mapping):
        raise FlowInvalid([_issue("a state must be an object", path)])
    name, kind = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not name:
        raise FlowInvalid([_issue("a state needs a non-empty string 'name'", f"{path}.name")])
    if not isinstance(kind, str) or not kind:
        raise FlowInvalid([_issue("a state needs a string 'type'", f"{path}.type", name)])
    transitions = raw.get("transitions") or []
    if not isinstance(transitions, list):
        raise FlowInvalid([_issue("'transitions' must be a list", f"{path}.transitions", name)])
    properties = raw.get("properties") or {}
    if not isinstance(properties, Mapping):
        raise FlowInvalid([_issue("'properties' must be an object", f"{path}.properties", name)])
    return State(
        name=name,
        type=kind,
        transitions=tuple(_parse_transition(t, f"{path}.transitions[{i}]", name)
                          for i, t in enumerate(transitions)),
        properties=dict(properties),
    )


def parse_flow(doc: Any) -> Flow:
    """Build a Flow from a Studio flow definition; raise FlowInvalid when malformed."""
    if not isinstance(doc, Mapping):
        raise FlowInvalid([_issue("a flow must be a JSON object", "$")])
    states = doc.get("states")
    if not isinstance(states, list) or not states:
        raise FlowInvalid([_issue("'states' must be a non-empty list", "$.states")])
    parsed = tuple(_parse_state(s, f"$.states[{i}]") for i, s in enumerate(states))
    seen: set[str] = set()
    for i, state in enumerate(parsed):
        if state.name in seen:
            raise FlowInvalid([ValidationIssue(
                "duplicate-state", f"the state name '{state.name}' is used twice",
                state.name, f"$.states[{i}].name")])
        seen.add(state.name)
    initial = doc.get("initial_state")
    if not isinstance(initial, str) or initial not in seen:
        raise FlowInvalid([ValidationIssue(
            "bad-initial-state", f"initial_state {initial!r} names no state", None,
            "$.initial_state")])
    flags = doc.get("flags") or {}
    return Flow(
        description=str(doc.get("description") or ""),
        states=parsed,
        initial_state=initial,
        flags=dict(flags) if isinstance(flags, Mapping) else {},
    )


def flow_to_dict(flow: Flow) -> dict[str, Any]:
    """The Studio JSON of a Flow (the inverse of parse_flow)."""
    def transition(t: Transition) -> dict[str, Any]:
        out: dict[str, Any] = {"event": t.event}
        if t.next:
            out["next"] = t.next
        if t.conditions:
            out["conditions"] = [
                {"friendly_name": c.friendly_name, "arguments": list(c.arguments),
                 "type": c.type, "value": c.value} for c in t.conditions]
        return out

    return {
        "description": flow.description,
        "states": [{"name": s.name, "type": s.type,
                    "transitions": [transition(t) for t in s.transitions],
                    "properties": dict(s.properties)} for s in flow.states],
        "initial_state": flow.initial_state,
        "flags": dict(flow.flags),
    }
