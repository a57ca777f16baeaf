"""The platform operator's API: its tenants and their terms (docs/operator.md)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.billing.plan import PLAN_SCHEMA
from chalicelib.domain.tenancy import PERMISSIONS
from chalicelib.routes.http import api, json_body, operator
from chalicelib.routes.schema import choice, obj, text, whole

bp = Blueprint(__name__)

TERMS = obj({
    "status": choice("active", "suspended", "closed"),
    "valid_until": text(40, 1, nullable=True),
    "permissions": obj({name: {"type": "boolean"} for name in PERMISSIONS}, closed=True),
    "plan": {**PLAN_SCHEMA, "nullable": True},
    "spending_cap": {"type": "number", "minimum": 0, "maximum": 1_000_000, "nullable": True},
    "release_grace_days": whole(0, 3650),
    "seats": whole(0, 100_000, nullable=True),
}, closed=True)


@bp.route("/api/operator/tenants", methods=["GET"])
@api("Every tenant: standing, terms, numbers, user count", tag="operator")
def tenants() -> Any:
    from chalicelib.wiring import get_tenant_operations

    operator(bp.current_request)
    return get_tenant_operations().tenants()


@bp.route("/api/operator/tenants/{tenant_id}", methods=["GET"])
@api("One tenant: standing, terms, numbers, user count", tag="operator")
def tenant(tenant_id: str) -> Any:
    from chalicelib.wiring import get_tenant_operations

    operator(bp.current_request)
    return get_tenant_operations().read(tenant_id)


@bp.route("/api/operator/tenants/{tenant_id}", methods=["PATCH"])
@api("Change a tenant's terms: status, validity, media, plan, cap, grace, seats",
     body=TERMS, tag="operator")
def change_tenant(tenant_id: str) -> Any:
    from chalicelib.wiring import get_tenant_operations

    request = bp.current_request
    operator(request)
    return get_tenant_operations().change(tenant_id, json_body(request))
