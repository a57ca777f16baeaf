"""Twilio's voice webhooks: incoming calls, flow callbacks, status callbacks."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/voice", methods=["POST"], content_types=FORM)
def incoming_call() -> Response:
    from chalicelib.wiring import get_voice_service

    service = get_voice_service()
    return answer(bp.current_request, service.incoming_call, commits=True,
                  unserved=service.record_unserved)


@bp.route("/twilio/voice/flow", methods=["POST"], content_types=FORM)
def flow_callback() -> Response:
    from chalicelib.wiring import get_voice_service, metered

    return answer(bp.current_request, metered(get_voice_service().resume), commits=True)


@bp.route("/twilio/voice/status", methods=["POST"], content_types=FORM)
def call_status() -> Response:
    from chalicelib.wiring import get_voice_service, metered

    return answer(bp.current_request, metered(get_voice_service().call_status),
                  channel="status", commits=True)
