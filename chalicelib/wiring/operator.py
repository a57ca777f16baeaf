"""The platform operator's services (services/operator)."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.services.operator.tenants import TenantOperations

__all__ = ["get_tenant_operations"]


@lru_cache(maxsize=1)
def get_tenant_operations() -> TenantOperations:
    from chalicelib.services.operator.tenants import TenantOperations

    return TenantOperations(wiring.get_tenant_repository(), time.time)
