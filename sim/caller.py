"""What the person on a leg does: press keys and speak.

Input goes to the <Gather> or <Record> listening on that leg. Without one, keys and words
reach whoever is bridged or conferenced with the leg (and nobody else: keys with no one to
hear them are lost, as on a real phone). A leg to a number in the sim passes what it hears
on to its far side, the number's own TwiML: keys played into a conference reach a <Gather>
of an IVR dialed into it.
"""

from __future__ import annotations

from sim import legs
from sim.context import Sim
from sim.model import Call, Listener


class NotLive(Exception):
    """Input for a call that has ended."""


def press(sim: Sim, call: Call, digits: str) -> str:
    """Deliver DTMF; returns who heard it: 'gather', 'record', 'bridge', or 'nobody'."""
    with sim.store.lock:
        if call.ended:
            raise NotLive(call.sid)
        sim.event(call, "input", digits=digits)
        listener = call.listener
        if listener is not None and "dtmf" in listener.inputs and not listener.done:
            _keys_to_listener(listener, digits)
            listener.last_input = sim.clock.now()
            sim.store.notify()
            return listener.kind
        if call.bridge is not None and call.hangup_on_star and "*" in digits:
            legs.end_bridge(sim, call.bridge, "hangup-on-star")
            return "bridge"
        return reach(sim, call, digits=digits)


def reach(sim: Sim, source: Call, *, digits: str | None = None,
          speech: str | None = None) -> str:
    """What the party on `source` says or keys reaches the legs that hear it (lock held)."""
    heard = "nobody"
    for other in hearers(sim, source, keys=digits is not None):
        sim.event(other, "heard", from_=source.sid, digits=digits, speech=speech)
        heard = "bridge"
        far = far_side(sim, other)
        if far is not None:
            to_far_side(sim, far, digits=digits, speech=speech)
    return heard


def far_side(sim: Sim, leg: Call) -> Call | None:
    """For a leg placed to a number in the sim, the inbound call running that number's
    TwiML (the far party), if it is live (lock held)."""
    if leg.endpoint != "number" or not leg.peer_sid:
        return None
    peer = sim.store.calls.get(leg.peer_sid)
    return peer if peer is not None and not peer.ended else None


def to_far_side(sim: Sim, far: Call, *, digits: str | None = None,
                speech: str | None = None) -> None:
    """Tones or words arriving at a number's TwiML: its listening <Gather>/<Record> gets
    them (lock held)."""
    listener = far.listener
    if listener is None or listener.done:
        return
    if digits and "dtmf" in listener.inputs:
        _keys_to_listener(listener, digits)
    elif speech and listener.kind == "record":
        listener.spoken.append(speech)
    elif speech and "speech" in listener.inputs:
        listener.speech = speech
        listener.done = True
    else:
        return
    listener.last_input = sim.clock.now()
    sim.store.notify()


def echo_to_near_side(sim: Sim, far: Call, event: dict[str, object]) -> None:
    """What a number's TwiML says or plays is heard on the leg that called it, and by
    whoever hears that leg (lock held)."""
    if far.direction != "inbound" or not far.peer_sid:
        return
    near = sim.store.calls.get(far.peer_sid)
    if near is None or near.ended or near.endpoint != "number":
        return
    text = event.get("text")
    digits = event.get("digits")
    if not text and not digits:
        return
    for other in hearers(sim, near):
        sim.event(other, "heard", from_=near.sid, speech=text, digits=digits)


def _keys_to_listener(listener: Listener, digits: str) -> None:
    for key in digits:
        if listener.kind == "record":
            if key in listener.finish_on_key:
                listener.finished_key = key
                listener.done = True
                return
            continue
        if listener.finish_on_key and key == listener.finish_on_key:
            listener.finished_key = key
            listener.done = True
            return
        listener.digits += key
        if listener.num_digits and len(listener.digits) >= listener.num_digits:
            listener.done = True
            return


def speak(sim: Sim, call: Call, text: str) -> str:
    """Deliver speech; returns who heard it: 'gather', 'record', 'bridge', or 'nobody'."""
    with sim.store.lock:
        if call.ended:
            raise NotLive(call.sid)
        sim.event(call, "input", speech=text)
        listener = call.listener
        if listener is not None and not listener.done:
            if listener.kind == "record":
                listener.spoken.append(text)
                listener.last_input = sim.clock.now()
                sim.store.notify()
                return "record"
            if "speech" in listener.inputs:
                listener.speech = text
                listener.done = True
                listener.last_input = sim.clock.now()
                sim.store.notify()
                return "gather"
        return reach(sim, call, speech=text)


def hearers(sim: Sim, call: Call, *, keys: bool = False) -> list[Call]:
    """The legs that hear this one now (take the store lock first). A device's own mute
    silences its voice, not the keys it sends (SDK `sendDigits`)."""
    from sim.devices import is_muted

    store = sim.store
    if is_muted(sim, call) and not keys:
        return []  # the device muted itself
    if call.bridge is not None:
        other = next(s for s in call.bridge.legs if s != call.sid)
        return [store.calls[other]]
    conf = store.conferences.get(call.conference_sid or "")
    if conf is None or conf.status != "in-progress":
        return []
    me = conf.participants.get(call.sid)
    if me is None or me.muted or me.hold:
        return []
    out = []
    for sid, them in conf.participants.items():
        if sid == call.sid or them.hold:
            continue
        if me.coaching and me.call_sid_to_coach and sid != me.call_sid_to_coach:
            continue  # a coach whispers to one agent only
        out.append(store.calls[sid])
    return out
