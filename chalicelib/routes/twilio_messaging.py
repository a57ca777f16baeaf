"""Twilio's messaging webhook: SMS and WhatsApp."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/sms", methods=["POST"], content_types=FORM)
def incoming_message() -> Response:
    from chalicelib.wiring import get_messaging_service, metered

    service = get_messaging_service()
    return answer(bp.current_request, metered(service.incoming_message), channel="sms",
                  commits=True, unserved=service.record_unserved)


@bp.route("/twilio/sms/status", methods=["POST"], content_types=FORM)
def message_status() -> Response:
    from chalicelib.wiring import get_conversations

    return answer(bp.current_request, get_conversations().on_status, channel="status")
