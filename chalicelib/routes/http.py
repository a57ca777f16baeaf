"""The HTTP edge of the JSON API: sessions, bodies, and every error-to-status mapping."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, ParamSpec, TypeVar

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
from chalicelib.routes.schema import (
    DEFAULT_MAX_BODY,
    IDENTIFIER,
    Schema,
    TooLarge,
    check,
    parse_body,
)

log = logging.getLogger("hotline.api")

STATUS: dict[type[HotlineError], tuple[int, str]] = {
    TooLarge: (413, "too_large"),
    InvalidInput: (400, "invalid_input"),
    Unauthorized: (401, "unauthorized"),
    Forbidden: (403, "forbidden"),
    NotFound: (404, "not_found"),
    Conflict: (409, "conflict"),
    RateLimited: (429, "rate_limited"),
    Unavailable: (503, "unavailable"),
}

P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Operation:
    """What a JSON route accepts: the OpenAPI document and the validator both read it."""

    summary: str
    body: Schema | None = None
    query: Mapping[str, Schema] = field(default_factory=dict)
    params: Mapping[str, Schema] = field(default_factory=dict)
    public: bool = False
    max_body: int = DEFAULT_MAX_BODY
    tag: str | None = None

    def param(self, name: str) -> Schema:
        return self.params.get(name, IDENTIFIER)


OPERATION_ATTR = "__hotline_operation__"
_current: ContextVar[Operation | None] = ContextVar("hotline_operation", default=None)


def error_response(exc: HotlineError) -> Response:
    status, code = next(((s, c) for kind, (s, c) in STATUS.items() if isinstance(exc, kind)),
                        (400, "error"))
    code = getattr(exc, "error_code", None) or code  # a specific 4xx, e.g. "opted_out"
    body: dict[str, Any] = {"error": code, "message": exc.message}
    if isinstance(exc, InvalidInput) and exc.path:
        body["path"] = exc.path
    headers: dict[str, str | list[str]] = {"Content-Type": "application/json"}
    if isinstance(exc, Unavailable | RateLimited):
        headers["Retry-After"] = "5"
    return Response(body=body, status_code=status, headers=headers)


def internal_error(where: str) -> Response:
    """Log the exception being handled, with its stack, under a fresh error id; answer 500."""
    error_id = secrets.token_hex(8)
    log.exception("unexpected error %s in %s", error_id, where)
    return Response(body={"error": "internal",
                          "message": "something went wrong on our side; quote the error id "
                                     "if you report it",
                          "error_id": error_id},
                    status_code=500, headers={"Content-Type": "application/json"})


def api_errors(func: Callable[P, Any]) -> Callable[P, Any]:
    """Map domain errors to 4xx/503 JSON; anything else is logged and answered 500."""

    @wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return func(*args, **kwargs)
        except HotlineError as exc:
            return error_response(exc)
        except Exception:
            return internal_error(getattr(func, "__name__", "a route"))

    return inner


def api(summary: str, *, body: Schema | None = None,
        query: Mapping[str, Schema] | None = None, params: Mapping[str, Schema] | None = None,
        public: bool = False, max_body: int = DEFAULT_MAX_BODY,
        tag: str | None = None) -> Callable[[F], F]:
    """Declare a JSON route: its OpenAPI entry and its input checks, in one place.

    Use it under ``@bp.route`` instead of ``@api_errors``. Path parameters are checked
    here (each ``params`` schema, by default a 1-128 character id); ``json_body`` and
    ``query_param`` check the body and the query against ``body`` and ``query``.
    """
    operation = Operation(summary=summary, body=body, query=dict(query or {}),
                          params=dict(params or {}), public=public, max_body=max_body,
                          tag=tag)

    def decorate(func: F) -> F:
        @wraps(func)
        def checked(*args: Any, **kwargs: Any) -> Any:
            token = _current.set(operation)
            try:
                for name, value in kwargs.items():
                    check(value, operation.param(name), name)
                return func(*args, **kwargs)
            finally:
                _current.reset(token)

        wrapped = api_errors(checked)
        setattr(wrapped, OPERATION_ATTR, operation)
        return wrapped  # type: ignore[return-value]

    return decorate


def operation_of(view: Callable[..., Any]) -> Operation | None:
    found = getattr(view, OPERATION_ATTR, None)
    return found if isinstance(found, Operation) else None


def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, size- and depth-capped before parsing and checked against
    the route's declared body schema; InvalidInput naming the field otherwise."""
    operation = _current.get()
    raw = request.raw_body or b""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if not raw.strip():  # an empty body is an empty object
        raw = b"{}"
    body = parse_body(raw, operation.max_body if operation else DEFAULT_MAX_BODY)
    if not isinstance(body, dict):
        raise InvalidInput("the body must be a JSON object")
    if operation is not None and operation.body is not None:
        check(body, operation.body)
    return body


def query_param(request: Request, name: str) -> Any:
    """One query parameter, checked against the route's declared schema (None if absent)."""
    operation = _current.get()
    params: Mapping[str, str] = request.query_params or {}
    value = params.get(name)
    if value is None:
        return None
    schema = operation.query.get(name) if operation else None
    return check(value, schema or IDENTIFIER, name)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("log in first: send Authorization: Bearer <token>")
    return token.strip()


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticated(request: Request) -> Principal:
    """Who sent the request, whatever their role: a verified session token."""
    from chalicelib.wiring import get_auth_service

    token = bearer_token(request)
    if token.startswith("hk_"):  # an API key (services/integrations/keys.py)
        from chalicelib.wiring import get_api_keys

        return get_api_keys().authenticate(token)
    return get_auth_service().authenticate(token)


def principal(request: Request) -> Principal:
    """A business's user acting on that business's data; never the operator."""
    who = authenticated(request)
    if who.role is Role.OPERATOR:
        raise Forbidden("operators manage tenants and never read a business's data")
    if request.method not in SAFE_METHODS:
        _require_writable(request, who)
    return who


def _require_writable(request: Request, who: Principal) -> None:
    """An inactive tenant's API answers writes 403 tenant_inactive (docs/tenancy.md),
    except leaving work cleanly: logout, going offline or on break, ending a call and
    finishing its wrap-up."""
    from chalicelib.services.tenancy import ALWAYS_WRITABLE
    from chalicelib.wiring import get_tenant_gate

    route = str((request.context or {}).get("resourcePath") or "")
    if (request.method, route) not in ALWAYS_WRITABLE:
        get_tenant_gate().require_writable(who)


def operator(request: Request) -> Principal:
    """The platform's operator, for /api/operator/... routes."""
    who = authenticated(request)
    if who.role is not Role.OPERATOR:
        raise Forbidden("this needs the operator role")
    return who


def require_role(who: Principal, role: Role) -> Principal:
    who.require(role)
    return who


def source_ip(request: Request) -> str:
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")
