"""The plain TwiML voice verbs (Say, Play, Pause, Redirect, Hangup, Reject, Leave) and the
table that maps every verb to its handler."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from sim.clock import DIGIT_TONE_SECONDS, FOREVER, PLAY_SECONDS, say_seconds
from sim.dial import dial
from sim.enqueue import enqueue
from sim.flow import AppError, LeftQueue
from sim.gather import gather, record
from sim.model import Fetch
from sim.twiml import Document, attr, attr_int, attr_method, loop_count, resolve, text_of

if TYPE_CHECKING:
    from sim.runner import CallRunner, Handler


def say(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    text = " ".join("".join(el.itertext()).split())
    loops = loop_count(el)
    r.sim.event(r.call, "say", text=text, voice=attr(el, "voice", "man"),
                language=attr(el, "language", "en-US"), loop=None if loops == 1 else loops)
    r.media(FOREVER if loops == 0 else say_seconds(text) * loops)
    return None


def play(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    digits = attr(el, "digits")
    if digits:
        r.sim.event(r.call, "play", digits=digits)
        r.media(sum(0.5 if c == "w" else 1.0 if c == "W" else DIGIT_TONE_SECONDS
                    for c in digits))
        return None
    loops = loop_count(el)
    url = resolve(doc.url, text_of(el)) if text_of(el) else ""
    r.sim.event(r.call, "play", url=url, loop=None if loops == 1 else loops)
    r.media(FOREVER if loops == 0 else PLAY_SECONDS * loops)
    return None


def pause(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    length = max(0, attr_int(el, "length", 1))
    r.sim.event(r.call, "pause", length=length)
    r.media(length)
    return None


def redirect(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    if not text_of(el):
        raise AppError(12200, "<Redirect> needs a URL", doc.url)
    url = resolve(doc.url, text_of(el))
    r.sim.event(r.call, "redirect", url=url)
    return Fetch(url, attr_method(el))


def hangup(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    r.hangup("twiml")
    return None


def reject(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    reason = attr(el, "reason", "rejected")
    r.sim.event(r.call, "reject", reason=reason)
    if r.call.answered or r.call.direction != "inbound":
        r.hangup("twiml")  # not the first verb: the call was already answered
    r.hangup("reject", "busy" if reason == "busy" else "no-answer")
    return None


def leave(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    if r.allow_dequeue:
        raise LeftQueue()
    r.error(AppError(12200, "<Leave> outside a queue has no effect", doc.url))
    return None


HANDLERS: dict[str, Handler] = {
    "Say": say, "Play": play, "Pause": pause, "Redirect": redirect, "Hangup": hangup,
    "Reject": reject, "Leave": leave, "Gather": gather, "Record": record,
    "Enqueue": enqueue, "Dial": dial,
}
