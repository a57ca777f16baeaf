"""Reports and the wallboard: supervisors and admins only (docs/metrics.md)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.domain.identity import Role
from chalicelib.routes.http import api, json_body, principal, query_param, require_role
from chalicelib.routes.schema import Schema, choice, obj, text, whole

bp = Blueprint(__name__)


def one_of(*values: str) -> Schema:
    return {**choice(*values), "maxLength": max(len(v) for v in values)}


WHEN = text(40, 1)
NAME = text(128, 1)
RANGE = {"from": WHEN, "to": WHEN}
FILTERS = {"queue": NAME, "agent": NAME, "channel": one_of("voice", "sms", "whatsapp", "chat",
                                                            "voicemail")}
QUEUE_SETTINGS = obj({"sl_threshold_seconds": whole(0, 3600),
                      "short_abandon_seconds": whole(0, 600),
                      "sl_target": {"type": "number", "minimum": 0, "maximum": 1},
                      "sl_formula": one_of("flex", "connect", "answered-only")}, closed=True)
SETTINGS = obj({"queues": {**obj(max_properties=100), "additionalProperties": QUEUE_SETTINGS},
                "fcr_window_days": whole(1, 90)}, closed=True)
OUTCOME = one_of("offered", "answered", "abandoned", "short_abandoned", "ivr_abandoned",
                 "callbacks", "voicemails", "transfers", "abandoned-ivr", "abandoned-queue",
                 "callback", "voicemail", "transferred")


def _who() -> Any:
    return require_role(principal(bp.current_request), Role.SUPERVISOR)


def _where() -> Any:
    from chalicelib.domain.metrics.aggregates import Filter

    r = bp.current_request
    return Filter(queue=query_param(r, "queue"), agent=query_param(r, "agent"),
                  channel=query_param(r, "channel"))


def _range() -> tuple[str, str]:
    return query_param(bp.current_request, "from"), query_param(bp.current_request, "to")


@bp.route("/api/reports/summary", methods=["GET"])
@api("Figures for a date range, in the tenant's time zone", query={**RANGE, **FILTERS},
     tag="reports")
def summary() -> Any:
    from chalicelib.wiring import get_reports

    return get_reports().summary(_who().tenant_id, *_range(), _where())


@bp.route("/api/reports/intervals", methods=["GET"])
@api("The same figures per 15 minutes, hour or day", tag="reports",
     query={**RANGE, **FILTERS, "interval": one_of("15m", "hour", "day")})
def intervals() -> Any:
    from chalicelib.wiring import get_reports

    who, interval = _who(), query_param(bp.current_request, "interval")
    return get_reports().intervals(who.tenant_id, *_range(), _where(), interval)


@bp.route("/api/reports/agents", methods=["GET"])
@api("The figures per agent", query={**RANGE, **FILTERS}, tag="reports")
def agents() -> Any:
    from chalicelib.wiring import get_reports

    return get_reports().agents_report(_who().tenant_id, *_range(), _where())


@bp.route("/api/reports/interactions", methods=["GET"])
@api("The interactions behind a figure (drill-down), paged", tag="reports",
     query={**RANGE, **FILTERS, "outcome": OUTCOME, "cursor": text(128, 1)})
def interactions() -> Any:
    from chalicelib.wiring import get_reports

    who, r = _who(), bp.current_request
    return get_reports().interactions(who.tenant_id, *_range(), _where(),
                                      query_param(r, "outcome"), query_param(r, "cursor"))


@bp.route("/api/reports/staffing", methods=["GET"])
@api("Agents needed per interval (Erlang C and A) against full-time agents on shift",
     query={"queue": NAME, "date": text(10, 10), "interval": one_of("15m", "hour")},
     tag="reports")
def staffing() -> Any:
    from chalicelib.wiring import get_live_reports

    who, r = _who(), bp.current_request
    return get_live_reports().staffing(who.tenant_id, query_param(r, "queue"),
                                       query_param(r, "date"), query_param(r, "interval"))


@bp.route("/api/wallboard", methods=["GET"])
@api("The live wallboard: every queue's figures today and every agent's state",
     tag="reports")
def wallboard() -> Any:
    from chalicelib.wiring import get_live_reports

    return get_live_reports().wallboard(_who().tenant_id)


@bp.route("/api/reports/settings", methods=["GET"])
@api("Per-queue service-level settings and the FCR window", tag="reports")
def settings() -> Any:
    from chalicelib.wiring import get_metric_settings

    return get_metric_settings().get(_who().tenant_id)


@bp.route("/api/reports/settings", methods=["PUT"])
@api("Change queues' service-level settings or the FCR window (admins)", body=SETTINGS,
     tag="reports")
def put_settings() -> Any:
    from chalicelib.wiring import get_metric_settings

    who = require_role(principal(bp.current_request), Role.ADMIN)
    return get_metric_settings().put(who.tenant_id, json_body(bp.current_request))
