"""The expression tree and its evaluation: total, side-effect free, never raising.

Values come from JSON (agent and task attributes) and from Twilio, whose values are
strings. The coercions are deliberate and few:

- a number compared with a numeric string compares as numbers (``level >= 2`` with
  ``level = "3"`` is true);
- ``true``/``false`` compared with the strings "true"/"false" (any case) compare as
  booleans;
- a missing attribute is ``null``: it equals ``null`` and nothing else, and every
  ordering comparison with it is false;
- comparisons between unrelated types (a list with a number, say) are false, never an
  error, so that an odd attribute can never stop the router.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Scope:
    """Where names resolve: ``worker.x`` and ``task.x`` explicitly, bare names in ``default``."""

    def __init__(self, roots: Mapping[str, Mapping[str, Any]], default: str) -> None:
        self.roots = roots
        self.default = default

    def resolve(self, parts: tuple[str, ...]) -> Any:
        if parts[0] in self.roots and (len(parts) > 1 or parts[0] != self.default):
            value: Any = self.roots[parts[0]]
            rest = parts[1:]
        else:
            value = self.roots.get(self.default, {})
            rest = parts
        for part in rest:
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no")
    return bool(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _bool_text(value: Any) -> bool | None:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        lhs = left if isinstance(left, bool) else _bool_text(left)
        rhs = right if isinstance(right, bool) else _bool_text(right)
        return lhs is not None and lhs == rhs
    if isinstance(left, int | float) or isinstance(right, int | float):
        a, b = _number(left), _number(right)
        return a is not None and a == b
    return bool(left == right)


def _order(op: str, left: Any, right: Any) -> bool:
    a: Any
    b: Any
    if isinstance(left, str) and isinstance(right, str):
        a, b = left, right
        num_a, num_b = _number(left), _number(right)
        if num_a is not None and num_b is not None:
            a, b = num_a, num_b
    else:
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return False
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    return bool(a >= b)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if value is None:
        return []
    return [value]


def has(collection: Any, item: Any) -> bool:
    return any(equal(member, item) for member in _as_list(collection))


def is_in(item: Any, collection: Any) -> bool:
    members = _as_list(collection)
    if isinstance(item, list | tuple):
        return any(has(members, one) for one in item)
    return has(members, item)


def contains(container: Any, item: Any) -> bool:
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    return has(container, item)


class Node:
    """An expression node; ``evaluate`` returns a value, ``test`` a truth."""

    def evaluate(self, scope: Scope) -> Any:
        raise NotImplementedError

    def test(self, scope: Scope) -> bool:
        return truthy(self.evaluate(scope))


@dataclass(frozen=True)
class Literal(Node):
    value: Any

    def evaluate(self, scope: Scope) -> Any:
        return self.value


@dataclass(frozen=True)
class Path(Node):
    parts: tuple[str, ...]

    def evaluate(self, scope: Scope) -> Any:
        return scope.resolve(self.parts)


@dataclass(frozen=True)
class ListOf(Node):
    items: tuple[Node, ...]

    def evaluate(self, scope: Scope) -> Any:
        return [item.evaluate(scope) for item in self.items]


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def evaluate(self, scope: Scope) -> Any:
        return not self.operand.test(scope)


@dataclass(frozen=True)
class And(Node):
    left: Node
    right: Node

    def evaluate(self, scope: Scope) -> Any:
        return self.left.test(scope) and self.right.test(scope)


@dataclass(frozen=True)
class Or(Node):
    left: Node
    right: Node

    def evaluate(self, scope: Scope) -> Any:
        return self.left.test(scope) or self.right.test(scope)


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node

    def evaluate(self, scope: Scope) -> Any:
        a = self.left.evaluate(scope)
        b = self.right.evaluate(scope)
        op = self.op
        if op == "==":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        if op in ("<", "<=", ">", ">="):
            return _order(op, a, b)
        if op == "HAS":
            return has(a, b)
        if op == "IN":
            return is_in(a, b)
        return contains(a, b)
