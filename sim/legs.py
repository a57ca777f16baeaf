"""Call legs: creating them, ringing, answering, bridging, hanging up, status callbacks.

Every leg has one thread for its whole life. An inbound leg runs its number's VoiceUrl; an
outbound leg rings its endpoint (a `client:` identity rings the devices registered for it
and only a device answers; an external phone waits for the control API; a number in the sim
becomes an inbound call to that number) and,
once answered, runs its program: REST TwiML, a <Dial> child's whisper and bridge, or a
conference participant's stay.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from sim.context import Sim, status_callback_params
from sim.flow import CallEnded, Redirected
from sim.ids import new_sid
from sim.model import Bridge, Call, Fetch, Interrupt, PhoneNumber

if TYPE_CHECKING:
    from sim.runner import CallRunner

log = logging.getLogger("sim.legs")

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def endpoint_of(sim: Sim, to: str) -> str:
    """client | phone (PSTN or SIP outside the sim) | number (a number in the sim) | invalid."""
    if to.startswith("client:"):
        return "client"
    if to.startswith("sip:"):
        return "phone"
    if number_in_sim(sim, to) is not None:
        return "number"
    return "phone" if E164.match(to) else "invalid"


REMOTE_ACCOUNT = "AC" + "0" * 32  # owns no resources: the far side of remote-party calls


def number_in_sim(sim: Sim, address: str) -> PhoneNumber | None:
    """A number an account of the sim owns, or a remote party's (answered by the sim)."""
    with sim.store.lock:
        number = sim.store.number_for(address)
        if number is not None:
            return number
        party = sim.store.remote_parties.get(address)
        if party is None:
            return None
        return PhoneNumber(
            sid=party.sid, account_sid=REMOTE_ACCOUNT, phone_number=party.phone_number,
            friendly_name="remote party",
            voice_url=f"{sim.base_url}/sim/remote-parties/{quote(party.phone_number)}/twiml")


# -- creating legs -----------------------------------------------------------------------------
def start_inbound(sim: Sim, number: PhoneNumber, from_: str, to: str, *,
                  forwarded_from: str = "", caller_name: str = "",
                  peer_sid: str | None = None) -> Call:
    call = Call(
        sid=new_sid("CA"), account_sid=number.account_sid, from_=from_, to=to,
        direction="inbound", endpoint="app", status="ringing", phone_number_sid=number.sid,
        forwarded_from=forwarded_from, caller_name=caller_name, peer_sid=peer_sid,
        program=Fetch(number.voice_url, number.voice_method or "POST"),
        fallback=(Fetch(number.voice_fallback_url, number.voice_fallback_method or "POST")
                  if number.voice_fallback_url else None),
        status_callback=number.status_callback,
        status_callback_method=number.status_callback_method or "POST",
    )
    with sim.store.lock:
        sim.store.calls[call.sid] = call
    sim.event(call, "status", status="ringing")
    sim.spawn(f"call-{call.sid[:10]}", run_inbound, sim, call)
    return call


def start_outbound(sim: Sim, *, account_sid: str, from_: str, to: str, direction: str,
                   role: str = "app", program: Fetch | None = None,
                   parent_sid: str | None = None, ring_timeout: float = 60.0,
                   status_callback: str = "", status_callback_method: str = "POST",
                   status_callback_events: frozenset[str] = frozenset({"completed"}),
                   whisper: Fetch | None = None, conference_sid: str | None = None,
                   participant_opts: dict[str, object] | None = None,
                   client_params: dict[str, str] | None = None) -> Call:
    call = Call(
        sid=new_sid("CA"), account_sid=account_sid, from_=from_, to=to, direction=direction,
        endpoint=endpoint_of(sim, to), role=role, program=program, parent_sid=parent_sid,
        ring_timeout=ring_timeout, status_callback=status_callback,
        status_callback_method=status_callback_method,
        status_callback_events=status_callback_events, whisper=whisper,
        conference_sid=conference_sid, participant_opts=dict(participant_opts or {}),
        client_params=dict(client_params or {}),
    )
    with sim.store.lock:
        sim.store.calls[call.sid] = call
    sim.event(call, "status", status="queued")
    sim.spawn(f"call-{call.sid[:10]}", run_outbound, sim, call)
    return call


