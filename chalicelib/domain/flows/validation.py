"""Validate a flow document: the JSON Schema, then checks that name the state and path.

Errors (a flow with any cannot be published): ``malformed``, ``duplicate-state``,
``bad-initial-state``, ``schema``, ``unknown-widget``, ``unsupported-widget``,
``missing-property``, ``dangling-next``, ``unknown-condition``, ``liquid-syntax``,
``placeholder``, ``foreign-sid``, ``bad-json``.
Warnings (shown, not blocking): ``unreachable``, ``unknown-event``, ``placeholder-value``,
``metadata-sid``.

Studio exports carry the exporting account's resource SIDs. Where a widget also holds what
Hotline runs it with (run-function's ``url``; the queue of enqueue-call and send-to-flex,
which Hotline always has; the ``from`` of a message), the SID properties in
``METADATA_SIDS`` are metadata: a ``metadata-sid`` warning names each (state and JSON
path) and the flow still publishes. Only a widget that needs the foreign resource to run
(run-function without a ``url``) is refused, with ``foreign-sid``/``placeholder`` errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from chalicelib.domain.flows.conditions import CONDITION_TYPES
from chalicelib.domain.flows.model import Flow, FlowInvalid, ValidationIssue, parse_flow
from chalicelib.domain.flows.templating import has_markup, syntax_error
from chalicelib.domain.flows.widgets import HANDLERS, TRIGGER, UNSUPPORTED

__all__ = ["ValidationIssue", "errors_only", "validate_flow"]

PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
TEMPLATE_PLACEHOLDER = re.compile(r"\bYOUR_[A-Z0-9_]+")
SID = re.compile(r"\b([A-Z]{2})([0-9a-fA-F]{32}|X{32})\b")
SID_KINDS = {
    "AC": "Twilio account", "FW": "Studio flow", "WW": "TaskRouter workflow",
    "WS": "TaskRouter workspace", "WA": "TaskRouter activity", "WQ": "TaskRouter queue",
    "WT": "TaskRouter task", "WK": "TaskRouter worker", "TC": "TaskRouter task channel",
    "ZS": "Serverless service", "ZE": "Serverless environment", "ZH": "Serverless function",
    "UA": "Autopilot assistant", "MG": "Messaging service", "PN": "phone number",
    "QU": "queue", "CF": "conference", "DE": "Super SIM", "IS": "Conversations service",
    "CH": "Conversations conversation", "KS": "Sync service", "FN": "Flex flow",
    "FO": "Flex instance", "AP": "TwiML application",
}
_JSON_ATTRIBUTES = {"enqueue-call": "task_attributes", "send-to-flex": "attributes"}

# widget type -> (its SID properties Hotline never reads, the property Hotline needs to run
# it instead or None when it always can, what Hotline runs it with).
METADATA_SIDS: dict[str, tuple[frozenset[str], str | None, str]] = {
    "run-function": (frozenset({"service_sid", "environment_sid", "function_sid"}), "url",
                     "its url"),
    "enqueue-call": (frozenset({"workflow_sid"}), None, "its own queues"),
    "send-to-flex": (frozenset({"workflow", "channel"}), None, "its own queues"),
    "send-message": (frozenset({"service", "channel"}), None, "the flow's own number"),
    "send-and-wait-for-reply": (frozenset({"service", "channel"}), None,
                                "the flow's own number"),
}


def errors_only(issues: list[ValidationIssue]) -> list[ValidationIssue]:
    return [i for i in issues if i.severity == "error"]


def _metadata_keys(state_type: str, properties: dict[str, Any]) -> tuple[frozenset[str], str]:
    """The SID properties of this widget that are only metadata, and what it runs with."""
    keys, needs, runs_with = METADATA_SIDS.get(state_type, (frozenset(), None, ""))
    if needs is not None:
        value = properties.get(needs)
        if not isinstance(value, str) or not value.strip():
            return frozenset(), ""
    return keys, runs_with


def _as_metadata(issue: ValidationIssue, key: str, runs_with: str) -> ValidationIssue:
    """A foreign or placeholder SID in a property Hotline never reads: a warning."""
    token = issue.message.split(" ", 1)[0]
    kind = SID_KINDS.get(token[:2]) if SID.fullmatch(token) else None
    if issue.code == "foreign-sid" and kind:
        what = f"a {kind} SID of the exporting Twilio account"
    elif kind:
        what = f"a placeholder {kind} SID"
    else:
        what = "an unfilled deployment placeholder"
    return ValidationIssue("metadata-sid", f"'{key}' holds {token}, {what}; Hotline runs "
                           f"this widget with {runs_with}, so it is kept only as metadata",
                           issue.state, issue.path, severity="warning")


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "offset":
                yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _text_issues(text: str, state: str | None, path: str,
                 account_sid: str | None) -> Iterator[ValidationIssue]:
    for found in PLACEHOLDER.findall(text):
        yield ValidationIssue("placeholder", f"{found} is a deployment placeholder that was "
                              "never filled in: replace it with a real value", state, path)
    for prefix, body in SID.findall(text):
        sid = prefix + body
        kind = SID_KINDS.get(prefix)
        if kind is None:
            continue
        if body == "X" * 32:
            yield ValidationIssue("placeholder", f"{sid} is a placeholder {kind} SID", state,
                                  path)
        elif prefix == "AC":
            if account_sid is None or sid != account_sid:
                yield ValidationIssue(
                    "foreign-sid", f"{sid} is another Twilio account's SID; a flow must not "
                    "hard-code an account", state, path)
        else:
            yield ValidationIssue(
                "foreign-sid", f"{sid} is a {kind} SID from a Twilio account; Hotline has no "
                "such resource (it routes with its own queues): remove it", state, path)
    for found in sorted(set(TEMPLATE_PLACEHOLDER.findall(text))):
        yield ValidationIssue("placeholder-value", f"{found} looks like a template value to "
                              "fill in", state, path, severity="warning")
    if has_markup(text):
        error = syntax_error(text)
        if error is not None:
            where = f" (line {error.line}, column {error.column})" if error.line else ""
            yield ValidationIssue("liquid-syntax", f"Liquid syntax error{where}: "
                                  f"{error.message}", state, path)


def _state_issues(flow: Flow, raw: dict[str, Any], index: int,
                  account_sid: str | None) -> Iterator[ValidationIssue]:
    state = flow.states[index]
    base = f"$.states[{index}]"
    known = state.type == TRIGGER or state.type in HANDLERS
    if state.type in UNSUPPORTED:
        yield ValidationIssue("unsupported-widget", f"widget type '{state.type}' cannot run "
                              f"in Hotline: {UNSUPPORTED[state.type]}", state.name,
                              f"{base}.type")
    elif not known:
        yield ValidationIssue("unknown-widget", f"unknown widget type '{state.type}'",
                              state.name, f"{base}.type")
    handler = HANDLERS.get(state.type)
    if handler is not None:
        for key in handler.required:
            value = state.properties.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                yield ValidationIssue("missing-property", f"'{key}' is required for "
                                      f"{state.type}", state.name, f"{base}.properties.{key}")
    if state.type == "connect-call-to" and state.properties.get("noun") == "sim":
        yield ValidationIssue("unsupported-widget", "connect-call-to a Super SIM cannot run "
                              "in Hotline", state.name, f"{base}.properties.noun")
    attributes_key = _JSON_ATTRIBUTES.get(state.type)
    attributes = state.properties.get(attributes_key or "")
    if isinstance(attributes, str) and attributes.strip() and not has_markup(attributes):
        try:
            parsed = json.loads(attributes)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            yield ValidationIssue("bad-json", f"'{attributes_key}' must be a JSON object",
                                  state.name, f"{base}.properties.{attributes_key}")
    for t_index, transition in enumerate(state.transitions):
        t_path = f"{base}.transitions[{t_index}]"
        if transition.next is not None and not flow.has_state(transition.next):
            yield ValidationIssue("dangling-next", f"'{transition.event}' goes to "
                                  f"'{transition.next}', which is not a state", state.name,
                                  f"{t_path}.next")
        for c_index, condition in enumerate(transition.conditions):
            if condition.type not in CONDITION_TYPES:
                yield ValidationIssue("unknown-condition", f"unknown condition type "
                                      f"'{condition.type}'", state.name,
                                      f"{t_path}.conditions[{c_index}].type")
    properties = raw.get("properties") or {}
    metadata, runs_with = _metadata_keys(state.type, properties if isinstance(properties, dict)
                                         else {})
    for path, text in _strings(properties, f"{base}.properties"):
        key = path[len(base) + len(".properties."):].split(".", 1)[0].split("[", 1)[0]
        for issue in _text_issues(text, state.name, path, account_sid):
            if (key in metadata and issue.code in ("foreign-sid", "placeholder")
                    and not issue.message.startswith("AC")):  # an account is never metadata
                yield _as_metadata(issue, key, runs_with)
            else:
                yield issue
    for path, text in _strings(raw.get("transitions") or [], f"{base}.transitions"):
        if ".conditions[" in path and not path.endswith(".friendly_name"):
            yield from _text_issues(text, state.name, path, account_sid)


def _unreachable(flow: Flow) -> Iterator[ValidationIssue]:
    seen = {flow.initial_state}
    todo = [flow.initial_state]
    by_name = flow.by_name
    while todo:
        for transition in by_name[todo.pop()].transitions:
            if transition.next and transition.next in by_name and transition.next not in seen:
                seen.add(transition.next)
                todo.append(transition.next)
    for index, state in enumerate(flow.states):
        if state.name not in seen:
            yield ValidationIssue("unreachable", "no transition leads here", state.name,
                                  f"$.states[{index}]", severity="warning")


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _schema_issues(doc: dict[str, Any], flow: Flow,
                   known: set[str]) -> Iterator[ValidationIssue]:
    from jsonschema import Draft202012Validator

    from chalicelib.domain.flows.schema import flow_schema

    for error in Draft202012Validator(flow_schema()).iter_errors(doc):
        path = _json_path(error.absolute_path)
        if any(path == k or path.startswith(k + ".") or path.startswith(k + "[")
               for k in known):
            continue
        parts = list(error.absolute_path)
        state = (flow.states[parts[1]].name
                 if len(parts) > 1 and parts[0] == "states" and isinstance(parts[1], int)
                 and parts[1] < len(flow.states) else None)
        if error.validator == "required" and ".properties" in path:
            continue  # reported as missing-property with the property's own path
        if error.validator == "enum" and path.endswith(".event"):
            yield ValidationIssue("unknown-event", f"{error.instance!r} is not an event of "
                                  "this widget, so it never fires", state, path,
                                  severity="warning")
            continue
        yield ValidationIssue("schema", error.message, state, path)


def validate_flow(doc: dict[str, Any], *, account_sid: str | None = None
                  ) -> list[ValidationIssue]:
    """Every problem in ``doc``, errors first; an empty list means it can be published."""
    try:
        flow = parse_flow(doc)
    except FlowInvalid as exc:
        return list(exc.issues)
    issues: list[ValidationIssue] = []
    raw_states = doc.get("states") or []
    for index in range(len(flow.states)):
        raw = raw_states[index] if isinstance(raw_states[index], dict) else {}
        issues.extend(_state_issues(flow, raw, index, account_sid))
    issues.extend(_unreachable(flow))
    known = {i.path for i in issues}
    issues.extend(_schema_issues(doc, flow, known))
    return sorted(issues, key=lambda i: i.severity != "error")
