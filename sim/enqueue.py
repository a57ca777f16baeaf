"""<Enqueue>: the caller waits in a named queue of its account, hearing the waitUrl TwiML
(re-requested each time it runs out of verbs), until <Leave>, a hangup, a REST redirect,
or a <Dial><Queue> that bridges it. Then the action URL gets QueueResult."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from sim import legs
from sim.clock import PLAY_SECONDS
from sim.flow import AppError, CallEnded, Dequeued, LeftQueue, Redirected
from sim.model import Bridge, Fetch, Interrupt, Queue
from sim.twiml import Document, attr, attr_method, resolve, text_of

if TYPE_CHECKING:
    from sim.runner import CallRunner

DEFAULT_HOLD_MUSIC = "https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical"
MIN_WAIT_LOOP_SECONDS = 1.0  # a waitUrl that answers with no verbs is not re-requested faster


def queue_params(r: CallRunner, queue: Queue) -> dict[str, str]:
    """The waitUrl parameters Twilio documents (take no lock; this does)."""
    clock = r.sim.clock
    with r.store.lock:
        members = [r.store.calls[s] for s in queue.members if s in r.store.calls]
        waits = [clock.elapsed(c.enqueued_mono) for c in members if c.enqueued_mono]
        position = queue.members.index(r.call.sid) + 1 if r.call.sid in queue.members else 0
        mine = clock.elapsed(r.call.enqueued_mono) if r.call.enqueued_mono else 0.0
        return {
            "QueuePosition": str(position), "QueueSid": queue.sid,
            "QueueTime": str(round(mine)),
            "AvgQueueTime": str(round(sum(waits) / len(waits)) if waits else 0),
            "CurrentQueueSize": str(len(members)), "MaxQueueSize": str(queue.max_size),
        }


def enqueue(r: CallRunner, el: ET.Element, doc: Document) -> Fetch | None:
    name = text_of(el)
    action = resolve(doc.url, attr(el, "action")) if attr(el, "action") else ""
    method = attr_method(el)
    wait_url = el.get("waitUrl")
    wait = None if wait_url is None else (resolve(doc.url, wait_url.strip()) if wait_url.strip()
                                          else "")
    with r.store.lock:
        queue = r.store.get_or_create_queue(r.call.account_sid, name)
        full = len(queue.members) >= queue.max_size
        if not full:
            queue.members.append(r.call.sid)
            r.call.queue, r.call.queue_sid = name, queue.sid
            r.call.enqueued_mono = r.sim.clock.now()
            r.store.notify()
    if full:
        r.sim.event(r.call, "enqueue", queue=name, result="queue-full")
        return Fetch(action, method, {"QueueResult": "queue-full"}) if action else None
    r.sim.event(r.call, "enqueue", queue=name, queue_sid=queue.sid)

    def result(value: str) -> dict[str, str]:
        with r.store.lock:
            waited = r.sim.clock.elapsed(r.call.enqueued_mono or r.sim.clock.now())
        return {"QueueResult": value, "QueueSid": queue.sid, "QueueTime": str(round(waited))}

    bridged: list[Bridge] = []
    params: dict[str, str] = {}
    outcome = ""
    try:
        while not outcome:
            try:
                r.allow_dequeue = True
                _hold(r, queue, wait, attr_method(el, "waitUrlMethod"))
            except Dequeued as dequeued:
                r.allow_dequeue = False
                r.extra_params = None
                params = result("bridged")
                if _connect(r, dequeued.interrupt, queue, params["QueueTime"], bridged):
                    outcome = "bridged"
    except LeftQueue:
        outcome = "leave"
    except AppError as exc:
        r.error(exc)
        outcome = "error"
    except CallEnded:
        _leave_queue(r, queue, "hangup")
        if action:
            r.notify_only(Fetch(action, method, params if bridged else result("hangup")))
        raise
    except Redirected:
        _leave_queue(r, queue, "redirected")
        if bridged:
            legs.end_bridge(r.sim, bridged[0], r.call.sid)
        if action:
            r.notify_only(Fetch(action, method, {**params, "QueueResult": "redirected-from-bridged"}
                                if bridged else result("redirected")))
        raise
    finally:
        r.allow_dequeue = False
        r.extra_params = None
    if outcome != "bridged":
        params = result(outcome)
    _leave_queue(r, queue, outcome)
    return Fetch(action, method, params) if action else None


def _leave_queue(r: CallRunner, queue: Queue, why: str) -> None:
    with r.store.lock:
        was_in = r.call.queue is not None
        if r.call.sid in queue.members:
            queue.members.remove(r.call.sid)
        r.call.queue = None
        r.call.dequeue_by = None
        r.call.pending = [i for i in r.call.pending if i.kind != "dequeue"]
        r.store.notify()
    if was_in:
        r.sim.event(r.call, "dequeue", queue=queue.friendly_name, result=why)


def _hold(r: CallRunner, queue: Queue, wait_url: str | None, wait_method: str) -> None:
    """Play the waitUrl TwiML over and over; only an exception ends the wait."""
    r.extra_params = lambda: queue_params(r, queue)
    while True:
        if wait_url is None:
            r.sim.event(r.call, "play", url=DEFAULT_HOLD_MUSIC)
            r.wait(PLAY_SECONDS)
            continue
        if not wait_url:
            r.forever(lambda: False)
        started = r.sim.clock.now()
        r.run_loop(Fetch(wait_url, wait_method), "wait")
        spent = r.sim.clock.elapsed(started)
        if spent < MIN_WAIT_LOOP_SECONDS:
            r.wait(MIN_WAIT_LOOP_SECONDS - spent)


def _connect(r: CallRunner, intr: Interrupt, queue: Queue, queue_time: str,
             bridged: list[Bridge]) -> bool:
    """Bridge with the dequeuing call until the bridge ends. False if the dequeuer gave up
    before that (this call goes back to the head of the queue)."""
    dequeuer_sid = intr.by or ""
    r.sim.event(r.call, "dequeued", queue=queue.friendly_name, by=dequeuer_sid)
    if intr.url:
        try:
            r.run_loop(Fetch(intr.url, intr.method, {
                "QueueSid": queue.sid, "QueueTime": queue_time,
                "DequeingCallSid": dequeuer_sid}), "hold")
        except AppError as exc:
            r.error(exc)
    with r.store.lock:
        dequeuer = r.store.calls.get(dequeuer_sid)
        wait = dequeuer.dial_wait if dequeuer else None
        if dequeuer is None or dequeuer.ended or wait is None or not wait.active \
                or wait.winner not in (None, r.call.sid):
            r.call.dequeue_by = None
            if r.call.sid not in queue.members:
                queue.members.insert(0, r.call.sid)
            r.store.notify()
            return False
        wait.winner = r.call.sid
        r.call.queue = None
        bridge = legs.create_bridge(r.sim, dequeuer, r.call)
        wait.bridge = bridge
        bridged.append(bridge)
    r.forever(lambda: bridge.ended is not None)
    return True
