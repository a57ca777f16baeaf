"""The tenant's data interface: API keys, outgoing webhooks, the CRM export
(docs/integrations.md)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.routes.http import api, json_body, principal, query_param
from chalicelib.routes.schema import choice, obj, strings, text

bp = Blueprint(__name__)

NEW_KEY = obj({"name": text(80, 1), "role": choice("agent", "supervisor", "admin")},
              required=("name", "role"), closed=True)
NEW_WEBHOOK = obj({"url": text(2000, 1), "events": strings(4, 40),
                   "description": text(200)}, required=("url", "events"), closed=True)
LOG = {"limit": text(3, 1, pattern="^[0-9]+$")}
EXPORT = {"format": text(4, 3, pattern="^(json|csv)$"), "cursor": text(128),
          "limit": text(3, 1, pattern="^[0-9]+$")}
EXPORT_TIMES = {**EXPORT, "since": text(40), "until": text(40)}


@bp.route("/api/keys", methods=["GET"])
@api("The business's API keys (never their secrets): owners and admins", tag="integrations")
def list_keys() -> Any:
    from chalicelib.wiring import get_api_keys

    return {"keys": get_api_keys().list(principal(bp.current_request))}


@bp.route("/api/keys", methods=["POST"])
@api("Create an API key with a role; its secret is in this answer only", body=NEW_KEY,
     tag="integrations")
def create_key() -> Any:
    from chalicelib.wiring import get_api_keys

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return Response(body=get_api_keys().create(who, body), status_code=201)


@bp.route("/api/keys/{key_id}", methods=["DELETE"])
@api("Revoke an API key: it stops working at once", tag="integrations")
def revoke_key(key_id: str) -> Any:
    from chalicelib.wiring import get_api_keys

    return get_api_keys().revoke(principal(bp.current_request), key_id)


@bp.route("/api/webhooks", methods=["GET"])
@api("The business's webhook subscriptions", tag="integrations")
def list_webhooks() -> Any:
    from chalicelib.wiring import get_webhooks

    return {"webhooks": get_webhooks().list(principal(bp.current_request))}


@bp.route("/api/webhooks", methods=["POST"])
@api("Subscribe a URL to events; the signing secret is in this answer only",
     body=NEW_WEBHOOK, tag="integrations")
def create_webhook() -> Any:
    from chalicelib.wiring import get_webhooks

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return Response(body=get_webhooks().create(who, body), status_code=201)


@bp.route("/api/webhooks/{webhook_id}", methods=["DELETE"])
@api("Delete a webhook subscription", tag="integrations")
def delete_webhook(webhook_id: str) -> Any:
    from chalicelib.wiring import get_webhooks

    return get_webhooks().delete(principal(bp.current_request), webhook_id)


@bp.route("/api/webhooks/{webhook_id}/deliveries", methods=["GET"])
@api("A webhook's delivery log, newest first: attempts, status codes, errors, next retry",
     query=LOG, tag="integrations")
def webhook_deliveries(webhook_id: str) -> Any:
    from chalicelib.wiring import get_webhooks

    limit = int(query_param(bp.current_request, "limit") or 50)
    return get_webhooks().deliveries(principal(bp.current_request), webhook_id, limit)


@bp.route("/api/webhooks/{webhook_id}/test", methods=["POST"])
@api("Send a signed webhook.test event to this webhook now", tag="integrations")
def test_webhook(webhook_id: str) -> Any:
    from chalicelib.wiring import get_webhooks

    return get_webhooks().test(principal(bp.current_request), webhook_id)


def _export(page: Any, request: Any, name: str) -> Any:
    """JSON ``{<kind>: [...], "next"}``, or CSV with the next page in ``X-Next-Cursor`` and
    ``Link: <…>; rel="next"``."""
    if (query_param(request, "format") or "json") == "json":
        return page.json()
    headers: dict[str, str | list[str]] = {"Content-Type": "text/csv; charset=utf-8",
                               "Content-Disposition": f'attachment; filename="{name}.csv"'}
    if page.next:
        from urllib.parse import urlencode

        params = {k: v for k, v in (request.query_params or {}).items() if k != "cursor"}
        headers["X-Next-Cursor"] = page.next
        headers["Link"] = f'<{request.path}?{urlencode({**params, "cursor": page.next})}>; ' \
                          'rel="next"'
    return Response(body=page.csv(), status_code=200, headers=headers)


@bp.route("/api/export/contacts", methods=["GET"])
@api("Every contact, paged (?format=json|csv&cursor=&limit=): supervisors and admins",
     query=EXPORT, tag="integrations")
def export_contacts() -> Any:
    from chalicelib.services.integrations.export import check_limit
    from chalicelib.wiring import get_crm_export

    request = bp.current_request
    page = get_crm_export().contact_page(principal(request), query_param(request, "cursor"),
                                         check_limit(query_param(request, "limit")))
    return _export(page, request, "contacts")


@bp.route("/api/export/interactions", methods=["GET"])
@api("Every interaction, oldest first, paged (?format=json|csv&since=&until=&cursor="
     "&limit=): supervisors and admins", query=EXPORT_TIMES, tag="integrations")
def export_interactions() -> Any:
    from chalicelib.services.integrations.export import check_limit
    from chalicelib.wiring import get_crm_export

    r = bp.current_request
    page = get_crm_export().interaction_page(
        principal(r), query_param(r, "cursor"), check_limit(query_param(r, "limit")),
        query_param(r, "since"), query_param(r, "until"))
    return _export(page, r, "interactions")
