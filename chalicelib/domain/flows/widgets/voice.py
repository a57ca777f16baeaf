"""Voice widgets: say-play, gather-input-on-call, record-voicemail, connect-call-to,
add-twiml-redirect and make-outgoing-call-v2."""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.runtime import WAIT, Outcome, Run
from chalicelib.domain.flows.verbs import (
    Dial,
    DialTarget,
    Gather,
    MakeOutgoingCall,
    Play,
    PlayDigits,
    Prompt,
    Record,
    Redirect,
    Say,
    VoicemailRecorded,
)
from chalicelib.domain.flows.widgets.base import WidgetHandler, loop_count, widget_params

VOICE = ("voice",)


def _prompt(state: State, run: Run) -> Prompt | None:
    loop = loop_count(run, state)
    if state.prop("play"):
        return Play(url=run.prop(state, "play"), loop=loop)
    if state.prop("digits"):
        return PlayDigits(digits=run.prop(state, "digits"))
    text = run.prop(state, "say")
    if not text.strip():
        return None
    return Say(text=text, voice=run.prop(state, "voice") or None,
               language=run.prop(state, "language") or None, loop=loop)


# -- say-play ------------------------------------------------------------------------

def _say_play(state: State, run: Run) -> Outcome:
    prompt = _prompt(state, run)
    if prompt is not None:
        run.verbs.append(prompt)
    return "audioComplete"


# -- gather-input-on-call -------------------------------------------------------------

def _gather_input(state: State, run: Run) -> str:
    raw = state.prop("input")
    if isinstance(raw, list):
        raw = " ".join(str(x) for x in raw)
    text = run.render(raw, state).lower() if raw else "dtmf speech"
    kinds = [k for k in ("dtmf", "speech") if k in text]
    return " ".join(kinds) or "dtmf speech"


def _gather(state: State, run: Run) -> Outcome:
    prompt = _prompt(state, run)
    digits = run.int_prop(state, "number_of_digits", 0, low=0, high=64)
    finish = run.prop(state, "finish_on_key", "#")
    run.verbs.append(Gather(
        prompts=(prompt,) if prompt is not None else (),
        input=_gather_input(state, run),
        num_digits=digits or None,
        finish_on_key=finish,
        timeout=run.int_prop(state, "timeout", 5, low=1, high=60),
        speech_timeout=run.prop(state, "speech_timeout") or None,
        hints=run.prop(state, "hints") or None,
        language=run.prop(state, "gather_language") or None,
        speech_model=run.prop(state, "speech_model") or None,
        profanity_filter=(run.bool_prop(state, "profanity_filter", True)
                          if state.prop("profanity_filter") is not None else None),
        resume=state.name,
    ))
    return WAIT


def _gather_resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    if (params.get("Digits") or "").strip() and params.get("Digits") != "hangup":
        return "keypress"
    if (params.get("SpeechResult") or "").strip():
        return "speech"
    return "timeout"


# -- record-voicemail -----------------------------------------------------------------

def _record(state: State, run: Run) -> Outcome:
    trim = run.prop(state, "trim")
    run.verbs.append(Record(
        max_length=run.int_prop(state, "max_length", 3600, low=1, high=14400),
        timeout=run.int_prop(state, "timeout", 5, low=0, high=600),
        finish_on_key=run.prop(state, "finish_on_key", "#"),
        play_beep=run.bool_prop(state, "play_beep", True),
        transcribe=run.bool_prop(state, "transcribe", False),
        trim=trim or None,
        resume=state.name,
    ))
    return WAIT


def _record_resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    url = params.get("RecordingUrl") or ""
    try:
        duration = int(float(params.get("RecordingDuration") or 0))
    except ValueError:
        duration = 0
    if url and duration > 0:
        run.effects.append(VoicemailRecorded(
            recording_url=url, duration=duration,
            transcription=params.get("TranscriptionText") or None, widget=state.name,
            recording_sid=params.get("RecordingSid") or None,
            queue=run.prop(state, "queue") or None))
    if params.get("Digits") == "hangup" or params.get("CallStatus") == "completed":
        return "hangup"
    return "recordingComplete" if url and duration > 0 else "noAudio"


