"""The Twilio side of routing: REST calls (ring an agent, a part-timer's mobile, a
customer to call back; end a leg; ask a call's status; move a caller into a conference
and change its participants) and the queue's TwiML.

Twilio's errors become domain errors through ``adapters/twilio/errors.py``: throttling,
server errors and network failures are ``Unavailable``; a call Twilio does not know is
``NotFound``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chalicelib.adapters.twilio.errors import twilio_call
from chalicelib.config import Settings
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.routing import callflow as cf

Credentials = Callable[[str], tuple[str, str]]


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
        with twilio_call("placing a call"):
            call = self._client(tenant_id).calls.create(
                to=to, from_=from_, url=url, method="POST", status_callback=status_callback,
                status_callback_method="POST", timeout=timeout)
        return str(call.sid)

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        try:
            with twilio_call("ending a call"):
                self._client(tenant_id).calls(call_sid).update(status="completed")
        except (NotFound, InvalidInput):
            return  # already over: Twilio refuses to end a completed call

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        try:
            with twilio_call("reading a call"):
                return str(self._client(tenant_id).calls(call_sid).fetch().status)
        except NotFound:
            return None

    # --- conferences (agent calls: hold, mute, transfer, monitoring) ----------------
    def redirect_call(self, tenant_id: str, call_sid: str, url: str) -> None:
        """Calls update: the call leaves whatever it is doing (a queue) for ``url``'s TwiML."""
        with twilio_call("redirecting a call"):
            self._client(tenant_id).calls(call_sid).update(url=url, method="POST")

    def conference_sid(self, tenant_id: str, name: str) -> str | None:
        """The SID of the live conference named ``name`` (None: not started, or over)."""
        with twilio_call("finding a conference"):
            found = self._client(tenant_id).conferences.list(
                friendly_name=name, status="in-progress", limit=1)
        return str(found[0].sid) if found else None

    def add_participant(self, tenant_id: str, conference: str, *, from_: str, to: str,
                        label: str, status_callback: str, timeout: int = 30,
                        muted: bool = False, coaching: bool = False,
                        call_sid_to_coach: str | None = None,
                        end_conference_on_exit: bool = False) -> str:
        """Participants create: call ``to`` into the conference (its SID or friendly name;
        a name with no live conference starts one). Returns the new leg's CallSid."""
        options: dict[str, Any] = {}
        if coaching and call_sid_to_coach:
            options.update(coaching=True, call_sid_to_coach=call_sid_to_coach)
        with twilio_call("adding a participant"):
            participant = self._client(tenant_id).conferences(conference).participants.create(
                from_=from_, to=to, label=label, timeout=timeout, muted=muted, beep="false",
                start_conference_on_enter=True, end_conference_on_exit=end_conference_on_exit,
                status_callback=status_callback, status_callback_method="POST",
                status_callback_event=["answered", "completed"], **options)
        return str(participant.call_sid)

    def update_participant(self, tenant_id: str, conference_sid: str, call_sid: str, *,
                           hold: bool | None = None, hold_url: str | None = None,
                           muted: bool | None = None, coaching: bool | None = None,
                           call_sid_to_coach: str | None = None,
                           announce_url: str | None = None,
                           end_conference_on_exit: bool | None = None) -> None:
        """Participant update: hold (with music), mute, coach, or an announcement only that
        participant hears (``<Play digits>`` there sends DTMF to their leg)."""
        changes: dict[str, Any] = {}
        if hold is not None:
            changes["hold"] = hold
            if hold and hold_url:
                changes.update(hold_url=hold_url, hold_method="GET")
        if muted is not None:
            changes["muted"] = muted
        if coaching is not None:
            changes["coaching"] = coaching
            if coaching and call_sid_to_coach:
                changes["call_sid_to_coach"] = call_sid_to_coach
        if announce_url:
            changes.update(announce_url=announce_url, announce_method="POST")
        if end_conference_on_exit is not None:
            changes["end_conference_on_exit"] = end_conference_on_exit
        with twilio_call("changing a participant"):
            self._client(tenant_id).conferences(conference_sid).participants(
                call_sid).update(**changes)

    def remove_participant(self, tenant_id: str, conference_sid: str, call_sid: str) -> None:
        """Participant delete: the leg leaves the conference (already gone is fine)."""
        try:
            with twilio_call("removing a participant"):
                self._client(tenant_id).conferences(conference_sid).participants(
                    call_sid).delete()
        except NotFound:
            return


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
            options = {"participant_label": item.label} if item.label else {}
            dial.conference(item.name, start_conference_on_enter=item.start_on_enter,
                            end_conference_on_exit=item.end_on_exit, beep=False, **options)
            response.append(dial)
        elif isinstance(item, cf.PlayDigits):
            response.play(digits=item.digits)
        elif isinstance(item, cf.RecordMessage):
            response.record(action=item.action, method="POST", max_length=item.max_length,
                            play_beep=True, transcribe=bool(item.transcribe_callback) or None,
                            transcribe_callback=item.transcribe_callback)
    return str(response)
