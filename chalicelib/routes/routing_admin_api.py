"""Supervisors and admins: live queues, queue settings, the workflow, agents' routing."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.identity import Role
from chalicelib.routes.http import api, json_body, principal, require_role
from chalicelib.routes.schema import choice, obj, strings, text, whole

bp = Blueprint(__name__)

EXPRESSION = text(1000, nullable=True)
QUEUE_NAME = text(64, 1)
QUEUE = obj({"strategy": choice("longest-idle", "round-robin", "fewest-contacts-today",
                                "ring-all"),
             "worker_expression": EXPRESSION,
             "max_wait_seconds": whole(10, 86_400),
             "overflow_after_seconds": whole(0, 86_400, nullable=True),
             "overflow_queue_length": whole(0, 100_000, nullable=True),
             "hold_music_url": text(2000, nullable=True),
             "reservation_timeout_seconds": whole(5, 600, nullable=True),
             "ring_all_limit": whole(1, 20),
             "announce_position": {"type": "boolean"},
             "wait_message": text(500, nullable=True)}, closed=True)
TARGET = obj({"queue": QUEUE_NAME, "expression": EXPRESSION,
              "priority": whole(0, 999_999, nullable=True),
              "timeout": whole(1, 86_400, nullable=True)}, closed=True)
WORKFLOW = obj({"filters": {"type": "array", "maxItems": 50, "items": obj(
                    {"name": text(100, nullable=True),
                     "filter_friendly_name": text(100, nullable=True),
                     "expression": EXPRESSION,
                     "targets": {"type": "array", "maxItems": 10, "items": TARGET}},
                    closed=True)},
                "default_filter": {**obj({"queue": text(64, nullable=True)}, closed=True),
                                   "nullable": True}},
               closed=True)
AGENT_PROFILE = obj({"name": text(100), "skills": strings(50, 64),
                     "attributes": obj(max_properties=32),
                     "capacity": obj({c: whole(0, 50) for c in
                                      ("voice", "sms", "chat", "voicemail")}, closed=True),
                     "tier": choice("full-time", "part-time"),
                     "wrapup_seconds": whole(0, 3600),
                     "mobile": text(32, nullable=True),
                     "take_on_mobile": {"type": "boolean"}}, closed=True)


@bp.route("/api/queues", methods=["GET"])
@api("Live queues: waiting, longest wait, agents", tag="routing")
def queues() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return {"queues": get_routing_admin().queue_stats(who.tenant_id)}


@bp.route("/api/queues/{name}", methods=["PUT"])
@api("Create a queue, or change the settings given", body=QUEUE, params={"name": QUEUE_NAME},
     tag="routing")
def put_queue(name: str) -> Any:
    from chalicelib.domain.routing.views import queue_view
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    body = json_body(bp.current_request)
    return queue_view(get_routing_admin().put_queue(who.tenant_id, name, body))


@bp.route("/api/workflow", methods=["GET"])
@api("The routing workflow: filters from task to queue", tag="routing")
def workflow() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return get_routing_admin().workflow(who.tenant_id)


@bp.route("/api/workflow", methods=["PUT"])
@api("Replace the routing workflow", body=WORKFLOW, tag="routing")
def put_workflow() -> Any:
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    return get_routing_admin().put_workflow(who.tenant_id, json_body(bp.current_request))


@bp.route("/api/agents/{user_id}/routing", methods=["GET"])
@api("A user's routing profile and presence", tag="routing")
def agent_routing(user_id: str) -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_agent_desk

    who = require_role(principal(bp.current_request), Role.SUPERVISOR)
    return agent_view(get_agent_desk().me(who.tenant_id, user_id))


@bp.route("/api/agents/{user_id}/routing", methods=["PUT"])
@api("Create or change a user's routing profile", body=AGENT_PROFILE, tag="routing")
def put_agent_routing(user_id: str) -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_routing_admin

    who = require_role(principal(bp.current_request), Role.ADMIN)
    body = json_body(bp.current_request)
    return agent_view(get_routing_admin().put_agent_routing(who.tenant_id, user_id, body))
