"""A shared number's own callbacks: the menu's choice, the forward's end, a flow's
hand-off (docs/shared-numbers.md). The call itself arrives on POST /twilio/voice."""

from __future__ import annotations

from chalice import Blueprint
from chalice.app import Response

from chalicelib.routes.twilio_edge import FORM, answer

bp = Blueprint(__name__)


@bp.route("/twilio/voice/shared/choice", methods=["POST"], content_types=FORM)
def shared_choice() -> Response:
    from chalicelib.wiring import get_shared_front

    return answer(bp.current_request, get_shared_front().choose, commits=True)


@bp.route("/twilio/voice/shared/after", methods=["POST"], content_types=FORM)
def shared_after() -> Response:
    from chalicelib.wiring import get_shared_front, metered

    return answer(bp.current_request, metered(get_shared_front().after), commits=True)


@bp.route("/twilio/voice/shared/forward", methods=["POST"], content_types=FORM)
def shared_forward() -> Response:
    from chalicelib.wiring import get_shared_front

    return answer(bp.current_request, get_shared_front().forward, commits=True)
