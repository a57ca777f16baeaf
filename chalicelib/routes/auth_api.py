"""Sessions: log in, who am I, and password reset by mail."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.http import api, json_body, principal, source_ip
from chalicelib.routes.schema import obj, text

bp = Blueprint(__name__)

EMAIL = text(254, 1)
PASSWORD = text(1024, 1)
LOGIN = obj({"email": EMAIL, "password": PASSWORD}, required=("email", "password"))
RESET_REQUEST = obj({"email": EMAIL}, required=("email",), closed=True)
RESET_CONFIRM = obj({"token": text(512, 1), "password": PASSWORD},
                    required=("token", "password"), closed=True)


def accepted() -> Response:
    """202: the request is taken; what happens next is not the caller's to know."""
    return Response(body={"status": "accepted"}, status_code=202,
                    headers={"Content-Type": "application/json"})


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


@bp.route("/api/auth/password-reset", methods=["POST"])
@api("Mail a reset link if the address is a user's; always 202", body=RESET_REQUEST,
     public=True, tag="sessions")
def request_password_reset() -> Any:
    from chalicelib.wiring import get_password_reset

    request = bp.current_request
    get_password_reset().request(json_body(request).get("email"), source_ip(request))
    return accepted()


@bp.route("/api/auth/password-reset/confirm", methods=["POST"])
@api("Set a new password with a reset link's token (works once)", body=RESET_CONFIRM,
     public=True, tag="sessions")
def confirm_password_reset() -> Any:
    from chalicelib.wiring import get_password_reset

    request, body = bp.current_request, json_body(bp.current_request)
    get_password_reset().confirm(body.get("token"), body.get("password"), source_ip(request))
    return {"status": "done"}
