"""Render the flow engine's verbs as TwiML, with twilio.twiml (never by concatenation).

Every verb that waits for the carrier names the widget to resume; ``CallbackUrls``
turns that into the action URL. Gather posts even when the caller gives no input
(``actionOnEmptyResult``), and a Redirect after it catches carriers that fall through.
Enqueue names the Twilio queue after Hotline's routing task, so Twilio's FIFO never
decides the order: Hotline's queue does, and the service dequeues that exact caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit, urlunsplit

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial as DialNoun
from twilio.twiml.voice_response import Gather as GatherNoun
from twilio.twiml.voice_response import VoiceResponse

from chalicelib.domain.flows.verbs import (
    Dial,
    Enqueue,
    Gather,
    Hangup,
    Message,
    Pause,
    Play,
    PlayDigits,
    Record,
    Redirect,
    Reject,
    Say,
)

# Characters XML 1.0 forbids anywhere; a caller's speech or an API's text may carry them.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _document(response: VoiceResponse | MessagingResponse) -> str:
    return _XML_ILLEGAL.sub("", str(response.to_xml()))


class CallbackUrls(Protocol):
    def resume(self, widget: str) -> str:
        """The action URL that resumes the execution at ``widget``."""
        ...

    def queue_wait(self, task_id: str) -> str:
        """The waitUrl a caller in Hotline's queue hears (hold audio, position)."""
        ...

    def queue_result(self, task_id: str, widget: str) -> str:
        """The Enqueue action: the queue decides (voicemail, callback, abandoned) and
        hands everything else back to the flow at ``widget``."""
        ...


def _prompt(parent: VoiceResponse | GatherNoun, verb: Any) -> None:
    if isinstance(verb, Say):
        parent.say(verb.text, voice=verb.voice, language=verb.language,
                   loop=verb.loop if verb.loop != 1 else None)
    elif isinstance(verb, Play):
        parent.play(verb.url, loop=verb.loop if verb.loop != 1 else None)
    elif isinstance(verb, PlayDigits):
        parent.play(digits=verb.digits)
    elif isinstance(verb, Pause):
        parent.pause(length=verb.length)


def _transcription_url(urls: CallbackUrls) -> str | None:
    """Where Twilio posts a voicemail's transcript (VoiceUrls; other URL sets have none)."""
    transcription = getattr(urls, "transcription", None)
    return str(transcription()) if callable(transcription) else None


def _with_return(url: str, return_url: str) -> str:
    """Add ``ReturnUrl`` to an add-twiml-redirect target so it can hand the call back."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode({"ReturnUrl": return_url})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _gather(response: VoiceResponse, verb: Gather, urls: CallbackUrls) -> None:
    action = urls.resume(verb.resume)
    gather = response.gather(
        action=action, method="POST", input=verb.input, num_digits=verb.num_digits,
        finish_on_key=verb.finish_on_key, timeout=verb.timeout,
        speech_timeout=verb.speech_timeout, hints=verb.hints, language=verb.language,
        speech_model=verb.speech_model,
        profanity_filter=(None if verb.profanity_filter is None
                          else str(verb.profanity_filter).lower()),
        action_on_empty_result=True)
    for prompt in verb.prompts:
        _prompt(gather, prompt)
    response.redirect(action, method="POST")


def _dial(response: VoiceResponse, verb: Dial, urls: CallbackUrls) -> None:
    dial: DialNoun = response.dial(action=urls.resume(verb.resume), method="POST",
                                   timeout=verb.timeout, caller_id=verb.caller_id,
                                   record="record-from-answer" if verb.record else None)
    for target in verb.targets:
        if target.kind == "number":
            dial.number(target.value, url=target.url)
        elif target.kind == "client":
            dial.client(target.value, url=target.url)
        elif target.kind == "sip":
            dial.sip(target.value, username=target.username, password=target.password,
                     url=target.url)
        elif target.kind == "conference":
            dial.conference(target.value)


def _verb(response: VoiceResponse, verb: Any, urls: CallbackUrls) -> None:
    if isinstance(verb, Say | Play | PlayDigits | Pause):
        _prompt(response, verb)
    elif isinstance(verb, Gather):
        _gather(response, verb, urls)
    elif isinstance(verb, Record):
        response.record(action=urls.resume(verb.resume), method="POST",
                        timeout=verb.timeout, finish_on_key=verb.finish_on_key,
                        max_length=verb.max_length, play_beep=verb.play_beep,
                        trim=verb.trim, transcribe=verb.transcribe or None,
                        transcribe_callback=_transcription_url(urls) if verb.transcribe
                        else None)
    elif isinstance(verb, Dial):
        _dial(response, verb, urls)
    elif isinstance(verb, Enqueue):
        action = (urls.queue_result(verb.task_id, verb.resume) if verb.task_id
                  else urls.resume(verb.resume))
        response.enqueue(verb.task_id or verb.queue, action=action,
                         method="POST",
                         wait_url=urls.queue_wait(verb.task_id) if verb.task_id else None,
                         wait_url_method="POST" if verb.task_id else None)
    elif isinstance(verb, Redirect):
        url = _with_return(verb.url, urls.resume(verb.resume)) if verb.resume else verb.url
        response.redirect(url, method=verb.method)
    elif isinstance(verb, Hangup):
        response.hangup()
    elif isinstance(verb, Reject):
        response.reject(reason=verb.reason)


def render_voice(verbs: Iterable[Any], urls: CallbackUrls) -> str:
    """The full ``<Response>`` for a voice webhook. Message verbs have no voice form."""
    response = VoiceResponse()
    for verb in verbs:
        _verb(response, verb, urls)
    return _document(response)


def render_messaging(verbs: Iterable[Any]) -> str:
    """The full ``<Response>`` for a messaging webhook: its ``<Message>`` replies."""
    response = MessagingResponse()
    for verb in verbs:
        if isinstance(verb, Message):
            message = response.message(verb.body if not verb.media_urls else None,
                                       to=verb.to, from_=verb.from_)
            if verb.media_urls:
                if verb.body:
                    message.body(verb.body)
                for url in verb.media_urls:
                    message.media(url)
    return _document(response)
