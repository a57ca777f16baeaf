"""Sessions: log in, and who am I."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api, json_body, principal, source_ip
from chalicelib.routes.schema import obj, text

bp = Blueprint(__name__)

EMAIL = text(254, 1)
PASSWORD = text(1024, 1)
LOGIN = obj({"email": EMAIL, "password": PASSWORD}, required=("email", "password"))


@bp.route("/api/login", methods=["POST"])
@api("Log in: a session token and the user", body=LOGIN, public=True, tag="sessions")
def login() -> Any:
    from chalicelib.wiring import get_auth_service

    body = json_body(bp.current_request)
    return get_auth_service().login(body.get("email"), body.get("password"),
                                    source_ip(bp.current_request))


@bp.route("/api/me", methods=["GET"])
@api("The logged-in user", tag="sessions")
def me() -> Any:
    from chalicelib.wiring import get_auth_service

    return get_auth_service().me(principal(bp.current_request)).public()
