"""<Gather> and <Record>: the verbs that listen to the caller.

While one of them runs, the call has a Listener; the control API's input lands in it.
Keys pressed when nothing listens are heard by nobody, as on a real phone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from sim.flow import AppError, CallEnded
from sim.model import Fetch, Listener
from sim.recordings import create_recording, recording_url, send_recording_callbacks
from sim.twiml import Document, attr, attr_bool, attr_int, attr_method, resolve, strip_ns

if TYPE_CHECKING:
    from sim.runner import CallRunner

NESTABLE = ("Say", "Play", "Pause")
SPEECH_CONFIDENCE = "0.9"


def _listen(r: CallRunner, listener: Listener) -> None:
    with r.store.lock:
        r.call.listener = listener
        r.listening = listener
        r.store.notify()


def _stop_listening(r: CallRunner, listener: Listener) -> None:
    with r.store.lock:
        if r.call.listener is listener:
            r.call.listener = None
        r.listening = None
        r.store.notify()


def gather(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    from sim.verbs import pause, play, say

    inputs = frozenset(attr(el, "input", "dtmf").split()) & {"dtmf", "speech"}
    listener = Listener(kind="gather", inputs=inputs or frozenset({"dtmf"}),
                        finish_on_key=attr(el, "finishOnKey", "#")[:1],
                        num_digits=attr_int(el, "numDigits", 0) or None)
    timeout = max(0, attr_int(el, "timeout", 5))
    action = resolve(doc.url, attr(el, "action"))
    method = attr_method(el)
    r.sim.event(r.call, "gather", input=" ".join(sorted(listener.inputs)), timeout=timeout,
                num_digits=listener.num_digits, finish_on_key=listener.finish_on_key,
                action=action)
    _listen(r, listener)
    try:
        nested = {"Say": say, "Play": play, "Pause": pause}
        for child in list(el):
            tag = strip_ns(child.tag)
            if tag not in nested:
                r.error(AppError(12200, f"<{tag}> cannot be nested in <Gather>", doc.url))
                continue
            nested[tag](r, child, doc)
            if listener.heard_anything():
                break  # barge-in: input stops the prompts
        _wait_for_input(r, listener, timeout)
    finally:
        _stop_listening(r, listener)

    params: dict[str, str] = {}
    if listener.speech is not None:
        params = {"SpeechResult": listener.speech, "Confidence": SPEECH_CONFIDENCE}
    elif listener.digits:
        params = {"Digits": listener.digits}
        if listener.finished_key:
            params["FinishedOnKey"] = listener.finished_key
    r.sim.event(r.call, "gather-end", digits=params.get("Digits"),
                speech=params.get("SpeechResult"), timeout=None if params else True)
    if params or attr_bool(el, "actionOnEmptyResult", False):
        return Fetch(action, method, params)
    return None  # no input: fall through to the next verb


def _wait_for_input(r: CallRunner, listener: Listener, timeout: float) -> None:
    """Until the Gather completes, or `timeout` seconds pass without a key or a word."""
    quiet_since = r.sim.clock.now()
    while True:
        with r.store.lock:
            if listener.done:
                return
            last = listener.last_input
            if last is not None:
                quiet_since = max(quiet_since, last)
        remaining = timeout - r.sim.clock.elapsed(quiet_since)
        if remaining <= 0:
            return

        def changed(seen: float | None = last) -> bool:
            return listener.done or listener.last_input != seen

        r.wait(remaining, until=changed)


def record(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    action = resolve(doc.url, attr(el, "action"))
    method = attr_method(el)
    max_length = max(1, attr_int(el, "maxLength", 3600))
    listener = Listener(kind="record", inputs=frozenset({"dtmf", "speech"}),
                        finish_on_key=attr(el, "finishOnKey", "1234567890*#"))
    if attr_bool(el, "playBeep", True):
        r.sim.event(r.call, "beep")
    r.sim.event(r.call, "record-start", max_length=max_length,
                finish_on_key=listener.finish_on_key)
    started = r.sim.clock.now()
    hung_up = False
    _listen(r, listener)
    try:
        r.wait(max_length, until=lambda: listener.done)
    except CallEnded:
        hung_up = True
    finally:
        _stop_listening(r, listener)

    duration = max(1, min(max_length, round(r.sim.clock.elapsed(started))))
    recording = create_recording(r.sim, r.call, duration, "RecordVerb",
                                 " ".join(listener.spoken))
    url = recording_url(r.sim, recording)
    digits = listener.finished_key or ("hangup" if hung_up else "")
    r.sim.event(r.call, "record", recording_sid=recording.sid, url=url, duration=duration,
                digits=digits or None, transcription=recording.transcription or None)
    transcribe_url = ""
    if attr_bool(el, "transcribe", False) or attr(el, "transcribeCallback"):
        transcribe_url = resolve(doc.url, attr(el, "transcribeCallback")) \
            if attr(el, "transcribeCallback") else ""
    status_url = attr(el, "recordingStatusCallback")
    send_recording_callbacks(
        r.sim, r.call, recording,
        status_url=resolve(doc.url, status_url) if status_url else "",
        status_method=attr_method(el, "recordingStatusCallbackMethod"),
        events=frozenset(attr(el, "recordingStatusCallbackEvent", "completed").replace(
            ",", " ").split()),
        transcribe_url=transcribe_url,
    )
    params = {"RecordingUrl": url, "RecordingSid": recording.sid,
              "RecordingDuration": str(duration), "Digits": digits}
    if hung_up:
        r.notify_only(Fetch(action, method, params))
        raise CallEnded()
    return Fetch(action, method, params)