# -- leg threads -------------------------------------------------------------------------------
def _run_leg(sim: Sim, call: Call, body: Callable[[CallRunner], None]) -> None:
    """A leg's thread: run ``body``; a crash fails the call; the leg always finishes."""
    from sim.runner import CallRunner

    runner = CallRunner(sim, call)
    try:
        body(runner)
    except CallEnded:
        pass
    except Exception:
        log.exception("call %s crashed", call.sid)
        end_call(sim, call, "failed", "simulator-error")
    finally:
        finish(sim, call)


def run_inbound(sim: Sim, call: Call) -> None:
    def answer(runner: CallRunner) -> None:
        assert call.program is not None
        runner.run_program(call.program)

    _run_leg(sim, call, answer)


def run_outbound(sim: Sim, call: Call) -> None:
    from sim.conference import run_participant
    from sim.dial import run_child

    def place(runner: CallRunner) -> None:
        outcome = ring(sim, runner)
        if outcome != "answered":
            end_call(sim, call, outcome, "callee")
            return
        mark_answered(sim, call)
        if call.send_digits:
            send_digits(sim, runner)
        if call.role == "dial-child":
            run_child(runner)
        elif call.role == "participant":
            run_participant(runner)
        elif call.program is not None:
            runner.run_program(call.program)

    _run_leg(sim, call, place)


def ring(sim: Sim, runner: CallRunner) -> str:
    """Ring the endpoint: 'answered', or the final status (busy, no-answer, failed)."""
    call = runner.call
    send_status(sim, call, "initiated", override="initiated")
    if call.endpoint == "invalid":
        return "failed"
    with sim.store.lock:
        call.status = "ringing"
    sim.event(call, "ring", to=call.to)
    send_status(sim, call, "ringing")
    if call.endpoint == "number":
        return ring_number(sim, runner)
    # A client: leg rings the devices registered for its identity (none: it just rings out);
    # an outside phone rings until the control API answers or rejects it.
    deadline = sim.clock.deadline(call.ring_timeout)
    while True:
        try:
            remaining = (deadline - sim.clock.now()) / sim.clock.scale
            decided = runner.wait(max(0.0, remaining),
                                  until=lambda: call.answer_signal is not None)
            break
        except Redirected as redirect:  # new TwiML for a call that has not answered yet
            with sim.store.lock:
                call.program = redirect.fetch
    if decided:
        return "answered" if call.answer_signal == "answer" else "busy"
    return "no-answer"


def send_digits(sim: Sim, runner: CallRunner) -> None:
    """REST `SendDigits`: once answered, play the tones to the called party ('w' waits half
    a second, 'W' one second); a number in the sim hears them on its <Gather>."""
    from sim.caller import far_side, to_far_side

    call = runner.call
    sim.event(call, "play", digits=call.send_digits)
    for key in call.send_digits:
        if key in "wW":
            runner.wait(0.5 if key == "w" else 1.0)
            continue
        with sim.store.lock:
            far = far_side(sim, call)
            if far is not None:
                to_far_side(sim, far, digits=key)
        runner.wait(0.1)


def ring_number(sim: Sim, runner: CallRunner) -> str:
    """A call to a number in the sim is an inbound call to that number's account."""
    call = runner.call
    number = number_in_sim(sim, call.to)
    if number is None:
        return "failed"
    peer = start_inbound(sim, number, call.from_, call.to, peer_sid=call.sid)
    with sim.store.lock:
        call.peer_sid = peer.sid
    answered = runner.wait(call.ring_timeout, until=lambda: peer.answered or peer.ended)
    with sim.store.lock:
        if peer.answered:
            return "answered"
        status = peer.status if peer.ended else "no-answer"
    if not answered:
        hangup(sim, peer.sid, "timeout")
    return {"canceled": "no-answer", "completed": "no-answer"}.get(status, status)


# -- state changes -----------------------------------------------------------------------------
def mark_answered(sim: Sim, call: Call) -> None:
    with sim.store.lock:
        if call.answered or call.ended:
            return
        call.answered_mono = sim.clock.now()
        call.start_time = time.time()
        call.status = "in-progress"
        sim.store.notify()
    sim.event(call, "answer")
    send_status(sim, call, "answered")


