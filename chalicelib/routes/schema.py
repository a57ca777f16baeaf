"""The API's input schemas and the one validator that checks them.

Schemas are plain OpenAPI 3.0 schema objects (dicts). The same dicts go into
``/api/openapi.json`` and are enforced here, so the document and the checks cannot drift.
The validator implements the subset of keywords the API uses (type, nullable, enum,
minLength/maxLength, pattern, minimum/maximum, properties, required,
additionalProperties, maxProperties, items, minItems/maxItems) and names the field that
fails, as ``InvalidInput(message, path="a.b[2]")``.

Raw bodies are measured before ``json.loads``: the byte size, then the nesting depth
(counted over brackets outside strings), so a body nested a thousand deep never reaches
the parser's recursion.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from chalicelib.domain.errors import InvalidInput

Schema = dict[str, Any]

MAX_DEPTH = 32
DEFAULT_MAX_BODY = 64 * 1024
ID_MAX = 128


class TooLarge(InvalidInput):
    """The body is bigger than the route accepts (HTTP 413)."""


# --- building schemas --------------------------------------------------------------
def text(max_length: int, min_length: int = 0, pattern: str | None = None,
         nullable: bool = False, **extra: Any) -> Schema:
    schema: Schema = {"type": "string", "minLength": min_length, "maxLength": max_length}
    if pattern:
        schema["pattern"] = pattern
    if nullable:
        schema["nullable"] = True
    return {**schema, **extra}


def whole(minimum: int, maximum: int, nullable: bool = False) -> Schema:
    schema: Schema = {"type": "integer", "minimum": minimum, "maximum": maximum}
    if nullable:
        schema["nullable"] = True
    return schema


def choice(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def strings(max_items: int, max_length: int) -> Schema:
    return {"type": "array", "maxItems": max_items, "items": text(max_length, 1)}


def obj(properties: dict[str, Schema] | None = None, required: tuple[str, ...] = (),
        closed: bool = False, max_properties: int = 64) -> Schema:
    """An object with these fields; ``closed`` refuses any other field."""
    schema: Schema = {"type": "object", "properties": dict(properties or {}),
                      "maxProperties": max_properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


IDENTIFIER = text(ID_MAX, 1)


# --- raw bodies -----------------------------------------------------------------------
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def nesting_depth(raw: bytes, limit: int) -> int:
    """The deepest bracket nesting of a JSON text (strings skipped), up to ``limit`` + 1."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth -= 1
    return deepest


def parse_body(raw: bytes, max_bytes: int = DEFAULT_MAX_BODY,
               max_depth: int = MAX_DEPTH) -> Any:
    """JSON from ``raw``, refusing oversize or over-deep text before parsing it."""
    if len(raw) > max_bytes:
        raise TooLarge(f"the body is larger than {max_bytes // 1024} KiB")
    if nesting_depth(raw, max_depth) > max_depth:
        raise InvalidInput(f"the body is nested deeper than {max_depth} levels")
    try:
        return json.loads(raw, parse_int=_integer, parse_float=_finite, parse_constant=_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}") from exc


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > 38:  # DynamoDB's numbers hold 38 digits
        raise ValueError("a number has more than 38 digits")
    return int(digits)


def _finite(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise ValueError(f"{literal[:20]} is out of range")
    return value


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


# --- checking values ------------------------------------------------------------------
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "object": (dict,), "array": (list,),
}
_ARTICLE = {"string": "a string", "integer": "a whole number", "number": "a number",
            "boolean": "true or false", "object": "an object", "array": "a list"}


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _is(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    return isinstance(value, _TYPES[kind])


def _name(path: str) -> str:
    return path or "the body"


def _check_string(value: str, schema: Schema, path: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{_name(path)} is not valid Unicode text", path=path) from exc
    if len(value) < schema.get("minLength", 0):
        what = "required" if schema["minLength"] == 1 else \
            f"at least {schema['minLength']} characters"
        raise InvalidInput(f"{_name(path)} is {what}" if what == "required"
                           else f"{_name(path)} must be {what}", path=path)
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise InvalidInput(f"{_name(path)} is longer than {schema['maxLength']} characters",
                           path=path)
    if "pattern" in schema and not re.search(schema["pattern"], value):
        raise InvalidInput(f"{_name(path)} does not have the expected form", path=path)


def _check_object(value: dict[str, Any], schema: Schema, path: str) -> None:
    if len(value) > schema.get("maxProperties", len(value)):
        raise InvalidInput(f"{_name(path)} has more than {schema['maxProperties']} fields",
                           path=path)
    for key in schema.get("required", ()):
        if key not in value:
            raise InvalidInput(f"{_join(path, key)} is required", path=_join(path, key))
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        where = _join(path, str(key)[:64])
        if key in properties:
            check(item, properties[key], where)
        elif extra is False:
            known = ", ".join(properties) or "none"
            raise InvalidInput(f"unknown field {where}; expected one of {known}", path=where)
        elif isinstance(extra, dict):
            check(item, extra, where)


def _check_array(value: list[Any], schema: Schema, path: str) -> None:
    if len(value) > schema.get("maxItems", len(value)):
        raise InvalidInput(f"{_name(path)} has more than {schema['maxItems']} items", path=path)
    if len(value) < schema.get("minItems", 0):
        raise InvalidInput(f"{_name(path)} needs at least {schema['minItems']} items",
                           path=path)
    if "items" in schema:
        for index, item in enumerate(value):
            check(item, schema["items"], _join(path, index))


def check(value: Any, schema: Schema, path: str = "") -> Any:
    """``value`` if it matches ``schema``; otherwise InvalidInput naming the field."""
    if value is None and schema.get("nullable"):
        return value
    kind = schema.get("type")
    if kind is not None and not _is(value, kind):
        raise InvalidInput(f"{_name(path)} must be {_ARTICLE[kind]}", path=path)
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(str(v) for v in schema["enum"])
        raise InvalidInput(f"{_name(path)} must be one of {choices}", path=path)
    if isinstance(value, str):
        _check_string(value, schema, path)
    elif isinstance(value, dict):
        _check_object(value, schema, path)
    elif isinstance(value, list):
        _check_array(value, schema, path)
    elif _is(value, "number"):
        if "minimum" in schema and value < schema["minimum"]:
            raise InvalidInput(f"{_name(path)} must be at least {schema['minimum']}", path=path)
        if "maximum" in schema and value > schema["maximum"]:
            raise InvalidInput(f"{_name(path)} must be at most {schema['maximum']}", path=path)
    return value
