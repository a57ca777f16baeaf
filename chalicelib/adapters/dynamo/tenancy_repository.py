"""What the tenancy sweep needs beyond the tenant repository: closed tenants, and a
number's row removed once released (services/tenancy/release.py)."""

from __future__ import annotations

from chalicelib.adapters.dynamo.errors import dynamo_call, translated
from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel, TenantModel
from chalicelib.adapters.dynamo.tenant_repository import TenantRepository, _tenant
from chalicelib.domain.errors import Conflict
from chalicelib.domain.identity import Tenant
from chalicelib.domain.tenancy import Status


class TenancyRepository(TenantRepository):
    @dynamo_call("list closed tenants")
    def closed_tenants(self) -> list[Tenant]:
        """Every closed tenant: a filtered Scan (closed tenants are few; the sweep runs
        this at most hourly)."""
        return [_tenant(model) for model in
                TenantModel.scan(TenantModel.status == Status.CLOSED.value)]

    def remove_number(self, number: str, tenant_id: str) -> bool:
        """Delete the number's row if it still belongs to ``tenant_id``; False if it is
        gone already or belongs to someone else now."""
        try:
            with translated("remove number"):
                PhoneNumberModel(number).delete(
                    condition=PhoneNumberModel.tenant_id == tenant_id)
        except Conflict:
            return False
        return True
