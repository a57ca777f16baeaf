"""Every table's PynamoDB model. Importing this package registers them all."""

from chalicelib.adapters.dynamo.models import crm, flows, idempotency, limits, routing, tenants  # noqa: F401
