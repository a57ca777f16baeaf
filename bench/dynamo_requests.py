"""Count DynamoDB API calls at botocore's one entry point, per thread.

    with counted() as calls:    # calls: Counter of operation name -> requests
        do_something()

Every benchmark counts the same way; the per-thread scope lets a server count each
request it handles on its own thread.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_local = threading.local()
_installed = False


def install() -> None:
    """Wrap botocore's BaseClient._make_api_call once (idempotent)."""
    global _installed
    if _installed:
        return
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def counting(client: Any, operation: str, params: Any) -> Any:
        calls = getattr(_local, "calls", None)
        if calls is not None and client.meta.service_model.service_name == "dynamodb":
            calls[operation] += 1
        return original(client, operation, params)

    BaseClient._make_api_call = counting
    _installed = True


@contextmanager
def counted() -> Iterator[Counter[str]]:
    """The DynamoDB requests this thread makes inside the block."""
    install()
    outer = getattr(_local, "calls", None)
    _local.calls = calls = Counter[str]()
    try:
        yield calls
    finally:
        _local.calls = outer
        if outer is not None:
            outer.update(calls)
