"""Twilio callbacks named by the queue's own TwiML: the waiting caller, the agent's leg
(browser client or a part-timer's mobile), callbacks and voicemail. Each is verified
by ``twilio_edge.answer`` (403 when unsigned) and answers TwiML, never a 500."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/voice/queue/wait", methods=["POST"], content_types=FORM)
def queue_wait() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().wait)


@bp.route("/twilio/voice/queue/choice", methods=["POST"], content_types=FORM)
def queue_choice() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().choice)


@bp.route("/twilio/voice/queue/result", methods=["POST"], content_types=FORM)
def queue_result() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().result)


@bp.route("/twilio/voice/queue/voicemail", methods=["POST"], content_types=FORM)
def queue_voicemail() -> Response:
    from chalicelib.wiring import get_queue_calls, metered

    return answer(bp.current_request, metered(get_queue_calls().voicemail))


@bp.route("/twilio/voice/agent/connect", methods=["POST"], content_types=FORM)
def agent_connect() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().agent_connect)


@bp.route("/twilio/voice/agent/status", methods=["POST"], content_types=FORM)
def agent_status() -> Response:
    from chalicelib.wiring import get_queue_calls, metered

    return answer(bp.current_request, metered(get_queue_calls().agent_status),
                  channel="status")


@bp.route("/twilio/voice/agent/whisper", methods=["POST"], content_types=FORM)
def agent_whisper() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().whisper)


@bp.route("/twilio/voice/agent/whisper/answer", methods=["POST"], content_types=FORM)
def agent_whisper_answer() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().whisper_answer)


@bp.route("/twilio/voice/callback/customer", methods=["POST"], content_types=FORM)
def callback_customer() -> Response:
    from chalicelib.wiring import get_queue_calls

    return answer(bp.current_request, get_queue_calls().callback_customer)


@bp.route("/twilio/voice/callback/status", methods=["POST"], content_types=FORM)
def callback_status() -> Response:
    from chalicelib.wiring import get_queue_calls, metered

    return answer(bp.current_request, metered(get_queue_calls().callback_status),
                  channel="status")
