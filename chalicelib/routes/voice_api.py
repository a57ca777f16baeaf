"""The agent's voice: access tokens, call control on a task's conference, transfers,
outbound calls, supervisor monitoring, the transfer directory and the call settings."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import api_errors, json_body, principal

bp = Blueprint(__name__)


def _view(task: Any) -> dict[str, Any]:
    from chalicelib.domain.routing.views import task_view
    from chalicelib.wiring import get_call_context

    return task_view(task, get_call_context().now())


@bp.route("/api/voice/token", methods=["POST"])
@api_errors
def voice_token() -> Any:
    from chalicelib.wiring import get_voice_tokens

    return get_voice_tokens().token(principal(bp.current_request))


@bp.route("/api/voice/directory", methods=["GET"])
@api_errors
def voice_directory() -> Any:
    from chalicelib.wiring import get_voice_directory

    return get_voice_directory().directory(principal(bp.current_request))


@bp.route("/api/voice/settings", methods=["GET"])
@api_errors
def voice_settings() -> Any:
    from chalicelib.wiring import get_voice_directory

    return get_voice_directory().settings(principal(bp.current_request))


@bp.route("/api/voice/settings", methods=["PUT"])
@api_errors
def update_voice_settings() -> Any:
    from chalicelib.wiring import get_voice_directory

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return get_voice_directory().update_settings(who, body)


@bp.route("/api/tasks/{task_id}/hold", methods=["POST"])
@api_errors
def hold(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().hold(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/resume", methods=["POST"])
@api_errors
def resume(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().resume(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/mute", methods=["POST"])
@api_errors
def mute(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().mute(who.tenant_id, who.user_id, task_id, True))


@bp.route("/api/tasks/{task_id}/unmute", methods=["POST"])
@api_errors
def unmute(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().mute(who.tenant_id, who.user_id, task_id, False))


@bp.route("/api/tasks/{task_id}/dtmf", methods=["POST"])
@api_errors
def dtmf(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return _view(get_call_control().dtmf(who.tenant_id, who.user_id, task_id,
                                         body.get("digits")))


@bp.route("/api/tasks/{task_id}/hangup", methods=["POST"])
@api_errors
def hangup(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().hangup(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/wrapup/extend", methods=["POST"])
@api_errors
def extend_wrapup(task_id: str) -> Any:
    from chalicelib.wiring import get_call_control

    who = principal(bp.current_request)
    return _view(get_call_control().extend_wrapup(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/transfer", methods=["POST"])
@api_errors
def transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return _view(get_transfers().transfer(who.tenant_id, who.user_id, task_id, body))


@bp.route("/api/tasks/{task_id}/transfer/complete", methods=["POST"])
@api_errors
def complete_transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who = principal(bp.current_request)
    return _view(get_transfers().complete(who.tenant_id, who.user_id, task_id))


@bp.route("/api/tasks/{task_id}/transfer/cancel", methods=["POST"])
@api_errors
def cancel_transfer(task_id: str) -> Any:
    from chalicelib.wiring import get_transfers

    who = principal(bp.current_request)
    return _view(get_transfers().cancel(who.tenant_id, who.user_id, task_id))


@bp.route("/api/calls", methods=["POST"])
@api_errors
def outbound_call() -> Any:
    from chalicelib.wiring import get_outbound_calls

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return {"task": _view(get_outbound_calls().call(who, body))}


@bp.route("/api/tasks/{task_id}/monitor", methods=["POST"])
@api_errors
def monitor(task_id: str) -> Any:
    from chalicelib.wiring import get_monitoring

    who, body = principal(bp.current_request), json_body(bp.current_request)
    return get_monitoring().monitor(who, task_id, body)


@bp.route("/api/tasks/{task_id}/monitor", methods=["DELETE"])
@api_errors
def stop_monitor(task_id: str) -> Any:
    from chalicelib.wiring import get_monitoring

    return get_monitoring().stop(principal(bp.current_request), task_id)


@bp.route("/api/supervisor/calls", methods=["GET"])
@api_errors
def supervisor_calls() -> Any:
    from chalicelib.wiring import get_monitoring

    return get_monitoring().live_calls(principal(bp.current_request))
