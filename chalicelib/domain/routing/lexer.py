"""Tokens of the routing expression language (``skills HAS "billing" AND level >= 2``).

A hand-written scanner: every token keeps its offset so that parse errors can point at
the exact column. Nothing here is ever handed to ``eval``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chalicelib.domain.errors import InvalidInput

MAX_LENGTH = 2000


class ExpressionError(InvalidInput):
    """An expression that does not parse; ``position`` is the 0-based offset of the fault."""

    def __init__(self, message: str, position: int, path: str = "") -> None:
        super().__init__(f"{message} (at column {position + 1})", path=path)
        self.reason = message
        self.position = position

    @property
    def column(self) -> int:
        return self.position + 1

    def at(self, path: str) -> ExpressionError:
        """The same error, located at a JSON path of the document that holds it."""
        return ExpressionError(self.reason, self.position, path=path)


class Kind(Enum):
    STRING = "string"
    NUMBER = "number"
    NAME = "name"
    KEYWORD = "keyword"
    OPERATOR = "operator"
    LPAREN = "("
    RPAREN = ")"
    LBRACKET = "["
    RBRACKET = "]"
    COMMA = ","
    MINUS = "-"
    END = "end"


KEYWORDS = frozenset({"AND", "OR", "NOT", "HAS", "IN", "CONTAINS", "TRUE", "FALSE", "NULL"})
# Spellings TaskRouter also accepts, folded to the keywords above.
ALIASES = {"&&": "AND", "||": "OR", "!": "NOT"}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
SINGLE = {"(": Kind.LPAREN, ")": Kind.RPAREN, "[": Kind.LBRACKET, "]": Kind.RBRACKET,
          ",": Kind.COMMA, "-": Kind.MINUS}
ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str
    position: int
    value: object = None

    def describe(self) -> str:
        if self.kind is Kind.END:
            return "the end of the expression"
        return f'"{self.text}"'


DIGITS = frozenset("0123456789")


def _is_name_start(ch: str) -> bool:
    return ch.isascii() and (ch.isalpha() or ch == "_")


def _is_name_part(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch.isspace():
                self.pos += 1
            elif ch in "\"'":
                self._string(ch)
            elif ch in DIGITS or (ch == "." and text[self.pos + 1:self.pos + 2] in DIGITS):
                self._number()
            elif _is_name_start(ch):
                self._name()
            else:
                self._symbol(ch)
        self.tokens.append(Token(Kind.END, "", len(text)))
        return self.tokens

    def _string(self, quote: str) -> None:
        start = self.pos
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == quote:
                self.pos += 1
                self.tokens.append(Token(Kind.STRING, self.text[start:self.pos], start,
                                         "".join(chars)))
                return
            if ch == "\\":
                nxt = self.text[self.pos + 1:self.pos + 2]
                if nxt not in ESCAPES:
                    raise ExpressionError(f'unknown escape "\\{nxt}" in a string', self.pos)
                chars.append(ESCAPES[nxt])
                self.pos += 2
                continue
            chars.append(ch)
            self.pos += 1
        raise ExpressionError("this string is never closed", start)

    def _number(self) -> None:
        start = self.pos
        text = self.text
        seen_dot = False
        while self.pos < len(text) and (text[self.pos] in DIGITS or text[self.pos] == "."):
            if text[self.pos] == ".":
                if seen_dot:
                    raise ExpressionError("a number has two decimal points", self.pos)
                seen_dot = True
            self.pos += 1
        if self.pos < len(text) and _is_name_start(text[self.pos]):
            raise ExpressionError("a name cannot start with a digit", start)
        raw = text[start:self.pos]
        value: float | int = float(raw) if seen_dot else int(raw)
        self.tokens.append(Token(Kind.NUMBER, raw, start, value))

    def _name(self) -> None:
        start = self.pos
        text = self.text
        while True:
            while self.pos < len(text) and _is_name_part(text[self.pos]):
                self.pos += 1
            if text[self.pos:self.pos + 1] != ".":
                break
            if not _is_name_start(text[self.pos + 1:self.pos + 2]):
                raise ExpressionError("expected an attribute name after the dot", self.pos + 1)
            self.pos += 1
        raw = text[start:self.pos]
        upper = raw.upper()
        if upper in KEYWORDS:
            self.tokens.append(Token(Kind.KEYWORD, raw, start, upper))
        else:
            self.tokens.append(Token(Kind.NAME, raw, start, tuple(raw.split("."))))

    def _symbol(self, ch: str) -> None:
        start = self.pos
        pair = self.text[start:start + 2]
        if pair in ALIASES:
            self.pos += 2
            self.tokens.append(Token(Kind.KEYWORD, pair, start, ALIASES[pair]))
            return
        for op in COMPARISONS:
            if self.text.startswith(op, start):
                self.pos += len(op)
                self.tokens.append(Token(Kind.OPERATOR, op, start, op))
                return
        if ch in ALIASES:
            self.pos += 1
            self.tokens.append(Token(Kind.KEYWORD, ch, start, ALIASES[ch]))
            return
        if ch in SINGLE:
            self.pos += 1
            self.tokens.append(Token(SINGLE[ch], ch, start))
            return
        if ch == "=":
            raise ExpressionError('use "==" to compare, not "="', start)
        if ch in "&|":
            raise ExpressionError(f'use "{ch}{ch}" or {"AND" if ch == "&" else "OR"}', start)
        raise ExpressionError(f'unexpected character "{ch}"', start)


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters",
                              MAX_LENGTH)
    return _Scanner(text).run()
