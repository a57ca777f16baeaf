"""The JSON Schema (draft 2020-12) of a Hotline flow: Studio's format plus Hotline's widgets.

``flows/schema.json`` is this schema written out (``hotline flows schema --write``); a
test keeps the two equal. Editors use the file; ``validation`` uses this dict.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.flows.conditions import CONDITION_TYPES
from chalicelib.domain.flows.widgets import HANDLERS, TRIGGER, TRIGGER_EVENTS, UNSUPPORTED

SCHEMA_ID = "https://hotline.dev/schemas/flow.json"

INT = {"type": ["integer", "string"]}
BOOL = {"type": ["boolean", "string"]}
TEXT = {"type": "string"}
PAIRS = {"type": "array", "items": {
    "type": "object", "required": ["key"],
    "properties": {"key": TEXT, "value": {}}}}

# Property types per widget, where Studio's exports are consistent enough to check.
WIDGET_PROPERTIES: dict[str, dict[str, Any]] = {
    "say-play": {"say": TEXT, "play": TEXT, "digits": TEXT, "voice": TEXT,
                 "language": TEXT, "loop": INT},
    "gather-input-on-call": {
        "say": TEXT, "play": TEXT, "voice": TEXT, "language": TEXT, "loop": INT,
        "number_of_digits": INT, "finish_on_key": TEXT, "timeout": INT, "stop_gather": BOOL,
        "speech_timeout": {"type": ["string", "integer"]}, "hints": TEXT,
        "gather_language": TEXT, "speech_model": TEXT, "profanity_filter": BOOL,
        "input": {"type": ["string", "array"]}},
    "split-based-on": {"input": TEXT},
    "set-variables": {"variables": PAIRS},
    "make-http-request": {"method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
                          "url": TEXT, "content_type": TEXT, "body": TEXT,
                          "parameters": PAIRS},
    "run-function": {"url": TEXT, "parameters": PAIRS, "service_sid": TEXT,
                     "environment_sid": TEXT, "function_sid": TEXT},
    "record-voicemail": {"max_length": INT, "timeout": INT, "finish_on_key": TEXT,
                         "play_beep": BOOL, "transcribe": BOOL, "trim": TEXT,
                         "queue": TEXT},
    "send-message": {"body": TEXT, "to": TEXT, "from": TEXT, "media_url": TEXT},
    "send-and-wait-for-reply": {"body": TEXT, "from": TEXT, "media_url": TEXT,
                                "timeout": INT},
    "connect-call-to": {"noun": {"enum": ["number", "number-multi", "client", "sip",
                                          "conference", "sim"]},
                        "to": TEXT, "caller_id": TEXT, "timeout": INT, "record": BOOL,
                        "sip_endpoint": TEXT, "sip_username": TEXT, "sip_password": TEXT},
    "enqueue-call": {"queue_name": TEXT, "queue": TEXT, "priority": INT, "timeout": INT,
                     "task_attributes": TEXT, "workflow_sid": TEXT},
    "send-to-flex": {"queue": TEXT, "priority": INT, "timeout": INT, "attributes": TEXT,
                     "workflow": TEXT, "channel": TEXT},
    "add-twiml-redirect": {"url": TEXT, "method": {"enum": ["GET", "POST"]},
                           "timeout": INT},
    "make-outgoing-call-v2": {"to": TEXT, "from": TEXT, "timeout": INT, "record": BOOL,
                              "detect_answering_machine": BOOL, "send_digits": TEXT},
    "check-business-hours": {
        "timezone": TEXT, "holidays": {"type": "array", "items": TEXT},
        "hours": {"type": "object", "additionalProperties": {
            "type": ["array", "string"]}}},
    "hand-off-to-tenant": {"tenant_id": TEXT},
}


def _widget_rule(kind: str) -> dict[str, Any]:
    handler = HANDLERS[kind]
    properties: dict[str, Any] = {
        "type": "object",
        "properties": {**WIDGET_PROPERTIES.get(kind, {}),
                       "offset": {"type": "object"}},
    }
    if handler.required:
        properties["required"] = list(handler.required)
    return {
        "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
        "then": {"properties": {
            "properties": properties,
            "transitions": {"items": {"properties": {
                "event": {"enum": list(handler.events)}}}},
        }},
    }


def flow_schema() -> dict[str, Any]:
    kinds = sorted([TRIGGER, *HANDLERS, *UNSUPPORTED])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Hotline flow",
        "description": "A Twilio Studio flow definition, as Hotline runs it.",
        "type": "object",
        "required": ["states", "initial_state"],
        "properties": {
            "description": TEXT,
            "initial_state": TEXT,
            "flags": {"type": "object"},
            "states": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/state"}},
        },
        "$defs": {
            "condition": {
                "type": "object", "required": ["type"],
                "properties": {"friendly_name": TEXT,
                               "arguments": {"type": "array", "items": TEXT},
                               "type": {"enum": sorted(CONDITION_TYPES)},
                               "value": {"type": ["string", "number", "boolean", "null"]}}},
            "transition": {
                "type": "object", "required": ["event"],
                "properties": {"event": TEXT, "next": TEXT,
                               "conditions": {"type": "array",
                                              "items": {"$ref": "#/$defs/condition"}}}},
            "state": {
                "type": "object", "required": ["name", "type", "transitions"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "type": {"type": "string", "examples": kinds},
                    "transitions": {"type": "array",
                                    "items": {"$ref": "#/$defs/transition"}},
                    "properties": {"type": "object"},
                },
                "allOf": [
                    {"if": {"properties": {"type": {"const": TRIGGER}}, "required": ["type"]},
                     "then": {"properties": {"transitions": {"items": {"properties": {
                         "event": {"enum": list(TRIGGER_EVENTS)}}}}}}},
                    *(_widget_rule(kind) for kind in sorted(HANDLERS)),
                ],
            },
        },
    }
