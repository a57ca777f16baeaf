"""Liquid rendering for flow properties, through python-liquid, loaded only when needed.

Text without ``{{`` or ``{%`` is returned as is: python-liquid costs ~150 ms to import, so
a flow whose prompts are plain text never loads it (cold start).

Coercion rules (Twilio's values arrive as strings; python-liquid raises on ``"3" > 2``):
- A string that looks like a number (``"3"``, ``"-2.5"``) compares as a number against a
  number: ``{% if widgets.menu.Digits > 2 %}`` and ``== 3`` work on ``"3"``.
- Two strings still compare as strings: ``widgets.menu.Digits == "03"`` is false for
  ``"3"``, and ``Digits == "1"`` is true for ``"1"``. Output and string filters see the
  original text, so leading zeros survive (``{{ Digits }}`` of ``"007"`` is ``007``).
- Undefined variables render as empty, as in Studio; objects (``{{flow.data}}``) render
  as JSON, as in Studio.
- A render error (a filter given the wrong type) renders the template as empty and is
  reported to the caller of ``render`` through ``RenderError``; the engine logs it in the
  trail and goes on, never failing the call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

_NUMERIC = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*$")


class RenderError(Exception):
    """A template failed to parse or render."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def has_markup(text: str) -> bool:
    return "{{" in text or "{%" in text


class NumericText(Decimal):
    """What a numeric-looking string becomes inside a Liquid comparison.

    Compares as a number against numbers and as its original text against strings.
    """

    text: str

    def __new__(cls, text: str) -> NumericText:
        obj = super().__new__(cls, text.strip())
        obj.text = text
        return obj

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NumericText):
            return self.text == other.text
        if isinstance(other, str):
            return self.text == other
        if isinstance(other, bool):
            return False
        if isinstance(other, int | float | Decimal):
            return Decimal.__eq__(self, other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self.text)

    def __str__(self) -> str:
        return self.text


class LiquidText(str):
    """A string value in the render scope; numeric-looking ones compare as numbers."""

    def __liquid__(self) -> object:
        if _NUMERIC.match(self):
            try:
                return NumericText(str(self))
            except InvalidOperation:
                return str(self)
        return str(self)


class JsonObject(dict[str, Any]):
    """A mapping that renders as JSON, as Studio renders ``{{flow.data}}``."""

    def __str__(self) -> str:
        return json.dumps(self, separators=(",", ":"), default=str)


def liquid_value(value: Any) -> Any:
    """Wrap a context value for rendering (strings gain numeric comparison)."""
    if isinstance(value, str):
        return LiquidText(value)
    if isinstance(value, Mapping):
        return JsonObject({str(k): liquid_value(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [liquid_value(v) for v in value]
    return value


@lru_cache(maxsize=1)
def _environment() -> Any:
    from liquid import Environment, Undefined

    return Environment(undefined=Undefined)


@lru_cache(maxsize=512)
def _template(text: str) -> Any:
    return _environment().from_string(text)


def _position(exc: Exception, source: str) -> tuple[int | None, int | None]:
    """Line and column as python-liquid reports them; the end of the text when the
    error is "found end of template" (python-liquid gives no index then)."""
    context = exc.context() if hasattr(exc, "context") else None
    if context is not None:
        return int(context[0]), int(context[1])
    lines = source.splitlines() or [""]
    return len(lines), len(lines[-1])


def syntax_error(text: str) -> RenderError | None:
    """The Liquid syntax error in ``text`` with its line and column, or None."""
    if not has_markup(text):
        return None
    from liquid.exceptions import LiquidError

    try:
        _template(text)
    except LiquidError as exc:
        line, column = _position(exc, text)
        message = getattr(exc, "message", None) or str(exc).splitlines()[0]
        return RenderError(str(message), line, column)
    return None


def render(text: str, scope: Mapping[str, Any]) -> str:
    """Render ``text`` against ``scope``; raise RenderError on a syntax or type error."""
    if not has_markup(text):
        return text
    from liquid.exceptions import LiquidError

    try:
        template = _template(text)
        return str(template.render(**{k: liquid_value(v) for k, v in scope.items()}))
    except LiquidError as exc:
        line, column = _position(exc, text)
        message = getattr(exc, "message", None) or str(exc).splitlines()[0]
        raise RenderError(str(message), line, column) from exc
