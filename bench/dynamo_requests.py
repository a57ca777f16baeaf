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


@contextmanager
def local_dynamodb() -> Iterator[Any]:
    """A fresh DynamoDB Local with every table created; yields the bench's Settings."""
    import os

    from devtools.ddblocal import DynamoDBLocal, free_port, local_aws_environ

    ddb = DynamoDBLocal(port=free_port())
    ddb.start()
    try:
        os.environ.update(local_aws_environ(ddb.endpoint))
        from chalicelib.adapters.dynamo.tables import create_all
        from chalicelib.config import Settings

        env = {"PUBLIC_BASE_URL": "https://hotline.example.com",
               "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "bench",
               "HOTLINE_JWT_SECRET": "b" * 32, "HOTLINE_TABLE_PREFIX": "bench",
               "HOTLINE_DYNAMODB_TIMEOUT": "5", **local_aws_environ(ddb.endpoint)}
        settings = Settings.from_environ(env)
        create_all(settings)
        yield settings
    finally:
        ddb.stop()


def run_on_local_dynamodb(description: str, run: Any, argv: list[str] | None = None) -> int:
    """The command line of a benchmark that writes ``--interactions`` to a fresh DynamoDB
    Local: ``run(settings, interactions, seed)`` on it."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with local_dynamodb() as settings:
        run(settings, args.interactions, args.seed)
    return 0
