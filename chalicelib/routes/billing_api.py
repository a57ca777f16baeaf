"""Usage and invoices: the business's owner and admins, and the operator (docs/billing.md).

``GET /api/invoices/{month}``: ``2026-11`` answers JSON, ``2026-11.csv`` the same invoice
as a CSV download.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from chalice.app import Response

from chalicelib.domain.billing.plan import KINDS
from chalicelib.domain.identity import Role
from chalicelib.routes.http import api, operator, principal, query_param, require_role
from chalicelib.routes.schema import choice, text

bp = Blueprint(__name__)

YEAR_MONTH = r"(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])"  # 1970-01 .. 2999-12
MONTH = text(7, 7, pattern=f"^{YEAR_MONTH}$")
INVOICE_MONTH = {"month": text(11, 7, pattern=f"^{YEAR_MONTH}(\\.csv)?$")}
TENANT = {"tenant_id": text(128, 1)}
KIND = {**choice(*KINDS), "maxLength": max(len(kind) for kind in KINDS)}
USAGE_QUERY = {"month": MONTH, "kind": KIND, "cursor": text(128, 3, pattern=r"^r#")}


def _usage(tenant_id: str) -> Any:
    from chalicelib.wiring import get_billing

    request = bp.current_request
    return get_billing().usage(tenant_id, query_param(request, "month"),
                               query_param(request, "kind"), query_param(request, "cursor"))


def _invoice(tenant_id: str, month: str) -> Any:
    from chalicelib.wiring import get_billing

    body, csv_name = get_billing().invoice_document(tenant_id, month)
    if csv_name is None:
        return body
    return Response(body=body, status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{csv_name}"'})


@bp.route("/api/usage", methods=["GET"])
@api("The business's usage this month (or ?month=YYYY-MM): totals per kind and records",
     query=USAGE_QUERY, tag="billing")
def usage() -> Any:
    return _usage(require_role(principal(bp.current_request), Role.ADMIN).tenant_id)


@bp.route("/api/invoices/{month}", methods=["GET"])
@api("The business's invoice for a month: YYYY-MM (JSON) or YYYY-MM.csv (CSV)",
     params=INVOICE_MONTH, tag="billing")
def invoice(month: str) -> Any:
    return _invoice(require_role(principal(bp.current_request), Role.ADMIN).tenant_id, month)


@bp.route("/api/operator/tenants/{tenant_id}/usage", methods=["GET"])
@api("A tenant's usage for a month (operator)", params=TENANT, query=USAGE_QUERY,
     tag="operator")
def operator_usage(tenant_id: str) -> Any:
    operator(bp.current_request)
    return _usage(tenant_id)


@bp.route("/api/operator/tenants/{tenant_id}/invoices/{month}", methods=["GET"])
@api("A tenant's invoice for a month, JSON or .csv (operator)",
     params={**TENANT, **INVOICE_MONTH}, tag="operator")
def operator_invoice(tenant_id: str, month: str) -> Any:
    operator(bp.current_request)
    return _invoice(tenant_id, month)