# -- connect-call-to ------------------------------------------------------------------

def _targets(state: State, run: Run) -> tuple[DialTarget, ...]:
    noun = run.prop(state, "noun", "number").strip().lower()
    to = run.prop(state, "to").strip()
    if noun == "number-multi":
        return tuple(DialTarget("number", n.strip()) for n in to.split(",") if n.strip())
    if noun == "client":
        return (DialTarget("client", to),)
    if noun == "conference":
        return (DialTarget("conference", to),)
    if noun == "sip":
        return (DialTarget("sip", run.prop(state, "sip_endpoint") or to,
                           username=run.prop(state, "sip_username") or None,
                           password=run.prop(state, "sip_password") or None),)
    return (DialTarget("number", to),)


def _connect(state: State, run: Run) -> Outcome:
    targets = tuple(t for t in _targets(state, run) if t.value)
    if not targets:
        run.warnings.append(f"widget '{state.name}': nothing to connect to")
        return "hangup"
    run.verbs.append(Dial(
        targets=targets,
        caller_id=run.prop(state, "caller_id") or None,
        timeout=run.int_prop(state, "timeout", 30, low=5, high=600),
        record=run.bool_prop(state, "record", False),
        resume=state.name,
    ))
    return WAIT


def _connect_resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    if params.get("CallStatus") in ("completed", "canceled", "failed", "busy", "no-answer"):
        return "hangup"  # the caller's own leg ended
    return "callCompleted"


# -- add-twiml-redirect ---------------------------------------------------------------

def _redirect(state: State, run: Run) -> Outcome:
    run.verbs.append(Redirect(url=run.prop(state, "url"),
                              method=run.prop(state, "method", "POST").upper() or "POST",
                              resume=state.name))
    return WAIT


def _redirect_resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    event = (params.get("FlowEvent") or "return").strip()
    return event if event in ("return", "timeout", "fail") else "return"


# -- make-outgoing-call-v2 ------------------------------------------------------------

def _outgoing(state: State, run: Run) -> Outcome:
    to = run.prop(state, "to", run.context.contact_address).strip()
    from_ = run.prop(state, "from", run.context.flow_address).strip()
    detect = run.bool_prop(state, "detect_answering_machine", False)
    run.effects.append(MakeOutgoingCall(
        to=to, from_=from_, resume=state.name,
        timeout=run.int_prop(state, "timeout", 60, low=5, high=600),
        record=run.bool_prop(state, "record", False),
        machine_detection=(run.prop(state, "machine_detection") or "Enable") if detect else None,
        send_digits=run.prop(state, "send_digits") or None,
    ))
    return WAIT


_CALL_EVENTS = {"in-progress": "answered", "answered": "answered", "completed": "answered",
                "busy": "busy", "no-answer": "noAnswer", "failed": "failed",
                "canceled": "failed"}


def _outgoing_resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    event = _CALL_EVENTS.get((params.get("CallStatus") or "failed").lower(), "failed")
    if event == "answered":
        run.context.channel = "voice"
        if params.get("CallSid"):
            run.set_widget(state.name, {"CallSid": params["CallSid"]})
    return event


HANDLERS = {
    "say-play": WidgetHandler(_say_play, events=("audioComplete",), channels=VOICE),
    "gather-input-on-call": WidgetHandler(
        _gather, _gather_resume, events=("keypress", "speech", "timeout"), channels=VOICE),
    "record-voicemail": WidgetHandler(
        _record, _record_resume, events=("recordingComplete", "noAudio", "hangup"),
        channels=VOICE),
    "connect-call-to": WidgetHandler(
        _connect, _connect_resume, events=("callCompleted", "hangup"), required=("noun",),
        channels=VOICE),
    "add-twiml-redirect": WidgetHandler(
        _redirect, _redirect_resume, events=("return", "timeout", "fail"), required=("url",),
        channels=VOICE),
    "make-outgoing-call-v2": WidgetHandler(
        _outgoing, _outgoing_resume, events=("answered", "busy", "noAnswer", "failed"),
        required=("to", "from")),
}
