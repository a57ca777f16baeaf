"""Create the tables idempotently from the PynamoDB models (local run and tests)."""

from __future__ import annotations

from chalicelib.adapters.dynamo import base
from chalicelib.config import Settings


def import_all_models() -> None:
    """Import every models module so each table registers itself."""
    from chalicelib.adapters.dynamo import models  # noqa: F401


def create_all(settings: Settings) -> list[str]:
    """Create any missing table; return the names created."""
    import_all_models()
    base.bind(settings)
    created = []
    for model in base.REGISTRY:
        if not model.exists():
            model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
            created.append(model.Meta.table_name)
    return created
