"""A recursive-descent parser for routing expressions, and the compiled result.

Grammar (keywords are case-insensitive; ``&&``, ``||`` and ``!`` are accepted too)::

    expression := or
    or         := and ("OR" and)*
    and        := unary ("AND" unary)*
    unary      := "NOT" unary | comparison
    comparison := operand [ ("==" | "!=" | "<" | "<=" | ">" | ">="
                            | ["NOT"] ("HAS" | "IN" | "CONTAINS")) operand ]
    operand    := string | number | "-" number | "true" | "false" | "null"
                | name ("." name)* | "[" [operand ("," operand)*] "]" | "(" expression ")"

A bare operand is a test of its truth (``vip``, ``true``). Names resolve in the worker's
or the task's attributes (see ``ast.Scope``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chalicelib.domain.routing.ast import (
    And,
    Compare,
    ListOf,
    Literal,
    Node,
    Not,
    Or,
    Path,
    Scope,
)
from chalicelib.domain.routing.lexer import ExpressionError, Kind, Token, tokenize

MAX_DEPTH = 40
MEMBERSHIP = ("HAS", "IN", "CONTAINS")
LITERAL_KEYWORDS = {"TRUE": True, "FALSE": False, "NULL": None}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not Kind.END:
            self.index += 1
        return token

    def _keyword(self, *words: str) -> bool:
        token = self.current
        return token.kind is Kind.KEYWORD and token.value in words

    def parse(self) -> Node:
        if self.current.kind is Kind.END:
            raise ExpressionError("the expression is empty", 0)
        node = self._or()
        if self.current.kind is not Kind.END:
            token = self.current
            raise ExpressionError(
                f"unexpected {token.describe()}; expected AND, OR or the end", token.position)
        return node

    def _or(self) -> Node:
        node = self._and()
        while self._keyword("OR"):
            self._advance()
            node = Or(node, self._and())
        return node

    def _and(self) -> Node:
        node = self._unary()
        while self._keyword("AND"):
            self._advance()
            node = And(node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._keyword("NOT"):
            self._nest()
            self._advance()
            node: Node = Not(self._unary())
            self.depth -= 1
            return node
        return self._comparison()

    def _comparison(self) -> Node:
        left = self._operand()
        token = self.current
        if token.kind is Kind.OPERATOR:
            self._advance()
            return Compare(str(token.value), left, self._operand())
        negate = False
        if self._keyword("NOT"):
            following = self.tokens[self.index + 1]
            if not (following.kind is Kind.KEYWORD and following.value in MEMBERSHIP):
                raise ExpressionError(
                    f"expected HAS, IN or CONTAINS after NOT, found {following.describe()}",
                    following.position)
            self._advance()
            negate = True
        if self._keyword(*MEMBERSHIP):
            op = str(self._advance().value)
            node: Node = Compare(op, left, self._operand())
            return Not(node) if negate else node
        return left

    def _nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the expression nests deeper than {MAX_DEPTH} levels",
                                  self.current.position)

    def _operand(self) -> Node:
        token = self.current
        kind = token.kind
        if kind is Kind.STRING or kind is Kind.NUMBER:
            self._advance()
            return Literal(token.value)
        if kind is Kind.MINUS:
            self._advance()
            number = self.current
            if number.kind is not Kind.NUMBER:
                raise ExpressionError(f"expected a number after \"-\", found {number.describe()}",
                                      number.position)
            self._advance()
            return Literal(-number.value if isinstance(number.value, int | float) else 0)
        if kind is Kind.KEYWORD and token.value in LITERAL_KEYWORDS:
            self._advance()
            return Literal(LITERAL_KEYWORDS[str(token.value)])
        if kind is Kind.NAME:
            self._advance()
            parts = token.value
            return Path(parts if isinstance(parts, tuple) else (token.text,))
        if kind is Kind.LBRACKET:
            return self._list()
        if kind is Kind.LPAREN:
            self._nest()
            self._advance()
            inner = self._or()
            if self.current.kind is not Kind.RPAREN:
                raise ExpressionError(
                    f'expected ")" to close the "(" at column {token.position + 1}, '
                    f"found {self.current.describe()}", self.current.position)
            self._advance()
            self.depth -= 1
            return inner
        raise ExpressionError(f"expected a value, found {token.describe()}", token.position)

    def _list(self) -> Node:
        self._nest()
        opening = self._advance()
        items: list[Node] = []
        if self.current.kind is Kind.RBRACKET:
            self._advance()
            self.depth -= 1
            return ListOf(())
        while True:
            items.append(self._operand())
            if self.current.kind is Kind.COMMA:
                self._advance()
                continue
            if self.current.kind is Kind.RBRACKET:
                self._advance()
                self.depth -= 1
                return ListOf(tuple(items))
            raise ExpressionError(
                f'expected "," or "]" in the list opened at column {opening.position + 1}, '
                f"found {self.current.describe()}", self.current.position)


@dataclass(frozen=True)
class Expression:
    """A parsed expression. ``matches`` evaluates it against worker and task attributes."""

    source: str
    tree: Node

    def matches(self, *, worker: Mapping[str, Any] | None = None,
                task: Mapping[str, Any] | None = None, default: str = "worker") -> bool:
        roots = {"worker": worker or {}, "task": task or {}}
        return self.tree.test(Scope(roots, default))


MATCH_ALL = Expression("true", Literal(True))


@lru_cache(maxsize=512)
def parse(text: str) -> Expression:
    """Parse ``text``; an empty or blank expression matches everything."""
    if not text or not text.strip():
        return MATCH_ALL
    return Expression(text, _Parser(text).parse())


def validate(text: str, path: str = "") -> None:
    """Raise ``ExpressionError`` (an InvalidInput) located at ``path`` if ``text`` is bad."""
    try:
        parse(text)
    except ExpressionError as exc:
        raise exc.at(path) from None