def end_call(sim: Sim, call: Call, status: str, by: str) -> bool:
    """Mark a call over, take it out of its queue and bridge. False if it already was."""
    with sim.store.lock:
        if call.ended:
            return False
        call.ended = True
        call.ended_by = by
        call.status = status
        call.ended_mono = sim.clock.now()
        call.end_time = time.time()
        call.listener = None
        if call.queue_sid:
            queue = sim.store.queues.get(call.queue_sid)
            if queue is not None and call.sid in queue.members:
                queue.members.remove(call.sid)
        if call.dial_wait is not None:
            call.dial_wait.active = False
        if call.bridge is not None:
            end_bridge(sim, call.bridge, call.sid)
        sim.event(call, "hangup", by=by, status=status)
        sim.store.notify()
    return True


def finish(sim: Sim, call: Call) -> None:
    """The leg's thread is done: final status callback, and its dependants hang up."""
    end_call(sim, call, "completed" if call.answered else "canceled", "twiml")
    with sim.store.lock:
        if call.finished:
            return
        call.finished = True
        dependants = [c.sid for c in sim.store.calls.values()
                      if not c.ended and (c.sid == call.peer_sid or c.peer_sid == call.sid
                                          or (c.parent_sid == call.sid and c.role == "dial-child"
                                              and c.bridge is None and not c.answered))]
    send_status(sim, call, "completed")
    for sid in dependants:
        hangup(sim, sid, "peer")


def send_status(sim: Sim, call: Call, event: str, override: str | None = None) -> None:
    with sim.store.lock:
        if not call.status_callback or event not in call.status_callback_events:
            return
        params = status_callback_params(sim, call)
        if override:
            params["CallStatus"] = override
        url, method = call.status_callback, call.status_callback_method
    sim.call_callback(call, url, method, params)


def hangup(sim: Sim, sid: str, by: str) -> bool:
    with sim.store.lock:
        call = sim.store.calls.get(sid)
        if call is None:
            return False
        return end_call(sim, call, "completed" if call.answered else "canceled", by)


def signal_answer(sim: Sim, sid: str, signal: str, device_id: str | None = None) -> bool:
    """A ringing outside phone, or a device ringing with a client: leg, answers ('answer')
    or declines ('reject'). A client: leg is answered only through a registered device."""
    with sim.store.lock:
        call = sim.store.calls.get(sid)
        if (call is None or call.ended or call.answered or call.answer_signal is not None
                or call.endpoint not in ("phone", "client")):
            return False
        if call.endpoint == "client":
            device = sim.store.devices.get(device_id or "")
            if device is None or device not in sim.store.devices_for(call.account_sid, call.to):
                return False
            if signal == "answer":
                call.device_id = device.id
                device.calls.append(call.sid)
        call.answer_signal = signal
        sim.store.notify()
        return True


def redirect(sim: Sim, call: Call, fetch: Fetch) -> None:
    with sim.store.lock:
        call.pending = [i for i in call.pending if i.kind != "redirect"]
        call.pending.append(Interrupt("redirect", fetch=fetch))
        sim.store.notify()


# -- bridges -----------------------------------------------------------------------------------
def create_bridge(sim: Sim, a: Call, b: Call) -> Bridge:
    with sim.store.lock:
        bridge = Bridge(id=sim.store.next_bridge_id(), legs=(a.sid, b.sid),
                        started=sim.clock.now())
        for one, other in ((a, b), (b, a)):
            one.bridge = bridge
            one.bridged_with.append(other.sid)
            sim.event(one, "bridge", with_=other.sid, to=other.to, from_=other.from_)
        sim.store.notify()
        return bridge


def end_bridge(sim: Sim, bridge: Bridge, by: str) -> None:
    with sim.store.lock:
        if bridge.ended is not None:
            return
        bridge.ended = sim.clock.now()
        bridge.ended_by = by
        a, b = (sim.store.calls[s] for s in bridge.legs)
        for one, other in ((a, b), (b, a)):
            if one.bridge is bridge:
                one.bridge = None
            sim.event(one, "unbridge", with_=other.sid, by=by)
        sim.store.notify()
