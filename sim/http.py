"""A small request/response model and router over the stdlib HTTP server."""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

log = logging.getLogger("sim.http")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern

    def form(self) -> dict[str, list[str]]:
        """Form fields (repeatable, e.g. StatusCallbackEvent), body and query merged."""
        merged = {k: list(v) for k, v in self.query.items()}
        if "application/x-www-form-urlencoded" in self.headers.get("content-type", ""):
            for key, values in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items():
                merged.setdefault(key, []).extend(values)
        return merged

    def json(self) -> dict[str, Any]:
        if not self.body:
            return {}
        data = json.loads(self.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        return data

    def arg(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def address(self, name: str) -> str:
        """A phone-number query parameter; an unencoded '+' arrives as a space."""
        return self.arg(name).replace(" ", "+").strip()

    def basic_auth(self) -> tuple[str, str] | None:
        header = self.headers.get("authorization", "")
        if not header.lower().startswith("basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        return user, password


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(data, indent=1).encode("utf-8"))

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status, b"")


Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """pattern: a path with {name} segments, e.g. /sim/calls/{sid}/input."""
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+?)", pattern)
        self._routes.append((method, re.compile(f"^{regex}$"), handler))

    def dispatch(self, request: Request) -> Response:
        allowed = False
        for method, regex, handler in self._routes:
            match = regex.match(request.path)
            if match is None:
                continue
            allowed = True
            if method != request.method:
                continue
            request.params = match.groupdict()
            return handler(request)
        if allowed:
            return Response.json({"error": "method not allowed"}, 405)
        return Response.json({"code": 20404, "message": f"The requested resource "
                              f"{request.path} was not found",
                              "more_info": "https://www.twilio.com/docs/errors/20404",
                              "status": 404}, 404)
