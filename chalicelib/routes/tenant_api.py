"""Signing up, the business's profile, and its users."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api_errors, json_body, principal, source_ip

bp = Blueprint(__name__)


@bp.route("/api/signup", methods=["POST"])
@api_errors
def sign_up() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    return get_tenant_admin().sign_up(json_body(request), source_ip(request))


@bp.route("/api/tenant", methods=["GET", "PUT"])
@api_errors
def tenant() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    if request.method == "PUT":
        return get_tenant_admin().update(principal(request), json_body(request))
    return get_tenant_admin().describe(principal(request))


@bp.route("/api/users", methods=["GET", "POST"])
@api_errors
def users() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    if request.method == "POST":
        return get_tenant_admin().add_user(principal(request), json_body(request))
    return get_tenant_admin().list_users(principal(request))
