"""The tenant's custom contact fields (text, number, date, choice) and their values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.errors import InvalidInput

FIELD_TYPES = ("text", "number", "date", "choice")
MAX_FIELDS = 20
MAX_CHOICES = 50
TEXT_MAX = 500
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class FieldDef:
    name: str
    label: str
    type: str
    options: tuple[str, ...] = ()

    def to_public(self) -> dict[str, Any]:
        view: dict[str, Any] = {"name": self.name, "label": self.label, "type": self.type}
        if self.type == "choice":
            view["options"] = list(self.options)
        return view


def parse_definitions(raw: Any) -> list[FieldDef]:
    """The definitions a tenant PUTs, checked: unique snake_case names, known types, and
    the options of a choice."""
    if not isinstance(raw, list):
        raise InvalidInput("fields must be a list", path="fields")
    if len(raw) > MAX_FIELDS:
        raise InvalidInput(f"at most {MAX_FIELDS} custom fields", path="fields")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(raw):
        where = f"fields[{i}]"
        if not isinstance(item, dict):
            raise InvalidInput("each field is an object", path=where)
        name = str(item.get("name") or "")
        if not NAME_PATTERN.match(name):
            raise InvalidInput("name is 1-32 lower-case letters, digits or _, starting with a "
                               "letter", path=f"{where}.name")
        if name in seen:
            raise InvalidInput(f"field {name} is defined twice", path=f"{where}.name")
        seen.add(name)
        kind = item.get("type")
        if kind not in FIELD_TYPES:
            raise InvalidInput(f"type is one of {', '.join(FIELD_TYPES)}", path=f"{where}.type")
        options: tuple[str, ...] = ()
        if kind == "choice":
            raw_options = item.get("options")
            if (not isinstance(raw_options, list) or not raw_options
                    or len(raw_options) > MAX_CHOICES
                    or not all(isinstance(o, str) and 0 < len(o.strip()) <= 100
                               for o in raw_options)):
                raise InvalidInput(f"a choice needs 1-{MAX_CHOICES} options of 1-100 "
                                   "characters", path=f"{where}.options")
            options = tuple(o.strip() for o in raw_options)
        label = str(item.get("label") or name)[:100]
        out.append(FieldDef(name=name, label=label, type=str(kind), options=options))
    return out


def coerce_value(definition: FieldDef, value: Any, path: str) -> str | float | None:
    """One custom field's value as stored (text, a number, an ISO date or one option);
    None or "" clears it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if definition.type == "number":
        if isinstance(value, bool):
            raise InvalidInput(f"{definition.name} must be a number", path=path)
        try:
            number = float(str(value).strip().replace(",", ""))
        except ValueError as exc:
            raise InvalidInput(f"{definition.name} must be a number", path=path) from exc
        if number != number or number in (float("inf"), float("-inf")):
            raise InvalidInput(f"{definition.name} must be a number", path=path)
        return int(number) if number.is_integer() else number
    text = str(value).strip()
    if definition.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise InvalidInput(f"{definition.name} must be a date (YYYY-MM-DD)",
                               path=path) from exc
    if definition.type == "choice":
        for option in definition.options:
            if option.casefold() == text.casefold():
                return option
        raise InvalidInput(f"{definition.name} must be one of: {', '.join(definition.options)}",
                           path=path)
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"{definition.name} is longer than {TEXT_MAX} characters", path=path)
    return text


def coerce_fields(definitions: list[FieldDef], values: Any,
                  path: str = "fields") -> dict[str, str | float | None]:
    """Values for the tenant's fields; an unknown field is refused by name."""
    if not isinstance(values, dict):
        raise InvalidInput("fields must be an object", path=path)
    by_name = {d.name: d for d in definitions}
    out: dict[str, str | float | None] = {}
    for name, value in values.items():
        definition = by_name.get(name)
        if definition is None:
            raise InvalidInput(f"{name} is not one of this business's contact fields",
                               path=f"{path}.{name}")
        out[name] = coerce_value(definition, value, f"{path}.{name}")
    return out
