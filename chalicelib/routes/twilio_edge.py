"""The Twilio-facing edge: parse the form, verify the signature, answer TwiML, never a 500.

Every Twilio route calls ``answer(request, handler, channel)``. Unsigned or forged
requests get 403. Every verified request runs under a claim on its event
(``services/webhook_claim.py``): a retry gets the first answer and no second effect.
``commits=True`` is for handlers that claim in their own commit transaction. Anything
Hotline cannot serve becomes a polite TwiML answer, so the caller never hears Twilio's
application-error message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import parse_qsl

from chalice.app import Request, Response

from chalicelib.domain.errors import Forbidden, HotlineError, InvalidInput, NotInService
from chalicelib.domain.phone import mask
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.twilio")

FORM = ["application/x-www-form-urlencoded"]
VOICE_SORRY = "Sorry, we can't take your call right now. Please try again later. Goodbye."
VOICE_NOT_IN_SERVICE = "Sorry, the number you have called is not in service. Goodbye."
SMS_SORRY = "Sorry, we couldn't process your message. Please try again later."


def polite_voice(text: str = VOICE_SORRY) -> str:
    from twilio.twiml.voice_response import VoiceResponse

    response = VoiceResponse()
    response.say(text)
    response.hangup()
    return str(response)


def polite_messaging(text: str | None = None) -> str:
    from twilio.twiml.messaging_response import MessagingResponse

    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


def twiml(body: str, status: int = 200) -> Response:
    headers: dict[str, str | list[str]] = {"Content-Type": "text/xml"}
    return Response(body=body, status_code=status, headers=headers)


def parse_form(request: Request) -> dict[str, str]:
    raw = request.raw_body or b""
    try:
        text = raw if isinstance(raw, str) else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("the form body is not UTF-8") from exc
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError as exc:
        raise InvalidInput("the form body is malformed") from exc
    return dict(pairs)


def query_pairs(request: Request) -> list[tuple[str, str]]:
    params = request.query_params
    if not params:
        return []
    return [(key, value) for key in params for value in params.getlist(key)]


def fallback(channel: str, exc: Exception | None = None) -> str:
    if channel == "sms":
        return polite_messaging(SMS_SORRY)
    if channel == "status":
        return polite_messaging()
    if isinstance(exc, NotInService):
        return polite_voice(VOICE_NOT_IN_SERVICE)
    return polite_voice()


def _went_unserved(exc: HotlineError) -> bool:
    """Whether the caller got the fallback because Hotline failed (not because the
    number is not in service, or another delivery of the event is still answering it)."""
    from chalicelib.domain.webhooks import EventInProgress

    return not isinstance(exc, NotInService | Forbidden | EventInProgress)


def answer(request: Request, handler: Callable[[Webhook], str], channel: str = "voice",
           *, commits: bool = False,
           unserved: Callable[[Webhook], None] | None = None) -> Response:
    """Verify and run one Twilio webhook, once per event. ``channel`` picks the fallback:
    voice|sms|status; ``commits``: the handler claims in its own commit transaction;
    ``unserved``: records the interaction when the caller gets the fallback."""
    from chalicelib.wiring import get_webhook_claims, get_webhook_gate

    try:
        params = parse_form(request)
    except InvalidInput as exc:
        log.warning("malformed Twilio webhook on %s: %s", request.path, exc.message)
        return twiml(fallback(channel), status=400)
    try:
        hook = get_webhook_gate().verify(
            request.path, query_pairs(request), params,
            request.headers.get("x-twilio-signature") or "")
    except Forbidden as exc:
        log.warning("rejected Twilio webhook on %s: %s", request.path, exc.message)
        return Response(body={"error": "forbidden", "message": exc.message}, status_code=403)
    except HotlineError as exc:
        log.error("could not verify webhook on %s: %s", request.path, exc.message)
        return twiml(fallback(channel, exc))
    try:
        return twiml(get_webhook_claims().run(hook.idempotency_key, lambda: handler(hook),
                                              eager=not commits))
    except HotlineError as exc:
        log.warning("webhook %s for %s answered politely: %s: %s", request.path,
                    mask(params.get("From")), type(exc).__name__, exc.message)
        if unserved is not None and _went_unserved(exc):
            unserved(hook)
        return twiml(fallback(channel, exc))
    except Exception:
        log.exception("webhook %s failed for %s", request.path, mask(params.get("From")))
        if unserved is not None:
            unserved(hook)
        return twiml(fallback(channel))
