"""The operator's phone numbers: every number and its routing; shared numbers' menus
(docs/shared-numbers.md)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api, json_body, operator
from chalicelib.routes.schema import obj, text

bp = Blueprint(__name__)

E164 = text(20, 3, pattern=r"^(\+|%2[Bb])?[0-9]{6,15}$")
SHARED = obj({
    "tenants": {"type": "array", "minItems": 1, "maxItems": 10,
                "items": obj({"tenant_id": text(128, 1),
                              "digit": text(4, 1, pattern=r"^[0-9]{1,4}$")},
                             required=("tenant_id", "digit"), closed=True)},
    "greeting": text(500, 1),
}, required=("tenants", "greeting"), closed=True)


@bp.route("/api/operator/numbers", methods=["GET"])
@api("Every phone number: its owner and, if shared, its menu and greeting", tag="operator")
def numbers() -> Any:
    from chalicelib.wiring import get_shared_number_admin

    operator(bp.current_request)
    return get_shared_number_admin().list()


@bp.route("/api/operator/numbers/{e164}/shared", methods=["POST"])
@api("Make a number shared: a key (or 2-4 digit code) per business, and a greeting",
     body=SHARED, params={"e164": E164}, tag="operator")
def share(e164: str) -> Any:
    from chalicelib.wiring import get_shared_number_admin

    operator(bp.current_request)
    return get_shared_number_admin().share(e164, json_body(bp.current_request))


@bp.route("/api/operator/numbers/{e164}/shared", methods=["DELETE"])
@api("Make a shared number ordinary again", params={"e164": E164}, tag="operator")
def unshare(e164: str) -> Any:
    from chalicelib.wiring import get_shared_number_admin

    operator(bp.current_request)
    return get_shared_number_admin().unshare(e164)
