"""The agent's voice: access tokens, call control on a task's conference, transfers,
outbound calls, supervisor monitoring, the transfer directory and the call settings."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api, json_body, principal
from chalicelib.routes.schema import choice, obj, text

bp = Blueprint(__name__)

DTMF = obj({"digits": text(32)}, required=("digits",))
TARGET = obj({"queue": text(64, 1), "agent": text(128, 1), "number": text(32, 1)},
             closed=True, max_properties=1)
TRANSFER = obj({"to": TARGET, "mode": choice("cold", "warm"), "notes": text(4000)},
               required=("to",))
OUTBOUND = obj({"to": text(32, 1), "contact_id": text(128, nullable=True)}, required=("to",))
MONITOR = obj({"mode": choice("listen", "whisper", "barge")}, required=("mode",))
SETTINGS = obj({"show_monitoring_to_agents": {"type": "boolean"}}, closed=True)


def _view(task: Any) -> dict[str, Any]:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_call_context

    return task_view(task, get_call_context().now())


@bp.route("/api/voice/token", methods=["POST"])
@api("The browser phone's access token, or the simulator's address", tag="voice")
def voice_token() -> Any:
    from chalicelib.wiring import get_voice_tokens

    return get_voice_tokens().token(principal(bp.current_request))


@bp.route("/api/voice/directory", methods=["GET"])
@api("Queues and agents to transfer to", tag="voice")
def voice_directory() -> Any:
    from chalicelib.wiring import get_voice_directory

    return get_voice_directory().directory(principal(bp.current_request))


@bp.route("/api/voice/settings", methods=["GET"])
@api("The business's call settings", tag="voice")
def voice_settings() -> Any:
    from chalicelib.wiring import get_voice_directory

    return get_voice_directory().settings(principal(bp.current_request))


@bp.route("/api/voice/settings", methods=["PUT"])
@api("Change the call settings (admins)", body=SETTINGS, tag="voice")
def update_voice_settings() -> Any:
    from chalicelib.wiring import get_voice_directory

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return get_voice_directory().update_settings(who, body)


@bp.route("/api/tasks/{task_id}/hold", methods=["POST"])
@api("Put the caller on hold (hold music)", tag="voice")
def hold(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().hold(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/resume", methods=["POST"])
@api("Take the caller off hold", tag="voice")
def resume(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().resume(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/mute", methods=["POST"])
@api("Mute the agent's own leg", tag="voice")
def mute(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().mute(who.tenant_id, who.user_id, task_id, True))


@bp.route("/api/tasks/{task_id}/unmute", methods=["POST"])
@api("Unmute the agent's own leg", tag="voice")
def unmute(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().mute(who.tenant_id, who.user_id, task_id, False))


@bp.route("/api/tasks/{task_id}/dtmf", methods=["POST"])
@api("Play keypad digits to the far side", body=DTMF, tag="voice")
def dtmf(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return _view(get_call_control().dtmf(who.tenant_id, who.user_id, task_id,
                                         body.get("digits")))


@bp.route("/api/tasks/{task_id}/hangup", methods=["POST"])
@api("End the call for everyone", tag="voice")
def hangup(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().hangup(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/wrapup/extend", methods=["POST"])
@api("More time for the wrap-up", tag="voice")
def extend_wrapup(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().extend_wrapup(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/transfer", methods=["POST"])
@api("Transfer to a queue, an agent or a number, cold or warm", body=TRANSFER, tag="voice")
def transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return _view(get_transfers().transfer(who.tenant_id, who.user_id, task_id, body))


@bp.route("/api/tasks/{task_id}/transfer/complete", methods=["POST"])
@api("Finish a warm transfer (the agent leaves)", tag="voice")
def complete_transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who = principal(bp.current_request)
    return _view(get_transfers().complete(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/transfer/cancel", methods=["POST"])
@api("Abandon a warm transfer (the caller comes back)", tag="voice")
def cancel_transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who = principal(bp.current_request)
    return _view(get_transfers().cancel(who.tenant_id, who.user_id, task_id))


@bp.route("/api/calls", methods=["POST"])
@api("Call a number, with the business's caller ID", body=OUTBOUND, tag="voice")
def outbound_call() -> Any:
    from chalicelib.wiring import get_outbound_calls

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return {"task": _view(get_outbound_calls().call(who, body))}


@bp.route("/api/tasks/{task_id}/monitor", methods=["POST"])
@api("Listen, whisper or barge into a call (supervisors)", body=MONITOR, tag="voice")
def monitor(task_id: str) -> Any:
    from chalicelib.wiring import get_monitoring

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return get_monitoring().monitor(who, task_id, body)


@bp.route("/api/tasks/{task_id}/monitor", methods=["DELETE"])
@api("Stop monitoring a call (supervisors)", tag="voice")
def stop_monitor(task_id: str) -> Any:
    from chalicelib.wiring import get_monitoring

    return get_monitoring().stop(principal(bp.current_request), task_id)


@bp.route("/api/supervisor/calls", methods=["GET"])
@api("Live agent calls (supervisors)", tag="voice")
def supervisor_calls() -> Any:
    from chalicelib.wiring import get_monitoring

    return get_monitoring().live_calls(principal(bp.current_request))
