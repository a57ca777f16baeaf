"""The one place where DynamoDB's errors become domain errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from pynamodb.exceptions import PynamoDBException, TransactWriteError

from chalicelib.domain.errors import Conflict, Unavailable

_THROTTLING = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}

P = ParamSpec("P")
R = TypeVar("R")


def cancellation_reasons(exc: PynamoDBException) -> list[str]:
    """The per-item codes of a cancelled transaction ('None' for items that were fine)."""
    if isinstance(exc, TransactWriteError):
        return [r.code if r is not None else "None" for r in (exc.cancellation_reasons or [])]
    return []


def error_code(exc: PynamoDBException) -> str:
    """The provider's error code, or the cause's type for network failures.

    (PynamoDB's own ``cause_response_code`` raises when a timeout carries no response.)
    """
    cause = exc.cause
    response = getattr(cause, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(cause).__name__ if cause is not None else ""


def is_conditional_failure(exc: PynamoDBException) -> bool:
    if error_code(exc) == "ConditionalCheckFailedException":
        return True
    return "ConditionalCheckFailed" in cancellation_reasons(exc)


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Run a DynamoDB call and re-raise its failure as Conflict or Unavailable."""
    try:
        yield
    except PynamoDBException as exc:
        if is_conditional_failure(exc):
            raise Conflict(f"{action}: the item changed or already exists") from exc
        code = error_code(exc)
        if code in _THROTTLING or "Throttl" in code:
            raise Unavailable(f"{action}: DynamoDB is throttling ({code})") from exc
        raise Unavailable(f"{action}: DynamoDB failed ({code or exc.msg})") from exc


def dynamo_call(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator form of ``translated`` for repository methods."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        @wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            with translated(action):
                return func(*args, **kwargs)

        return inner

    return wrap
