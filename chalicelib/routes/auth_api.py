"""Sessions: log in, and who am I."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api_errors, json_body, principal, source_ip

bp = Blueprint(__name__)


@bp.route("/api/login", methods=["POST"])
@api_errors
def login() -> Any:
    from chalicelib.wiring import get_auth_service

    body = json_body(bp.current_request)
    return get_auth_service().login(body.get("email"), body.get("password"),
                                    source_ip(bp.current_request))


@bp.route("/api/me", methods=["GET"])
@api_errors
def me() -> Any:
    from chalicelib.wiring import get_auth_service

    return get_auth_service().me(principal(bp.current_request)).public()
