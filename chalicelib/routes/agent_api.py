"""The agent's routing API: presence, offers, accept/reject, own tasks, wrap-up."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api, json_body, principal
from chalicelib.routes.schema import obj, text

bp = Blueprint(__name__)

ACTIVITY = obj({"activity": text(32, 1)}, required=("activity",))
WRAPUP = obj({"disposition": text(64), "notes": text(4000)})


@bp.route("/api/me/routing", methods=["GET"])
@api("The agent's presence, skills, capacity and tier", tag="agent")
def my_routing() -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_agent_desk

    who = principal(bp.current_request)
    return agent_view(get_agent_desk().me(who.tenant_id, who.user_id))


@bp.route("/api/me/activity", methods=["PUT"])
@api("Go available, on break or offline", body=ACTIVITY, tag="agent")
def set_activity() -> Any:
    from chalicelib.domain.routing.views import agent_view
    from chalicelib.wiring import get_agent_desk

    who, body = principal(bp.current_request), json_body(bp.current_request)
    agent = get_agent_desk().set_activity(who.tenant_id, who.user_id,
                                           str(body.get("activity") or ""))
    return agent_view(agent)


@bp.route("/api/me/reservations", methods=["GET"])
@api("Offers waiting for this agent", tag="agent")
def my_reservations() -> Any:
    from chalicelib.domain.routing.views import offer_view
    from chalicelib.wiring import get_agent_desk

    who, desk = principal(bp.current_request), get_agent_desk()
    now = desk.routing.clock()
    offers = desk.offers(who.tenant_id, who.user_id)
    return {"reservations": [offer_view(o.task, o.reservation, now) for o in offers]}


@bp.route("/api/reservations/{reservation_id}/accept", methods=["POST"])
@api("Take an offer: dials the agent and bridges the caller", tag="agent")
def accept(reservation_id: str) -> Any:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_agent_desk

    who = principal(bp.current_request)
    return task_view(get_agent_desk().accept(who.tenant_id, who.user_id, reservation_id))


@bp.route("/api/reservations/{reservation_id}/reject", methods=["POST"])
@api("Pass on an offer", tag="agent")
def reject(reservation_id: str) -> Any:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_agent_desk

    who = principal(bp.current_request)
    return task_view(get_agent_desk().reject(who.tenant_id, who.user_id, reservation_id))


@bp.route("/api/me/tasks", methods=["GET"])
@api("The agent's assigned and wrapping tasks", tag="agent")
def my_tasks() -> Any:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_agent_desk

    who = principal(bp.current_request)
    return {"tasks": [task_view(t) for t in get_agent_desk().tasks(who.tenant_id, who.user_id)]}


@bp.route("/api/tasks/{task_id}/wrapup", methods=["POST"])
@api("Complete a task and record it in the CRM", body=WRAPUP, tag="agent")
def wrapup(task_id: str) -> Any:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_agent_desk

    who, body = principal(bp.current_request), json_body(bp.current_request)
    task = get_agent_desk().wrapup(who.tenant_id, who.user_id, task_id,
                                   str(body.get("disposition") or ""), str(body.get("notes") or ""))
    return task_view(task)
