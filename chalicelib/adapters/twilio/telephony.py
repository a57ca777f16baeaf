"""The Twilio side of routing: REST calls (ring an agent, a part-timer's mobile, a
customer to call back; end a leg; ask a call's status) and the queue's TwiML.

Twilio's errors become domain errors here, in one place: throttling, server errors and
network failures are ``Unavailable``; a call Twilio does not know is ``NotFound``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.config import Settings
from chalicelib.domain.errors import HotlineError, InvalidInput, NotFound, Unavailable
from chalicelib.domain.routing import callflow as cf

Credentials = Callable[[str], tuple[str, str]]


def _translated(action: str, exc: Exception) -> HotlineError:
    from twilio.base.exceptions import TwilioRestException

    if isinstance(exc, TwilioRestException):
        status = int(exc.status or 0)
        if status == 404:
            return NotFound(f"{action}: Twilio does not know it")
        if status == 429 or status >= 500:
            return Unavailable(f"{action}: Twilio answered {status}")
        return InvalidInput(f"{action}: Twilio refused it ({status}: {exc.msg})")
    return Unavailable(f"{action}: Twilio could not be reached ({type(exc).__name__})")


class TwilioTelephony:
    """``Telephony`` over Twilio's REST API, with each tenant's own credentials."""

    def __init__(self, settings: Settings, credentials: Credentials) -> None:
        self.settings = settings
        self.credentials = credentials

    def _client(self, tenant_id: str) -> Any:
        from chalicelib.adapters.twilio.rest import twilio_client

        account_sid, auth_token = self.credentials(tenant_id)
        return twilio_client(self.settings, account_sid or None, auth_token or None)

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        try:
            call = self._client(tenant_id).calls.create(
                to=to, from_=from_, url=url, method="POST", status_callback=status_callback,
                status_callback_method="POST", timeout=timeout)
        except Exception as exc:
            raise _translated("placing a call", exc) from exc
        return str(call.sid)

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        try:
            self._client(tenant_id).calls(call_sid).update(status="completed")
        except Exception as exc:
            error = _translated("ending a call", exc)
            if isinstance(error, NotFound | InvalidInput):
                return  # already over: Twilio refuses to end a completed call
            raise error from exc

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        try:
            return str(self._client(tenant_id).calls(call_sid).fetch().status)
        except Exception as exc:
            error = _translated("reading a call", exc)
            if isinstance(error, NotFound):
                return None
            raise error from exc


def tenant_credentials(directory: Any, settings: Settings) -> Credentials:
    """Each tenant's subaccount credentials (the platform's when it has none), read
    through the directory (a per-container cache in production)."""

    def lookup(tenant_id: str) -> tuple[str, str]:
        tenant = directory.get(tenant_id)
        if tenant is None or not tenant.twilio_account_sid:
            return settings.twilio_account_sid, settings.twilio_auth_token
        return tenant.twilio_account_sid, tenant.twilio_auth_token

    return lookup


def _prompt(parent: Any, item: cf.Say | cf.Play | cf.Pause) -> None:
    if isinstance(item, cf.Say):
        if item.text:
            parent.say(item.text)
    elif isinstance(item, cf.Play):
        parent.play(item.url)
    else:
        parent.pause(length=item.seconds)


def render_twiml(instructions: Sequence[cf.Instruction]) -> str:
    """The queue's instructions as TwiML, built with ``twilio.twiml``."""
    from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

    response = VoiceResponse()
    for item in instructions:
        if isinstance(item, cf.Say | cf.Play | cf.Pause):
            _prompt(response, item)
        elif isinstance(item, cf.GatherDigit):
            gather = Gather(num_digits=1, action=item.action, method="POST",
                            timeout=item.timeout, input="dtmf")
            for prompt in item.prompts:
                _prompt(gather, prompt)
            response.append(gather)
        elif isinstance(item, cf.Leave):
            response.leave()
        elif isinstance(item, cf.Hangup):
            response.hangup()
        elif isinstance(item, cf.DialQueue):
            dial = Dial(action=item.action) if item.action else Dial()
            dial.queue(item.name)
            response.append(dial)
        elif isinstance(item, cf.DialConference):
            dial = Dial()
            dial.conference(item.name, start_conference_on_enter=item.start_on_enter,
                            end_conference_on_exit=item.end_on_exit, beep=False)
            response.append(dial)
        elif isinstance(item, cf.RecordMessage):
            response.record(action=item.action, method="POST", max_length=item.max_length,
                            play_beep=True)
    return str(response)
