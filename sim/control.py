"""The control API (JSON under /sim/): be the caller, the called phone, the texter, and read
what happened. Used by e2e tests (through sim.client.SimClient) and by the phone page."""

from __future__ import annotations

import re
from typing import Any

from sim import caller, legs, messaging
from sim.context import Sim
from sim.http import Request, Response, Router
from sim.ids import rfc2822
from sim.model import Call, Message
from sim.store import bare_address

DIGITS = re.compile(r"^[0-9*#wW]+$")
MAX_WAIT_SECONDS = 120.0


def conference_view(sim: Sim, call: Call) -> dict[str, Any] | None:
    """The conference the call is in now, with every participant's state (lock held)."""
    conf = sim.store.conferences.get(call.conference_sid or "")
    if conf is None or call.sid not in conf.participants:
        return None
    participants = []
    for sid, me in conf.participants.items():
        leg = sim.store.calls.get(sid)
        participants.append({
            "call_sid": sid, "label": me.label or None, "to": leg.to if leg else None,
            "from": leg.from_ if leg else None, "hold": me.hold, "muted": me.muted,
            "coaching": me.coaching, "call_sid_to_coach": me.call_sid_to_coach,
            "start_conference_on_enter": me.start_on_enter,
            "end_conference_on_exit": me.end_on_exit,
        })
    return {"name": conf.friendly_name, "sid": conf.sid, "status": conf.status,
            "participants": participants}


def call_view(sim: Sim, call: Call, *, details: bool = True) -> dict[str, Any]:
    """A call as the control API shows it (take the store lock first)."""
    view: dict[str, Any] = {
        "call_sid": call.sid, "account_sid": call.account_sid, "from": call.from_,
        "to": call.to, "direction": call.direction, "endpoint": call.endpoint,
        "status": call.status, "parent_call_sid": call.parent_sid,
        "answered": call.answered, "ended_by": call.ended_by,
        "duration": round(sim.clock.elapsed(call.answered_mono, call.ended_mono))
        if call.answered_mono is not None else 0,
        "bridged_with": list(call.bridged_with),
        "bridged_now": next((s for s in call.bridge.legs if s != call.sid), None)
        if call.bridge else None,
        "queue": call.queue, "conference": conference_view(sim, call),
        "device_id": call.device_id,
        "listening": call.listener.kind if call.listener and not call.listener.done else None,
        "date_created": rfc2822(call.created),
    }
    if details:
        view["transcript"] = [dict(e) for e in call.transcript]
        view["requests"] = [dict(r) for r in call.requests]
    return view


def message_view(message: Message) -> dict[str, Any]:
    return {
        "sid": message.sid, "account_sid": message.account_sid, "from": message.from_,
        "to": message.to, "body": message.body, "direction": message.direction,
        "status": message.status, "media_urls": list(message.media_urls),
        "error_code": message.error_code, "error_message": message.error_message,
        "date_created": rfc2822(message.created),
    }


def _error(status: int, text: str) -> Response:
    return Response.json({"error": text, "message": text}, status)


class ControlApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", "/sim/calls", self.place_call)
        router.add("GET", "/sim/calls", self.list_calls)
        router.add("GET", "/sim/calls/{sid}", self.get_call)
        router.add("POST", "/sim/calls/{sid}/input", self.input)
        router.add("POST", "/sim/calls/{sid}/hangup", self.hangup)
        router.add("POST", "/sim/calls/{sid}/answer", self.answer)
        router.add("POST", "/sim/calls/{sid}/reject", self.reject)
        router.add("POST", "/sim/messages", self.send_message)
        router.add("GET", "/sim/messages", self.list_messages)
        router.add("POST", "/sim/wait", self.wait)
        router.add("GET", "/sim/numbers", self.list_numbers)
        router.add("POST", "/sim/caller-ids", self.verify_caller_id)

    def place_call(self, request: Request) -> Response:
        data = request.json()
        from_, to = str(data.get("from", "")).strip(), str(data.get("to", "")).strip()
        if not from_ or not to:
            return _error(400, "'from' and 'to' are required")
        with self.store.lock:
            number = self.store.number_for(to)
        if number is None:
            return _error(404, f"no number {to} in the simulator")
        call = legs.start_inbound(self.sim, number, from_, to,
                                  forwarded_from=str(data.get("forwarded_from", "")),
                                  caller_name=str(data.get("caller_name", "")))
        return Response.json({"call_sid": call.sid}, 201)

    def _call(self, request: Request) -> Call | None:
        with self.store.lock:
            return self.store.calls.get(request.params["sid"])

    def list_calls(self, request: Request) -> Response:
        to, from_ = request.address("to"), request.address("from")
        statuses = {s for s in request.arg("status").split(",") if s}
        direction = request.arg("direction")
        with self.store.lock:
            found = [c for c in self.store.calls.values()
                     if (not to or c.to == to) and (not from_ or c.from_ == from_)
                     and (not statuses or c.status in statuses)
                     and (not direction or c.direction == direction)]
            found.sort(key=lambda c: c.created_mono)
            return Response.json([call_view(self.sim, c) for c in found])

    def get_call(self, request: Request) -> Response:
        call = self._call(request)
        if call is None:
            return _error(404, "no such call")
        with self.store.lock:
            return Response.json(call_view(self.sim, call))

    def input(self, request: Request) -> Response:
        call = self._call(request)
        if call is None:
            return _error(404, "no such call")
        data = request.json()
        try:
            if data.get("digits") is not None:
                digits = str(data["digits"])
                if not DIGITS.match(digits):
                    return _error(400, "digits are 0-9, * and #")
                heard = caller.press(self.sim, call, digits)
            elif data.get("speech") is not None:
                heard = caller.speak(self.sim, call, str(data["speech"]))
            else:
                return _error(400, "send 'digits' or 'speech'")
        except caller.NotLive:
            return _error(409, "the call has ended")
        return Response.json({"heard_by": heard})

    def hangup(self, request: Request) -> Response:
        call = self._call(request)
        if call is None:
            return _error(404, "no such call")
        if not legs.hangup(self.sim, call.sid, "caller" if call.direction == "inbound"
                           else "callee"):
            return _error(409, "the call has already ended")
        return Response.json({"ok": True})

    def answer(self, request: Request) -> Response:
        return self._signal(request, "answer")

    def reject(self, request: Request) -> Response:
        return self._signal(request, "reject")

    def _signal(self, request: Request, signal: str) -> Response:
        """An outside phone answers or declines. A client: leg is answered by a registered
        device only: here the first one registered for its identity, if there is one."""
        call = self._call(request)
        if call is None:
            return _error(404, "no such call")
        device_id = None
        if call.endpoint == "client":
            with self.store.lock:
                devices = self.store.devices_for(call.account_sid, call.to)
            if not devices:
                return _error(409, f"no device is registered for {call.to}: register one "
                                   "with POST /sim/devices, then accept through it")
            device_id = devices[0].id
        if not legs.signal_answer(self.sim, call.sid, signal, device_id):
            return _error(409, "only a ringing phone or client leg can be answered or rejected")
        return Response.json({"ok": True})

    def send_message(self, request: Request) -> Response:
        data = request.json()
        from_, to = str(data.get("from", "")).strip(), str(data.get("to", "")).strip()
        if not from_ or not to:
            return _error(400, "'from' and 'to' are required")
        try:
            message = messaging.receive(self.sim, from_, to, str(data.get("body", "")),
                                        [str(u) for u in data.get("media_urls", [])])
        except LookupError:
            return _error(404, f"no number {to} in the simulator")
        return Response.json({"message_sid": message.sid}, 201)

    def list_messages(self, request: Request) -> Response:
        to, from_, party = request.address("to"), request.address("from"), request.address("with")
        with self.store.lock:
            found = [m for m in self.store.messages.values()
                     if (not to or bare_address(m.to) == bare_address(to))
                     and (not from_ or bare_address(m.from_) == bare_address(from_))
                     and (not party or bare_address(party) in (bare_address(m.to),
                                                               bare_address(m.from_)))]
            found.sort(key=lambda m: m.created)
            return Response.json([message_view(m) for m in found])

    def wait(self, request: Request) -> Response:
        """Block until a condition on a call holds: status, bridged, transcript-contains,
        listening or ended. 408 with the call's state if it did not within `timeout`."""
        data = request.json()
        with self.store.lock:
            call = self.store.calls.get(str(data.get("call_sid", "")))
        if call is None:
            return _error(404, "no such call")
        until, value = str(data.get("until", "ended")), data.get("value")
        timeout = min(float(data.get("timeout", 10)), MAX_WAIT_SECONDS)

        def holds() -> bool:
            if until == "status":
                wanted = value if isinstance(value, list) else [value]
                return call.status in wanted
            if until == "bridged":
                return bool(call.bridged_with) and (value is None or value in call.bridged_with)
            if until == "transcript-contains":
                text = str(value).lower()
                return any(text in str(e.get("text") or e.get("speech") or "").lower()
                           for e in call.transcript)
            if until == "listening":
                listener = call.listener
                return listener is not None and not listener.done and (
                    value is None or listener.kind == value)
            return call.ended

        with self.store.lock:
            ok = self.store.changed.wait_for(holds, timeout)
            return Response.json({"ok": ok, "call": call_view(self.sim, call)},
                                 200 if ok else 408)

    def list_numbers(self, request: Request) -> Response:
        with self.store.lock:
            return Response.json([
                {"phone_number": n.phone_number, "friendly_name": n.friendly_name,
                 "account_sid": n.account_sid, "sid": n.sid, "voice_url": n.voice_url,
                 "sms_url": n.sms_url}
                for n in sorted(self.store.numbers.values(), key=lambda n: n.created)])

    def verify_caller_id(self, request: Request) -> Response:
        """{"account_sid", "phone_number"}: a verified caller ID of that account (what
        Twilio's validation call would make), usable as From."""
        data = request.json()
        account_sid = str(data.get("account_sid", "")).strip()
        number = str(data.get("phone_number", "")).strip()
        if not legs.E164.match(number):
            return _error(400, "'phone_number' must be E.164, e.g. +14155550100")
        with self.store.lock:
            if account_sid not in self.store.accounts:
                return _error(404, f"no account {account_sid!r} in the simulator")
            self.store.caller_ids.setdefault(account_sid, set()).add(number)
        self.store.save()
        return Response.json({"account_sid": account_sid, "phone_number": number}, 201)
