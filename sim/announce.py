"""Conference announcements: an `AnnounceUrl` set on a conference (heard by every
participant) or on one participant (heard by that participant only).

The URL is requested once (signed, with the conference's parameters) and may answer audio or
TwiML of `<Say>`, `<Play>` (a URL or `digits`), `<Pause>` and `<Redirect>`. Each participant
who hears it gets the events in its transcript; tones played (`<Play digits>`) reach the far
side of a participant that is a number in the sim, e.g. an IVR's `<Gather>`. When done, the
conference's status callback gets `announcement-end` (or `announcement-fail`) if it asked
for `announcement` events.
"""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET

from sim.caller import far_side, to_far_side
from sim.clock import DIGIT_TONE_SECONDS, PLAY_SECONDS, say_seconds
from sim.context import API_VERSION, Sim
from sim.model import Call, Conference
from sim.twiml import TwimlError, attr, attr_int, loop_count, parse, resolve, strip_ns, text_of

log = logging.getLogger("sim.announce")

MAX_REDIRECTS = 10


def announce(sim: Sim, conf: Conference, url: str, method: str,
             call_sid: str | None = None) -> None:
    """Start an announcement on its own thread (the REST request returns at once)."""
    sim.spawn(f"announce-{conf.sid[:10]}", _run, sim, conf, url, method, call_sid)


def _listeners(sim: Sim, conf: Conference, call_sid: str | None) -> list[Call]:
    with sim.store.lock:
        sids = [call_sid] if call_sid else list(conf.participants)
        return [sim.store.calls[s] for s in sids
                if s in conf.participants and s in sim.store.calls
                and not sim.store.calls[s].ended]


def _run(sim: Sim, conf: Conference, url: str, method: str, call_sid: str | None) -> None:
    from sim.conference import send_event

    params = {"AccountSid": conf.account_sid, "ConferenceSid": conf.sid,
              "FriendlyName": conf.friendly_name, "ApiVersion": API_VERSION}
    if call_sid:
        params["CallSid"] = call_sid
    ok = True
    for _ in range(MAX_REDIRECTS):
        result = sim.hooks.request(url, method, params, sim.token_for(conf.account_sid))
        if not result.ok:
            log.info("announcement %s failed: %s", url, result.error)
            ok = False
            break
        try:
            doc = parse(result.body, url, result.content_type)
        except TwimlError as exc:
            log.info("announcement %s is not TwiML: %s", url, exc)
            ok = False
            break
        if doc.root is None:  # audio
            _hear(sim, conf, call_sid, "play", {"url": doc.audio_url}, PLAY_SECONDS)
            break
        redirect = _play_document(sim, conf, call_sid, doc.root, url)
        if redirect is None:
            break
        url, method = redirect
    send_event(sim, conf, "announcement-end" if ok else "announcement-fail", None,
               extra={"CallSid": call_sid} if call_sid else None)


def _play_document(sim: Sim, conf: Conference, call_sid: str | None, root: ET.Element,
                   base_url: str) -> tuple[str, str] | None:
    for el in root:
        tag = strip_ns(el.tag)
        if tag == "Say":
            text = " ".join("".join(el.itertext()).split())
            _hear(sim, conf, call_sid, "say", {"text": text, "announcement": True},
                  say_seconds(text) * max(1, loop_count(el)))
        elif tag == "Play" and attr(el, "digits"):
            digits = attr(el, "digits")
            _hear(sim, conf, call_sid, "play", {"digits": digits, "announcement": True},
                  len(digits) * DIGIT_TONE_SECONDS, tones=digits.replace("w", "")
                  .replace("W", ""))
        elif tag == "Play":
            _hear(sim, conf, call_sid, "play",
                  {"url": resolve(base_url, text_of(el)), "announcement": True},
                  PLAY_SECONDS * max(1, loop_count(el)))
        elif tag == "Pause":
            time.sleep(sim.clock.real(max(0, attr_int(el, "length", 1))))
        elif tag == "Redirect" and text_of(el):
            return resolve(base_url, text_of(el)), attr(el, "method", "POST").upper()
        else:
            log.info("announcement: <%s> is not allowed in announce TwiML", tag)
    return None


def _hear(sim: Sim, conf: Conference, call_sid: str | None, kind: str,
          data: dict[str, object], seconds: float, tones: str = "") -> None:
    with sim.store.lock:
        for call in _listeners(sim, conf, call_sid):
            sim.event(call, kind, **data)
            far = far_side(sim, call)
            if tones and far is not None:
                to_far_side(sim, far, digits=tones)
    time.sleep(sim.clock.real(seconds))
