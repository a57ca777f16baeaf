"""The CRM API: contacts (search, edit, merge, import, export) and their timelines."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.identity import Role
from chalicelib.routes.http import api, json_body, principal, query_param
from chalicelib.routes.schema import TooLarge, obj, strings, text

bp = Blueprint(__name__)

PHONE = text(32, 1)
IMPORT_MAX_BYTES = 1024 * 1024
FIELD_VALUES = {"type": "object", "maxProperties": 20,
                "additionalProperties": {"nullable": True}}
DETAILS = {"name": text(200, nullable=True), "company": text(200, nullable=True),
           "email": text(254, nullable=True), "notes": text(4000, nullable=True),
           "tags": strings(20, 40), "fields": FIELD_VALUES}
CONTACT_CHANGES = obj(DETAILS, closed=True)
NEW_CONTACT = obj({"phone": PHONE, **DETAILS}, required=("phone",), closed=True)
MERGE = obj({"other_id": text(128, 1)}, required=("other_id",), closed=True)
FIELD_DEF = obj({"name": text(32, 1), "label": text(100), "type": text(10, 1),
                 "options": strings(50, 100)}, required=("name", "type"), closed=True)
FIELD_SETTINGS = obj({"fields": {"type": "array", "maxItems": 20, "items": FIELD_DEF},
                      "country": text(2, 2)}, required=("fields",), closed=True)
IMPORT = obj({"csv": text(IMPORT_MAX_BYTES, 1)}, required=("csv",), closed=True)
SEARCH = {"phone": PHONE, "q": text(128), "tag": text(40), "cursor": text(128),
          "limit": text(3, 1, pattern="^[0-9]+$")}
PAGE = {"cursor": text(128), "limit": text(3, 1, pattern="^[0-9]+$")}


def _filters(request: Any) -> dict[str, str]:
    """``field.NAME=value`` query parameters: the custom fields searched for."""
    found = {}
    for name, value in (request.query_params or {}).items():
        if name.startswith("field."):
            if len(value) > 200:
                raise InvalidInput("a field value is at most 200 characters", path=name)
            found[name[len("field."):]] = value
    return found


def _search_args(request: Any) -> dict[str, Any]:
    return {"q": query_param(request, "q"), "tag": query_param(request, "tag") or None,
            "fields": _filters(request)}


def _limit(request: Any) -> int:
    return int(query_param(request, "limit") or 25)


@bp.route("/api/contacts", methods=["GET"])
@api("Find contacts: ?phone= (one, any written form), or ?q= (number, name, email), "
     "?tag=, ?field.NAME=, paged with ?cursor=", query=SEARCH, tag="crm")
def find_contacts() -> Any:
    from chalicelib.services.contacts import contact_view
    from chalicelib.wiring import get_contacts_service

    who, request = principal(bp.current_request), bp.current_request
    service = get_contacts_service()
    phone = query_param(request, "phone")
    if phone:
        return {"contacts": [contact_view(service.find_by_phone(who.tenant_id, phone))]}
    found, cursor = service.search(who.tenant_id, **_search_args(request),
                                   cursor=query_param(request, "cursor"), limit=_limit(request))
    return {"contacts": [contact_view(c) for c in found], "next": cursor}


@bp.route("/api/contacts", methods=["POST"])
@api("Create a contact from a phone number, with its details", body=NEW_CONTACT, tag="crm")
def create_contact() -> Any:
    from chalicelib.services.contacts import contact_view
    from chalicelib.wiring import get_contacts_service

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return contact_view(get_contacts_service().create(who.tenant_id, body))


@bp.route("/api/contacts/export.csv", methods=["GET"])
@api("Every contact, or a search's, as CSV", query=SEARCH, tag="crm")
def export_contacts() -> Any:
    from chalicelib.domain.contacts.csv_io import export_csv
    from chalicelib.wiring import get_contacts_service

    who, service = principal(bp.current_request), get_contacts_service()
    found = service.export(who.tenant_id, **_search_args(bp.current_request))
    body = export_csv(found, service.settings(who.tenant_id)[0])
    return Response(body=body, status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="contacts.csv"'})


@bp.route("/api/contacts/import", methods=["POST"], content_types=["application/json",
                                                                     "text/csv"])
@api("Import a customer list (CSV, or JSON {csv}): the rows rejected and why",
     body=IMPORT, max_body=IMPORT_MAX_BYTES + 64 * 1024, tag="crm")
def import_contacts() -> Any:
    from chalicelib.wiring import get_contact_import

    request = bp.current_request
    who = principal(request)
    who.require(Role.SUPERVISOR)
    if (request.headers.get("content-type") or "").startswith("text/csv"):
        raw = request.raw_body or b""
        if len(raw) > IMPORT_MAX_BYTES:
            raise TooLarge(f"the CSV is larger than {IMPORT_MAX_BYTES // 1024} KiB")
        text_body = raw.decode("utf-8-sig", "replace") if isinstance(raw, bytes) else raw
    else:
        text_body = json_body(request)["csv"]
    return get_contact_import().run(who, text_body)


@bp.route("/api/contact-fields", methods=["GET"])
@api("The business's custom contact fields and the country numbers are read in", tag="crm")
def contact_fields() -> Any:
    from chalicelib.wiring import get_contacts_service

    return get_contacts_service().field_settings(principal(bp.current_request).tenant_id)


@bp.route("/api/contact-fields", methods=["PUT"])
@api("Define the custom contact fields (text, number, date, choice)", body=FIELD_SETTINGS,
     tag="crm")
def set_contact_fields() -> Any:
    from chalicelib.wiring import get_contacts_service

    who, body = principal(bp.current_request), json_body(bp.current_request)
    who.require(Role.ADMIN)
    return get_contacts_service().set_field_settings(who.tenant_id, body)


@bp.route("/api/contacts/{contact_id}", methods=["GET"])
@api("A contact (a merged-away id gives the contact it was merged into)", tag="crm")
def contact(contact_id: str) -> Any:
    from chalicelib.services.contacts import contact_view
    from chalicelib.wiring import get_contacts_service

    who = principal(bp.current_request)
    return contact_view(get_contacts_service().resolve(who.tenant_id, contact_id))


@bp.route("/api/contacts/{contact_id}", methods=["PATCH"])
@api("Edit a contact's details, tags and custom fields", body=CONTACT_CHANGES, tag="crm")
def edit_contact(contact_id: str) -> Any:
    from chalicelib.services.contacts import contact_view
    from chalicelib.wiring import get_contacts_service

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return contact_view(get_contacts_service().update(who.tenant_id, contact_id, body))


@bp.route("/api/contacts/{contact_id}/interactions", methods=["GET"])
@api("A contact's timeline on every channel, merged contacts' included, newest first",
     query=PAGE, tag="crm")
def interactions(contact_id: str) -> Any:
    from chalicelib.wiring import get_contact_history

    who, request = principal(bp.current_request), bp.current_request
    contact, found, cursor = get_contact_history().timeline(
        who.tenant_id, contact_id, query_param(request, "cursor"), _limit(request))
    return {"contact_id": contact.contact_id, "interactions": [i.to_public() for i in found],
            "next": cursor}


@bp.route("/api/contacts/{contact_id}/merge", methods=["POST"])
@api("Merge another contact into this one, keeping both timelines", body=MERGE, tag="crm")
def merge_contacts(contact_id: str) -> Any:
    from chalicelib.wiring import get_contact_history

    who, body = principal(bp.current_request), json_body(bp.current_request)
    who.require(Role.SUPERVISOR)
    return get_contact_history().merge(who, contact_id, body["other_id"])


@bp.route("/api/contacts/{contact_id}/merges", methods=["GET"])
@api("The merges into a contact: who merged what, and when", tag="crm")
def merges(contact_id: str) -> Any:
    from chalicelib.wiring import get_contact_history

    who = principal(bp.current_request)
    return {"merges": get_contact_history().merges(who.tenant_id, contact_id)}


@bp.route("/api/contacts/{contact_id}/duplicates", methods=["GET"])
@api("Contacts that look like this one (same number on another channel, same email)",
     tag="crm")
def duplicates(contact_id: str) -> Any:
    from chalicelib.wiring import get_contacts_service

    who = principal(bp.current_request)
    return {"duplicates": get_contacts_service().duplicates(who.tenant_id, contact_id)}
