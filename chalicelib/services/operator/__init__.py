"""The platform operator's use cases: the tenants it rents to, and their terms.

The operator sees each tenant's standing, numbers, user count and terms, never its
contacts, interactions, recordings or messages (docs/operator.md).
"""
