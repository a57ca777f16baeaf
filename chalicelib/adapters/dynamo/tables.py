"""Create the tables idempotently from the PynamoDB models (local run and tests)."""

from __future__ import annotations

from dataclasses import replace

from pynamodb.exceptions import TableError

from chalicelib.adapters.dynamo import base
from chalicelib.config import Settings

# Tooling, not a webhook: creating a table may take longer than a webhook's bound.
TOOLING_TIMEOUT_SECONDS = 10.0
TOOLING_RETRIES = 3


def import_all_models() -> None:
    """Import every models module so each table registers itself."""
    from chalicelib.adapters.dynamo import models  # noqa: F401


def create_all(settings: Settings) -> list[str]:
    """Create any missing table; return the names created.

    Runs with tooling timeouts (a loaded machine can take seconds to create a table), then
    binds the models back to ``settings``. A table that a timed-out attempt did create is
    found on the retry and counts as existing."""
    import_all_models()
    base.bind(replace(settings, dynamodb_timeout_seconds=TOOLING_TIMEOUT_SECONDS,
                      dynamodb_max_retries=TOOLING_RETRIES))
    created = []
    try:
        for model in base.REGISTRY:
            if model.exists():
                continue
            try:
                model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
            except TableError as exc:
                if "preexisting" not in str(exc).lower() and "ResourceInUse" not in str(exc):
                    raise
                continue
            created.append(model.Meta.table_name)
    finally:
        base.bind(settings)
    return created
