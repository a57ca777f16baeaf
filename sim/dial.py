"""<Dial>: connect the current call to a Number, Client, Sip address, the first caller of a
Queue, or a Conference. The dialing leg waits here until the dialed party hangs up; then the
action URL gets DialCallStatus (or the document goes on with its next verb)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import phonenumbers

from sim import legs
from sim.context import country_of
from sim.flow import AppError, CallEnded, Redirected
from sim.model import Bridge, Call, DialWait, Fetch, Interrupt
from sim.recordings import create_recording, recording_url, send_recording_callbacks
from sim.twiml import Document, attr, attr_bool, attr_int, attr_method, resolve, strip_ns, text_of

if TYPE_CHECKING:
    from sim.runner import CallRunner

RECORD_VALUES = {"true", "record-from-answer", "record-from-ringing", "record-from-answer-dual",
                 "record-from-ringing-dual"}


@dataclass
class Target:
    kind: str  # number | client | sip | queue | conference
    value: str
    el: ET.Element


@dataclass
class DialResult:
    status: str
    child: Call | None = None
    bridge: Bridge | None = None
    extra: dict[str, str] = field(default_factory=dict)


def targets_of(el: ET.Element) -> list[Target]:
    found = []
    for child in el:
        tag = strip_ns(child.tag).lower()
        if tag == "client":
            identity = child.find("{*}Identity")
            if identity is None:
                identity = child.find("Identity")
            value = text_of(identity) if identity is not None else text_of(child)
            found.append(Target("client", value, child))
        elif tag in ("number", "sip", "queue", "conference"):
            found.append(Target(tag, text_of(child), child))
    if not found and text_of(el):
        found.append(Target("number", text_of(el), el))
    return found


def normalize_number(raw: str, caller: str) -> str:
    """'415-123-4567' dialed by a US caller becomes '+14151234567', as Twilio does."""
    try:
        region = country_of(caller) or "US"
        parsed = phonenumbers.parse(raw, region)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return raw


def dial(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    from sim.conference import dial_conference

    targets = targets_of(el)
    if not targets:
        raise AppError(12200, "<Dial> has nothing to dial", doc.url)
    conference = next((t for t in targets if t.kind == "conference"), None)
    if conference is not None:
        return dial_conference(r, el, doc, conference.value, conference.el)
    action = resolve(doc.url, attr(el, "action")) if attr(el, "action") else ""
    method = attr_method(el)
    with r.store.lock:
        r.call.dial_wait = DialWait()
        r.call.hangup_on_star = attr_bool(el, "hangupOnStar", False)
    result = DialResult("canceled")  # if the caller hangs up while it rings
    try:
        queue = next((t for t in targets if t.kind == "queue"), None)
        if queue is not None:
            result = _dial_queue(r, el, doc, queue)
        else:
            result = _dial_parties(r, el, doc, targets)
        if result.bridge is not None:
            _stay_bridged(r, el, result)
    except CallEnded:
        if action:
            r.notify_only(Fetch(action, method, _action_params(r, el, doc, result)))
        raise
    finally:
        with r.store.lock:
            if r.call.dial_wait is not None:
                r.call.dial_wait.active = False
            r.call.dial_wait = None
            r.call.hangup_on_star = False
    params = _action_params(r, el, doc, result)
    r.sim.event(r.call, "dial-end", status=params["DialCallStatus"],
                with_=result.child.sid if result.child else None)
    return Fetch(action, method, params) if action else None


def _dial_parties(r: CallRunner, el: ET.Element, doc: Document,
                  targets: list[Target]) -> DialResult:
    caller_id = attr(el, "callerId") or r.call.from_
    if any(t.kind in ("number", "sip") for t in targets) and not _valid_caller_id(r, caller_id):
        r.error(AppError(13214, f"Dial: Invalid callerId value {caller_id!r}: it must be the "
                                "calling or called number, or a number of the account or "
                                "validated for it (required when a client leg dials)", doc.url))
    timeout = max(1, attr_int(el, "timeout", 30))
    groups = [[t] for t in targets] if attr_bool(el, "sequential", False) else [targets]
    children: list[Call] = []
    wait = r.call.dial_wait
    assert wait is not None
    for group in groups:
        batch = [_start_child(r, t, caller_id, timeout, doc) for t in group]
        children.extend(batch)
        r.sim.event(r.call, "dial", to=[c.to for c in batch])
        with r.store.lock:
            wait.targets.update(c.sid for c in batch)
        def decided(batch: list[Call] = batch) -> bool:
            return wait.winner is not None or all(c.ended for c in batch)

        try:
            r.forever(decided)
        except (CallEnded, Redirected):
            _cancel(r, children, None)
            raise
        with r.store.lock:
            winner = r.store.calls.get(wait.winner) if wait.winner else None
            bridge = wait.bridge
        if winner is not None:
            _cancel(r, children, winner.sid)
            return DialResult("completed", winner, bridge)
    return DialResult(_failed_status(children), children[-1] if children else None)


def _valid_caller_id(r: CallRunner, caller_id: str) -> bool:
    """Twilio's rule for <Dial callerId> to a number (warning 13214 otherwise): the calling
    or called number, or a number the account owns or validated; a client leg must give one
    the account owns or validated."""
    call = r.call
    if caller_id in (call.from_, call.to) and not caller_id.startswith("client:"):
        return True
    with r.store.lock:
        number = r.store.number_for(caller_id)
        return (number is not None and number.account_sid == call.account_sid) or (
            caller_id in r.store.caller_ids.get(call.account_sid, set()))


def _start_child(r: CallRunner, target: Target, caller_id: str, timeout: int,
                 doc: Document) -> Call:
    noun = target.el
    if target.kind == "client":
        to = f"client:{target.value}"
    elif target.kind == "sip":
        to = target.value
    else:
        to = normalize_number(target.value, r.call.from_)
    whisper = None
    if noun is not None and attr(noun, "url") and noun.tag != "Dial":
        whisper = Fetch(resolve(doc.url, attr(noun, "url")), attr_method(noun))
    callback = attr(noun, "statusCallback") if noun.tag != "Dial" else ""
    events = attr(noun, "statusCallbackEvent", "completed" if callback else "")
    return legs.start_outbound(
        r.sim, account_sid=r.call.account_sid, from_=caller_id, to=to,
        direction="outbound-dial", role="dial-child", parent_sid=r.call.sid,
        ring_timeout=timeout, whisper=whisper,
        status_callback=resolve(doc.url, callback) if callback else "",
        status_callback_method=attr_method(noun, "statusCallbackMethod"),
        status_callback_events=frozenset(events.replace(",", " ").split()),
        client_params=client_parameters(noun) if target.kind == "client" else None,
    )


def client_parameters(noun: ET.Element) -> dict[str, str]:
    """<Client><Parameter name="…" value="…"/></Client>: custom parameters the Voice SDK
    shows on the incoming call."""
    return {attr(p, "name"): attr(p, "value") for p in noun
            if strip_ns(p.tag) == "Parameter" and attr(p, "name")}


def _cancel(r: CallRunner, children: list[Call], keep: str | None) -> None:
    for child in children:
        if child.sid != keep:
            with r.store.lock:
                live = not child.ended
            if live:
                legs.end_call(r.sim, child, "completed" if child.answered else "canceled",
                              "dial-ended")


def _failed_status(children: list[Call]) -> str:
    statuses = {"no-answer" if c.status in ("completed", "in-progress") else c.status
                for c in children}
    for status in ("busy", "no-answer", "failed", "canceled"):
        if status in statuses:
            return status
    return "no-answer"


def _dial_queue(r: CallRunner, el: ET.Element, doc: Document, target: Target) -> DialResult:
    with r.store.lock:
        queue = r.store.queue_named(r.call.account_sid, target.value)
    r.sim.event(r.call, "dial", queue=target.value)
    if queue is None:
        return DialResult("failed")
    timeout = max(1, attr_int(el, "timeout", 30))
    url = resolve(doc.url, attr(target.el, "url")) if attr(target.el, "url") else ""
    wait = r.call.dial_wait
    assert wait is not None
    deadline = r.sim.clock.deadline(timeout)
    while True:
        remaining = (deadline - r.sim.clock.now()) / r.sim.clock.scale
        if not r.wait(max(0.0, remaining), until=lambda: bool(queue.members)):
            return DialResult("no-answer", extra={"QueueSid": queue.sid})
        with r.store.lock:
            member = r.store.calls[queue.members.pop(0)]
            member.dequeue_by = r.call.sid
            member.pending.append(Interrupt("dequeue", by=r.call.sid, url=url,
                                            method=attr_method(target.el)))
            queued_for = r.sim.clock.elapsed(member.enqueued_mono or r.sim.clock.now())
            wait.targets.add(member.sid)
            r.store.notify()
        def settled(m: Call = member) -> bool:
            return wait.winner == m.sid or m.ended or m.dequeue_by is None

        r.forever(settled)
        with r.store.lock:
            if wait.winner == member.sid:
                extra = {"QueueSid": queue.sid, "QueueTime": str(round(queued_for))}
                return DialResult("completed", member, wait.bridge, extra)


def _stay_bridged(r: CallRunner, el: ET.Element, result: DialResult) -> None:
    """Talk until one side hangs up, the time limit passes, or '*' with hangupOnStar.
    A dialed child hangs itself up when its bridge ends; a dequeued caller goes on."""
    bridge = result.bridge
    assert bridge is not None
    time_limit = max(1, attr_int(el, "timeLimit", 14400))
    try:
        if not r.wait(time_limit, until=lambda: bridge.ended is not None):
            legs.end_bridge(r.sim, bridge, "time-limit")
    except Redirected:
        legs.end_bridge(r.sim, bridge, r.call.sid)
        raise


def _action_params(r: CallRunner, el: ET.Element, doc: Document,
                   result: DialResult) -> dict[str, str]:
    bridge = result.bridge
    params = {"DialCallStatus": result.status, "DialBridged": "true" if bridge else "false"}
    if result.child is not None:
        params["DialCallSid"] = result.child.sid
    if bridge is not None:
        end = bridge.ended if bridge.ended is not None else r.sim.clock.now()
        duration = round(r.sim.clock.elapsed(bridge.started, end))
        params["DialCallDuration"] = str(duration)
        if attr(el, "record", "do-not-record") in RECORD_VALUES:
            params.update(_record_bridge(r, el, doc, duration))
    elif result.child is not None:
        params["DialCallDuration"] = "0"
    params.update(result.extra)
    return params


def _record_bridge(r: CallRunner, el: ET.Element, doc: Document, duration: int) -> dict[str, str]:
    recording = create_recording(r.sim, r.call, max(1, duration), "DialVerb")
    callback = attr(el, "recordingStatusCallback")
    send_recording_callbacks(
        r.sim, r.call, recording,
        status_url=resolve(doc.url, callback) if callback else "",
        status_method=attr_method(el, "recordingStatusCallbackMethod"),
        events=frozenset(attr(el, "recordingStatusCallbackEvent", "completed").split()),
    )
    return {"RecordingUrl": recording_url(r.sim, recording), "RecordingSid": recording.sid,
            "RecordingDuration": str(recording.duration)}


def run_child(runner: CallRunner) -> None:
    """A dialed leg once answered: the whisper TwiML, then the bridge to its parent."""
    call = runner.call
    try:
        if call.whisper is not None:
            try:
                runner.run_loop(call.whisper, "whisper")
            except AppError as exc:
                runner.error(exc)
                runner.application_error()
        with runner.store.lock:
            parent = runner.store.calls.get(call.parent_sid or "")
            wait = parent.dial_wait if parent else None
            if parent is None or parent.ended or wait is None or not wait.active \
                    or wait.winner not in (None, call.sid):
                won = False
            else:
                wait.winner = call.sid
                wait.bridge = legs.create_bridge(runner.sim, parent, call)
                won = True
        if not won:
            runner.hangup("dial-ended")
        runner.forever(lambda: call.bridge is None)
        runner.hangup("bridge-ended")
    except Redirected as redirect:
        with runner.store.lock:
            if call.bridge is not None:
                legs.end_bridge(runner.sim, call.bridge, call.sid)
        runner.sim.event(call, "redirect", url=redirect.fetch.url or None)
        runner.run_program(redirect.fetch)
