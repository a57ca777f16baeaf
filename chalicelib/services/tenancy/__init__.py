"""A tenant's standing, enforced: where a medium enters or leaves, and on API writes
(docs/tenancy.md). The rules themselves are pure, in ``chalicelib/domain/tenancy.py``."""

from chalicelib.services.tenancy.gate import (
    ALWAYS_WRITABLE,
    INBOUND_OFF,
    SpendReader,
    TenantGate,
    VisitorRefused,
    inbound_permission,
    outbound_permission,
)
from chalicelib.services.tenancy.release import ClosedTenantNumbers

__all__ = [
    "ALWAYS_WRITABLE",
    "INBOUND_OFF",
    "ClosedTenantNumbers",
    "SpendReader",
    "TenantGate",
    "VisitorRefused",
    "inbound_permission",
    "outbound_permission",
]
