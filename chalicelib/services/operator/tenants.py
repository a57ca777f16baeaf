"""The operator's tenants: list them, read one, change its terms.

A view carries the tenant's standing, terms, numbers and user count, and nothing of its
customers: no contacts, interactions, recordings or messages are read here at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Tenant
from chalicelib.domain.instants import iso_utc
from chalicelib.domain.tenancy import PERMISSIONS, Status
from chalicelib.services.operator.terms import TermsChange, read_change

# A permissions edit is a compare-and-set of the stored map; a lost race re-reads.
PERMISSION_ATTEMPTS = 3


class TenantStore(Protocol):
    def get(self, tenant_id: str) -> Tenant | None: ...
    def all_tenants(self) -> list[Tenant]: ...
    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]: ...
    def count_users(self, tenant_id: str) -> int: ...
    def user_counts(self) -> dict[str, int]: ...
    def numbers_by_tenant(self) -> dict[str, list[str]]: ...
    def stored_permissions(self, tenant_id: str) -> dict[str, bool] | None: ...
    def update_terms(self, tenant_id: str, changes: Mapping[str, object], *,
                     closed_at: float, permissions_were: object = ...) -> None: ...


def iso(epoch: float | None) -> str | None:
    return None if epoch is None else iso_utc(epoch)


class TenantOperations:
    def __init__(self, store: TenantStore, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    def tenants(self) -> dict[str, Any]:
        """Every tenant, from three Scans (tenants, numbers, users' keys): the request
        count grows with the tables' size in MB, not with the number of tenants."""
        now = self.clock()
        numbers, users = self.store.numbers_by_tenant(), self.store.user_counts()
        return {"tenants": [self._view(t, now, numbers.get(t.tenant_id, []),
                                       users.get(t.tenant_id, 0))
                            for t in self.store.all_tenants() if t.tenant_id != PLATFORM_TENANT]}

    def read(self, tenant_id: str) -> dict[str, Any]:
        return self._view(self._tenant(tenant_id), self.clock())

    def change(self, tenant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Apply the operator's terms in one UpdateItem; the tenant's view after it."""
        tenant = self._tenant(tenant_id)
        change = read_change(body, tenant.timezone)
        now = self.clock()
        if not change:
            return self._view(tenant, now)
        permissions = self._write(tenant_id, change, now)
        return self._view(_applied(tenant, change, permissions, now), now)

    def _tenant(self, tenant_id: str) -> Tenant:
        tenant = self.store.get(tenant_id) if tenant_id != PLATFORM_TENANT else None
        if tenant is None:
            raise NotFound(f"there is no tenant {tenant_id!r}")
        return tenant

    def _write(self, tenant_id: str, change: TermsChange, now: float) -> dict[str, bool] | None:
        """Write the change; the permissions map written, if any."""
        if not change.permissions:
            self.store.update_terms(tenant_id, change.values, closed_at=now)
            return None
        for attempt in range(PERMISSION_ATTEMPTS):
            stored = self.store.stored_permissions(tenant_id)
            merged = {name: bool((stored or {}).get(name, True)) for name in PERMISSIONS}
            merged.update(change.permissions)
            try:
                self.store.update_terms(tenant_id, {**change.values, "permissions": merged},
                                        closed_at=now, permissions_were=stored)
                return merged
            except Conflict:
                if attempt + 1 == PERMISSION_ATTEMPTS:
                    raise Conflict("the tenant's permissions kept changing while this edit "
                                   "was written; read them again and retry") from None
        raise AssertionError("unreachable")

    def _view(self, tenant: Tenant, now: float, numbers: list[str] | None = None,
              users: int | None = None) -> dict[str, Any]:
        if numbers is None:
            numbers = [n.number for n in self.store.numbers_of(tenant.tenant_id)]
        if users is None:
            users = self.store.count_users(tenant.tenant_id)
        standing = tenant.standing()
        return {
            "id": tenant.tenant_id,
            "name": tenant.name,
            "timezone": tenant.timezone,
            "status": tenant.status,
            "valid_until": iso(tenant.valid_until),
            "permissions": {p: standing.allows(p) for p in PERMISSIONS},
            "plan": None if tenant.plan is None else dict(tenant.plan),
            "spending_cap": tenant.spending_cap,
            "release_grace_days": tenant.release_grace_days,
            "seats": tenant.seats,
            "closed_at": iso(tenant.closed_at),
            "standing": standing.public(now),
            "numbers": sorted(numbers),
            "users": users,
            "created_at": iso(tenant.created_at),
        }


def _applied(tenant: Tenant, change: TermsChange, permissions: dict[str, bool] | None,
             now: float) -> Tenant:
    """The tenant as the write left it (no second read: an eventually consistent read
    right after the write could miss it)."""
    values: dict[str, Any] = dict(change.values)
    if permissions is not None:
        values["permissions"] = permissions
    status = values.get("status")
    if status == Status.CLOSED.value:
        values["closed_at"] = tenant.closed_at if tenant.closed_at is not None else now
    elif status is not None:
        values["closed_at"] = None
    if "release_grace_days" in values and values["release_grace_days"] is None:
        values.pop("release_grace_days")
    return dataclasses.replace(tenant, **values)
