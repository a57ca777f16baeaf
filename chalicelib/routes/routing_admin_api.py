"""Supervisors and admins: live queues, queue settings, the workflow, agents' routing."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.identity import Role
from chalicelib.routes.http import api_errors, json_body, principal, require_role

bp = Blueprint(__name__)


@bp.route("/api/queues", methods=["GET"])
@api_errors
def queues() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return {"queues": get_routing_admin().queue_stats(who.tenant_id)}


@bp.route("/api/queues/{name}", methods=["PUT"])
@api_errors
def put_queue(name: str) -> Any:
    from chalicelib.domain.routing.views import queue_view
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    body = json_body(bp.current_request)
    return queue_view(get_routing_admin().put_queue(who.tenant_id, name, body))


@bp.route("/api/workflow", methods=["GET"])
@api_errors
def workflow() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return get_routing_admin().workflow(who.tenant_id)


@bp.route("/api/workflow", methods=["PUT"])
@api_errors
def put_workflow() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    return get_routing_admin().put_workflow(who.tenant_id, json_body(bp.current_request))


@bp.route("/api/agents/{user_id}/routing", methods=["GET"])
@api_errors
def agent_routing(user_id: str) -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_agent_desk

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return agent_view(get_agent_desk().me(who.tenant_id, user_id))


@bp.route("/api/agents/{user_id}/routing", methods=["PUT"])
@api_errors
def put_agent_routing(user_id: str) -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    body = json_body(bp.current_request)
    return agent_view(get_routing_admin().put_agent_routing(who.tenant_id, user_id, body))
