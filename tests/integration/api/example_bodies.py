"""The smallest body a route's declared schema accepts, built from the schema itself.

The isolation sweep sends each write route a body that passes validation, so that the
answer it checks (403 or 404) comes from the tenant check and not from a 400 on the body.
A route's schema is the one ``@api(body=...)`` declares (``chalicelib/routes/schema.py``),
so a new route gets an example without anyone writing one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import find
from hypothesis import strategies as st

from chalicelib.routes.schema import Schema, check


def example(schema: Schema) -> Any:
    value = _example(schema)
    check(value, schema)  # the example must pass the route's own validator
    return value


def _example(schema: Schema) -> Any:
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: _example(properties[name]) for name in schema.get("required", ())}
    if kind == "array":
        return [_example(schema.get("items", {"type": "string"}))
                for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return True
    if kind == "string":
        return _string(schema)
    return None


def _string(schema: Schema) -> str:
    low, high = schema.get("minLength", 0), schema.get("maxLength", 64)
    pattern = schema.get("pattern")
    if not pattern:
        return "x" * max(low, 1) if high else ""
    found: str = find(st.from_regex(pattern, fullmatch=True),
                      lambda text: low <= len(text) <= high)
    return found
