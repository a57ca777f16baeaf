"""The HTTP edge of the JSON API: sessions, bodies, and every error-to-status mapping."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec

from chalice.app import Request, Response

from chalicelib.domain.errors import (
    Conflict,
    Forbidden,
    HotlineError,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)
from chalicelib.domain.identity import Principal, Role

log = logging.getLogger("hotline.api")

STATUS: dict[type[HotlineError], tuple[int, str]] = {
    InvalidInput: (400, "invalid_input"),
    Unauthorized: (401, "unauthorized"),
    Forbidden: (403, "forbidden"),
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    RateLimited: (429, "rate_limited"),
    Unavailable: (503, "unavailable"),
}

P = ParamSpec("P")


def error_response(exc: HotlineError) -> Response:
    status, code = next(((s, c) for kind, (s, c) in STATUS.items() if isinstance(exc, kind)),
                        (400, "error"))
    body: dict[str, Any] = {"error": code, "message": exc.message}
    if isinstance(exc, InvalidInput) and exc.path:
        body["path"] = exc.path
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}
    if isinstance(exc, Unavailable | RateLimited):
        headers["Retry-After"] = "5"
    return Response(body=body, status_code=status, headers=headers)


def api_errors(func: Callable[P, Any]) -> Callable[P, Any]:
    """Map domain errors to 4xx/503 JSON; anything else is logged and answered 500."""

    @wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return func(*args, **kwargs)
        except HotlineError as exc:
            return error_response(exc)

    return inner


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or InvalidInput with a clear message."""
    raw = request.raw_body or b""
    if not raw.strip():  # an empty body is an empty object
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    return body


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("log in first: send Authorization: Bearer <token>")
    return token.strip()


def principal(request: Request) -> Principal:
    from chalicelib.wiring import get_auth_service

    return get_auth_service().authenticate(bearer_token(request))


def require_role(who: Principal, role: Role) -> Principal:
    who.require(role)
    return who


def source_ip(request: Request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")
