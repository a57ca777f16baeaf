"""TwiML for a shared number's answers (domain/shared_numbers.py), with twilio.twiml."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.domain.shared_numbers import Answer, Forward, Goodbye, Prompt

if TYPE_CHECKING:
    from chalicelib.services.shared_numbers.front import SharedUrls

FORWARD_RING_SECONDS = 30


def render_shared(answer: Answer, urls: SharedUrls, digit: str) -> str:
    """Prompt: <Gather> saying the menu, then (no key) a Redirect to the same action, which
    counts as a wrong choice. Forward: <Dial callerId=caller action=after><Number>.
    Goodbye: <Say> (if any) and <Hangup>."""
    from twilio.twiml.voice_response import VoiceResponse

    response = VoiceResponse()
    if isinstance(answer, Prompt):
        action = urls.choice(answer.attempt)
        gather = response.gather(input="dtmf", num_digits=answer.num_digits,
                                 finish_on_key="#", timeout=5, action=action, method="POST")
        gather.say(answer.text)
        response.redirect(action, method="POST")
    elif isinstance(answer, Forward):
        dial = response.dial(caller_id=answer.caller_id, action=urls.after(digit),
                             method="POST", timeout=FORWARD_RING_SECONDS)
        dial.number(answer.number)
    elif isinstance(answer, Goodbye):
        if answer.text:
            response.say(answer.text)
        response.hangup()
    return str(response)
