"""Twilio callbacks named by the agent calls' own TwiML and REST calls: the caller moved
into the task's conference, keypad tones for a participant, participants' status, and
the TwiML App's voice URL (a call placed from the browser's Device). Each is verified by
``twilio_edge.answer`` (403 when unsigned) and answers TwiML, never a 500."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/voice/conference/customer", methods=["POST"], content_types=FORM)
def conference_customer() -> Response:
    from chalicelib.wiring import get_conference_legs

    return answer(bp.current_request, get_conference_legs().customer_join)


@bp.route("/twilio/voice/conference/digits", methods=["POST"], content_types=FORM)
def conference_digits() -> Response:
    from chalicelib.wiring import get_conference_legs

    return answer(bp.current_request, get_conference_legs().digits)


@bp.route("/twilio/voice/conference/participant", methods=["POST"], content_types=FORM)
def conference_participant() -> Response:
    from chalicelib.wiring import get_conference_legs, metered

    return answer(bp.current_request, metered(get_conference_legs().participant_status),
                  channel="status")


@bp.route("/twilio/voice/client", methods=["POST"], content_types=FORM)
def client_voice() -> Response:
    from chalicelib.wiring import get_conference_legs

    return answer(bp.current_request, get_conference_legs().device_call)
