"""Twilio's transcribeCallback for voicemail (``<Record transcribe="true">``)."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/voice/transcription", methods=["POST"], content_types=FORM)
def transcription() -> Response:
    from chalicelib.wiring import get_voicemail

    return answer(bp.current_request, get_voicemail().transcribed, channel="status")
