"""Every table's PynamoDB model. Importing this package registers them all."""

from chalicelib.adapters.dynamo.models import (  # noqa: F401
    chat,
    conversations,
    crm,
    flows,
    idempotency,
    integrations,
    limits,
    metrics,
    outbox,
    routing,
    tenants,
    usage,
)
