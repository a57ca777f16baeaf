"""What the person on a leg does: press keys and speak.

Input goes to the <Gather> or <Record> listening on that leg. Without one, keys are lost
(as on a real phone) and words reach whoever is bridged or conferenced with the leg.
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
        heard = "nobody"
        if call.bridge is not None and call.hangup_on_star and "*" in digits:
            legs.end_bridge(sim, call.bridge, "hangup-on-star")
            return "bridge"
        for other in hearers(sim, call):
            sim.event(other, "heard", from_=call.sid, digits=digits)
            heard = "bridge"
        return heard


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
        heard = "nobody"
        for other in hearers(sim, call):
            sim.event(other, "heard", from_=call.sid, speech=text)
            heard = "bridge"
        return heard


def hearers(sim: Sim, call: Call) -> list[Call]:
    """The legs that hear this one now (take the store lock first)."""
    store = sim.store
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
