"""The flows admin API: drafts, validation, publishing, revisions, rollback, numbers."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.identity import Role
from chalicelib.routes.http import api, json_body, principal, require_role
from chalicelib.routes.schema import obj, text, whole

bp = Blueprint(__name__)

# A flow's head item holds its draft and its published definition, within DynamoDB's
# 400 KB item: a definition of up to 180 KiB fits twice.
FLOW_MAX_BODY = 180 * 1024
FLOW_ID = text(64, 1, pattern=r"^[A-Za-z0-9_-]+$")
FLOW_NAME = text(120, 1)
DEFINITION = obj(max_properties=64)
NEW_FLOW = obj({"name": FLOW_NAME, "definition": DEFINITION,
                "flow_id": {**FLOW_ID, "nullable": True}}, required=("name", "definition"))
DRAFT = obj({"definition": DEFINITION, "name": {**FLOW_NAME, "nullable": True}},
            required=("definition",))
ROLLBACK = obj({"revision": whole(1, 1_000_000)}, required=("revision",))
BINDING = obj({"flow_id": FLOW_ID, "channel": text(16, 1)}, required=("flow_id",))


def _service() -> Any:
    from chalicelib.wiring import get_flow_admin

    return get_flow_admin()


def _issues(issues: list[Any]) -> list[dict[str, Any]]:
    return [issue.to_dict() for issue in issues]


def _admin() -> Any:
    """Every flows route, reads included, is for owners and admins: as in Twilio Flex,
    where Studio flows live in the Console that only admins reach (docs/accounts.md)."""
    return require_role(principal(bp.current_request), Role.ADMIN)


@bp.route("/api/flows", methods=["GET"])
@api("The business's flows", tag="flows")
def list_flows() -> Any:
    who = _admin()
    return {"flows": [f.view() for f in _service().list_flows(who.tenant_id)]}


@bp.route("/api/flows", methods=["POST"])
@api("Create a flow from a draft definition", body=NEW_FLOW, max_body=FLOW_MAX_BODY,
     tag="flows")
def create_flow() -> Any:
    who, body = _admin(), json_body(bp.current_request)
    record, issues = _service().create(who.tenant_id, body["name"], body["definition"],
                                       body.get("flow_id"))
    return {"flow": record.view(), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}", methods=["GET"])
@api("A flow and its draft definition", tag="flows")
def get_flow(flow_id: str) -> Any:
    record = _service().get(_admin().tenant_id, flow_id)
    return {"flow": record.view(), "definition": record.draft}


@bp.route("/api/flows/{flow_id}", methods=["PUT"])
@api("Save a flow's draft (it may still be invalid)", body=DRAFT,
     max_body=FLOW_MAX_BODY, tag="flows")
def save_draft(flow_id: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    record, issues = _service().save_draft(who.tenant_id, flow_id, body.get("definition"),
                                           body.get("name"))
    return {"flow": record.view(), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}/validate", methods=["POST"])
@api("Validate a flow's draft", tag="flows")
def validate(flow_id: str) -> Any:
    issues = _service().validate(_admin().tenant_id, flow_id)
    return {"valid": not any(i.severity == "error" for i in issues), "issues": _issues(issues)}


@bp.route("/api/flows/{flow_id}/publish", methods=["POST"])
@api("Publish a flow's draft as a new revision", tag="flows")
def publish(flow_id: str) -> Any:
    who = _admin()
    revision, warnings = _service().publish_with_warnings(who.tenant_id, flow_id, who.user_id)
    return {"revision": revision, "warnings": _issues(warnings)}


@bp.route("/api/flows/{flow_id}/revisions", methods=["GET"])
@api("A flow's published revisions", tag="flows")
def revisions(flow_id: str) -> Any:
    who = _admin()
    return {"revisions": [r.view() for r in _service().revisions(who.tenant_id, flow_id)]}


@bp.route("/api/flows/{flow_id}/revisions/{revision}", methods=["GET"])
@api("A published revision with its definition",
     params={"revision": text(7, 1, pattern=r"^[0-9]+$")}, tag="flows")
def revision(flow_id: str, revision: str) -> Any:
    who = _admin()
    found = _service().revision(who.tenant_id, flow_id, int(revision))
    return {"revision": found.view(with_definition=True)}


@bp.route("/api/flows/{flow_id}/rollback", methods=["POST"])
@api("Publish an earlier revision again", body=ROLLBACK, tag="flows")
def rollback(flow_id: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    return {"revision": _service().rollback(who.tenant_id, flow_id, body["revision"],
                                            who.user_id)}


@bp.route("/api/numbers/{number}/flow", methods=["PUT"])
@api("Answer a number's calls or messages with a flow", body=BINDING,
     params={"number": text(32, 1)}, tag="flows")
def bind_number(number: str) -> Any:
    who, body = _admin(), json_body(bp.current_request)
    _service().bind_number(who.tenant_id, number, str(body.get("flow_id") or ""),
                           str(body.get("channel") or "voice"))
    return {"number": number, "flow_id": body.get("flow_id"),
            "channel": body.get("channel") or "voice"}
