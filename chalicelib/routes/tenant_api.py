"""Signing up, the business's profile, and its users."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.auth_api import EMAIL, PASSWORD
from chalicelib.routes.http import api, json_body, principal, source_ip
from chalicelib.routes.routing_admin_api import AGENT_PROFILE
from chalicelib.routes.schema import choice, obj, strings, text

bp = Blueprint(__name__)

NAME = text(120, 1)
TIMEZONE = text(64, 1)
SIGNUP = obj({"business_name": NAME, "name": NAME, "email": EMAIL, "password": PASSWORD,
              "timezone": TIMEZONE,
              "area_code": text(3, 3, pattern=r"^[0-9]{3}$", nullable=True),
              "country": text(2, 2, pattern=r"^[A-Za-z]{2}$")},
             required=("business_name", "name", "email", "password"), closed=True)
SPANS = {"type": "array", "maxItems": 8,
         "items": {"type": "array", "minItems": 2, "maxItems": 2, "items": text(5, 4)}}
HOURS = obj({day: SPANS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            closed=True)
MESSAGES = obj({key: text(500, nullable=True)
                for key in ("closed_hours", "suspended", "closed", "expired")}, closed=True)
PROFILE = obj({"hours": HOURS, "holidays": strings(366, 10), "timezone": TIMEZONE,
               "dispositions": strings(30, 64), "messages": MESSAGES}, closed=True)
NEW_USER = obj({"name": NAME, "email": EMAIL, "password": PASSWORD,
                "role": choice("agent", "supervisor", "admin"),
                **{k: v for k, v in AGENT_PROFILE["properties"].items() if k != "name"}},
               required=("name", "email", "password"), closed=True)


@bp.route("/api/signup", methods=["POST"])
@api("Sign a business up: its number, its owner and a session", body=SIGNUP, public=True,
     tag="tenant")
def sign_up() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    return get_tenant_admin().sign_up(json_body(request), source_ip(request))


@bp.route("/api/tenant", methods=["GET"])
@api("The business: numbers, time zone, weekly hours, holidays", tag="tenant")
def tenant() -> Any:
    from chalicelib.wiring import get_tenant_admin

    return get_tenant_admin().describe(principal(bp.current_request))


@bp.route("/api/tenant", methods=["PUT"])
@api("Change the fields given of the business's profile", body=PROFILE, tag="tenant")
def update_tenant() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    return get_tenant_admin().update(principal(request), json_body(request))


@bp.route("/api/users", methods=["GET"])
@api("The business's users", tag="tenant")
def users() -> Any:
    from chalicelib.wiring import get_tenant_admin

    return get_tenant_admin().list_users(principal(bp.current_request))


@bp.route("/api/users", methods=["POST"])
@api("Add an agent, supervisor or admin", body=NEW_USER, tag="tenant")
def add_user() -> Any:
    from chalicelib.wiring import get_tenant_admin

    request = bp.current_request
    return get_tenant_admin().add_user(principal(request), json_body(request))


# --- managing users (services/accounts.py; docs/accounts.md) ---------------------------
USER_EDIT = obj({"name": NAME, "role": choice("agent", "supervisor", "admin", "owner"),
                 "mobile": text(32, 0, nullable=True)}, closed=True)


def _accounts() -> Any:
    from chalicelib.wiring import get_user_accounts

    return get_user_accounts()


@bp.route("/api/users/{user_id}", methods=["PATCH"])
@api("Edit a user's name, role or mobile (owners; admins except on owners)", body=USER_EDIT,
     tag="tenant")
def edit_user(user_id: str) -> Any:
    request = bp.current_request
    return _accounts().edit(principal(request), user_id, json_body(request))


@bp.route("/api/users/{user_id}/deactivate", methods=["POST"])
@api("Deactivate a user: sessions end at once, no login, presence offline", tag="tenant")
def deactivate_user(user_id: str) -> Any:
    return _accounts().deactivate(principal(bp.current_request), user_id)


@bp.route("/api/users/{user_id}/reactivate", methods=["POST"])
@api("Reactivate a user: they may log in again", tag="tenant")
def reactivate_user(user_id: str) -> Any:
    return _accounts().reactivate(principal(bp.current_request), user_id)


@bp.route("/api/users/{user_id}/password-reset", methods=["POST"])
@api("Mail a user a password reset link", tag="tenant")
def send_reset_link(user_id: str) -> Any:
    from chalicelib.routes.auth_api import accepted

    _accounts().send_reset(principal(bp.current_request), user_id)
    return accepted()
