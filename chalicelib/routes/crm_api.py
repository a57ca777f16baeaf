"""The CRM API: contacts by phone number and their interactions."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInput
from chalicelib.routes.http import api_errors, json_body, principal

bp = Blueprint(__name__)


def _contact_view(contact: Any) -> dict[str, Any]:
    return {"id": contact.contact_id, "phone": contact.phone, "name": contact.name,
            "email": contact.email, "notes": contact.notes,
            "created_at": contact.created_at, "last_seen_at": contact.last_seen_at,
            "interaction_count": contact.interaction_count}


@bp.route("/api/contacts", methods=["GET"])
@api_errors
def find_contact() -> Any:
    from chalicelib.wiring import get_crm_service

    who = principal(bp.current_request)
    query = bp.current_request.query_params
    phone = query.get("phone") if query is not None else None
    if not phone:
        raise InvalidInput("give ?phone=<number> to look a contact up", path="phone")
    return {"contacts": [_contact_view(get_crm_service().find_contact(who.tenant_id, phone))]}


@bp.route("/api/contacts/{contact_id}", methods=["GET", "PATCH"])
@api_errors
def contact(contact_id: str) -> Any:
    from chalicelib.wiring import get_crm_service

    who, request = principal(bp.current_request), bp.current_request
    if request.method == "PATCH":
        body = json_body(request)
        return _contact_view(get_crm_service().update_contact(who.tenant_id, contact_id, body))
    return _contact_view(get_crm_service().get_contact(who.tenant_id, contact_id))


@bp.route("/api/contacts/{contact_id}/interactions", methods=["GET"])
@api_errors
def interactions(contact_id: str) -> Any:
    from chalicelib.wiring import get_crm_service

    who = principal(bp.current_request)
    found = get_crm_service().interactions_of(who.tenant_id, contact_id)
    return {"interactions": [i.to_public() for i in found]}
