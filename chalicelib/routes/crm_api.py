"""The CRM API: contacts by phone number and their interactions."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInput
from chalicelib.routes.http import api, json_body, principal, query_param
from chalicelib.routes.schema import obj, text

bp = Blueprint(__name__)

PHONE = text(32, 1)
CONTACT_CHANGES = obj({"name": text(200, nullable=True), "email": text(254, nullable=True),
                       "notes": text(4000, nullable=True)}, closed=True)


def _contact_view(contact: Any) -> dict[str, Any]:
    return {"id": contact.contact_id, "phone": contact.phone, "name": contact.name,
            "email": contact.email, "notes": contact.notes,
            "created_at": contact.created_at, "last_seen_at": contact.last_seen_at,
            "interaction_count": contact.interaction_count}


@bp.route("/api/contacts", methods=["GET"])
@api("The contact with this phone number (E.164 or local form)", query={"phone": PHONE},
     tag="crm")
def find_contact() -> Any:
    from chalicelib.wiring import get_crm_service

    who = principal(bp.current_request)
    phone = query_param(bp.current_request, "phone")
    if not phone:
        raise InvalidInput("give ?phone=<number> to look a contact up", path="phone")
    return {"contacts": [_contact_view(get_crm_service().find_contact(who.tenant_id, phone))]}


@bp.route("/api/contacts/{contact_id}", methods=["GET"])
@api("A contact", tag="crm")
def contact(contact_id: str) -> Any:
    from chalicelib.wiring import get_crm_service

    who = principal(bp.current_request)
    return _contact_view(get_crm_service().get_contact(who.tenant_id, contact_id))


@bp.route("/api/contacts/{contact_id}", methods=["PATCH"])
@api("Edit a contact's name, email or notes", body=CONTACT_CHANGES, tag="crm")
def edit_contact(contact_id: str) -> Any:
    from chalicelib.wiring import get_crm_service

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return _contact_view(get_crm_service().update_contact(who.tenant_id, contact_id, body))


@bp.route("/api/contacts/{contact_id}/interactions", methods=["GET"])
@api("A contact's calls, messages and voicemails", tag="crm")
def interactions(contact_id: str) -> Any:
    from chalicelib.wiring import get_crm_service

    who = principal(bp.current_request)
    found = get_crm_service().interactions_of(who.tenant_id, contact_id)
    return {"interactions": [i.to_public() for i in found]}
