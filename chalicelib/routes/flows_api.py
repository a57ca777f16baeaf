"""The flows admin API: drafts, validation, publishing, revisions, rollback, numbers."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.identity import Role
from chalicelib.routes.http import api_errors, json_body, principal, require_role

bp = Blueprint(__name__)


def _service() -> Any:
    from chalicelib.wiring import get_flow_admin

    return get_flow_admin()


def _issues(issues: list[Any]) -> list[dict[str, Any]]:
    return [issue.to_dict() for issue in issues]


def _admin() -> Any:
    return require_role(principal(bp.current_request), Role.ADMIN)


@bp.route("/api/flows", methods=["GET"])
@api_errors
def list_flows() -> Any:
    who = principal(bp.current_request)
    return {"flows": [f.view() for f in _service().list_flows(who.tenant_id)]}


@bp.route("/api/flows", methods=["POST"])
@api_errors
def create_flow() -> Any:
    who, body = _admin(), json_body(bp.current_request)
    record, issues = _service().create(who.tenant_id, str(body.get("name") or ""),
                                       body.get("definition"), body.get("flow_id"))
    return {"flow": record.view(), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}", methods=["GET"])
@api_errors
def get_flow(flow_id: str) -> Any:
    record = _service().get(principal(bp.current_request).tenant_id, flow_id)
    return {"flow": record.view(), "definition": record.draft}


@bp.route("/api/flows/{flow_id}", methods=["PUT"])
@api_errors
def save_draft(flow_id: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    record, issues = _service().save_draft(who.tenant_id, flow_id, body.get("definition"),
                                           body.get("name"))
    return {"flow": record.view(), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}/validate", methods=["POST"])
@api_errors
def validate(flow_id: str) -> Any:
    issues = _service().validate(_admin().tenant_id, flow_id)
    return {"valid": not any(i.severity == "error" for i in issues), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}/publish", methods=["POST"])
@api_errors
def publish(flow_id: str) -> Any:
    who = _admin()
    revision, warnings = _service().publish_with_warnings(who.tenant_id, flow_id, who.user_id)
    return {"revision": revision, "warnings": _issues(warnings)}


@bp.route("/api/flows/{flow_id}/revisions", methods=["GET"])
@api_errors
def revisions(flow_id: str) -> Any:
    who = principal(bp.current_request)
    return {"revisions": [r.view() for r in _service().revisions(who.tenant_id, flow_id)]}


@bp.route("/api/flows/{flow_id}/rollback", methods=["POST"])
@api_errors
def rollback(flow_id: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    if not isinstance(body.get("revision"), int):
        raise InvalidInput("give the revision to roll back to", path="revision")
    return {"revision": _service().rollback(who.tenant_id, flow_id, body["revision"],
                                            who.user_id)}


@bp.route("/api/numbers/{number}/flow", methods=["PUT"])
@api_errors
def bind_number(number: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    _service().bind_number(who.tenant_id, number, str(body.get("flow_id") or ""),
                           str(body.get("channel") or "voice"))
    return {"number": number, "flow_id": body.get("flow_id"),
            "channel": body.get("channel") or "voice"}
