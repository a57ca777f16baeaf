"""PynamoDB base model bound to the stage's tables, endpoint and timeouts at run time.

Every table's model subclasses ``HotlineModel`` and sets ``Meta.base_name``; ``bind()``
fills in the real table name (``<prefix>-<base_name>``), the endpoint (DynamoDB Local
in local mode and tests) and bounded timeouts, so one webhook always answers in time.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pynamodb.connection import Connection, TableConnection
from pynamodb.models import Model

from chalicelib.config import Settings

REGISTRY: list[type[HotlineModel]] = []


class HotlineModel(Model):
    class Meta:
        abstract = True
        table_name = "unbound"
        base_name = ""

    _bound_to: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls.Meta, "base_name", ""):
            REGISTRY.append(cls)

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """PynamoDB gives each model its own botocore client (~80 ms each to build on a
        cold start); every Hotline table shares the one bound connection instead."""
        fresh = cls._connection is None or cls._connection.table_name != cls.Meta.table_name
        table = super()._get_connection()
        if fresh and _SHARED is not None and table.connection is not _SHARED:
            name = cls.Meta.table_name
            if name not in _SHARED._tables:
                _SHARED.add_meta_table(table.connection.get_meta_table(name))
            table.connection = _SHARED
        return table


_BOUND_KEY: tuple[object, ...] | None = None
_SHARED: Connection | None = None


def bind(settings: Settings) -> None:
    """Point every registered model at the stage's tables. Idempotent."""
    global _BOUND_KEY, _SHARED
    key = (settings.table_prefix, settings.dynamodb_endpoint, settings.aws_region,
           settings.dynamodb_timeout_seconds, settings.dynamodb_max_retries)
    if key == _BOUND_KEY:
        return
    for model in REGISTRY:
        meta = model.Meta
        meta.table_name = f"{settings.table_prefix}-{meta.base_name}"
        meta.region = settings.aws_region  # type: ignore[attr-defined]
        meta.host = settings.dynamodb_endpoint  # type: ignore[attr-defined]
        meta.connect_timeout_seconds = settings.dynamodb_timeout_seconds  # type: ignore[attr-defined]
        meta.read_timeout_seconds = settings.dynamodb_timeout_seconds  # type: ignore[attr-defined]
        meta.max_retry_attempts = settings.dynamodb_max_retries  # type: ignore[attr-defined]
        meta.billing_mode = "PAY_PER_REQUEST"  # type: ignore[attr-defined]
        model._connection = None  # drop a connection made before binding
    _SHARED = _new_connection(settings)
    _BOUND_KEY = key


def connection(settings: Settings) -> Connection:
    """The connection for transactions (TransactWrite needs it passed explicitly): the
    shared one once bound, so a webhook builds a single botocore client."""
    bind(settings)
    assert _SHARED is not None
    return _SHARED


def _new_connection(settings: Settings) -> Connection:
    return Connection(
        region=settings.aws_region,
        host=settings.dynamodb_endpoint,
        connect_timeout_seconds=settings.dynamodb_timeout_seconds,
        read_timeout_seconds=settings.dynamodb_timeout_seconds,
        max_retry_attempts=settings.dynamodb_max_retries,
    )
