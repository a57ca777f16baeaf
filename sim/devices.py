"""Registered Voice SDK devices: what rings a `client:` leg, and what answers it.

A `client:IDENTITY` leg rings only the devices registered for that identity in the account
that placed it; nothing answers on its own. A test (or the desktop page's local adapter)
registers a headless device, sees the calls ringing it, accepts or rejects them, and then
talks on the call it holds: hang up, keys, speech, mute (the SDK's local mute: the others
stop hearing this leg). `connect` places an outgoing call as `Device.connect()` does: the
account's TwiML App voice URL is requested with `From=client:IDENTITY` and the params.
"""

from __future__ import annotations

from typing import Any

from sim import caller, legs
from sim.context import Sim
from sim.http import Request, Response, Router
from sim.ids import new_sid
from sim.model import Application, Call, Device, Fetch

HEARD_LINES = 50


def _error(status: int, text: str) -> Response:
    return Response.json({"error": text, "message": text}, status)


def ringing_calls(sim: Sim, device: Device) -> list[Call]:
    """Live client: legs for this device's identity that no device has answered (lock held)."""
    return sorted((c for c in sim.store.calls.values()
                   if c.endpoint == "client" and c.account_sid == device.account_sid
                   and c.to == f"client:{device.identity}" and c.status == "ringing"
                   and not c.ended and not c.answered and c.answer_signal is None),
                  key=lambda c: c.created_mono)


def active_call(sim: Sim, device: Device) -> Call | None:
    """The live call this device holds: one it accepted or placed (lock held)."""
    for sid in reversed(device.calls):
        call = sim.store.calls.get(sid)
        if call is not None and not call.ended:
            return call
    return None


def is_muted(sim: Sim, call: Call) -> bool:
    """Whether the device holding this leg muted itself (lock held)."""
    device = sim.store.devices.get(call.device_id or "")
    return device is not None and device.muted


def heard_line(event: dict[str, Any]) -> str | None:
    """One transcript event as a line of what the person on the leg heard, or None."""
    kind = event["kind"]
    if kind == "say":
        return str(event.get("text", ""))
    if kind == "play":
        if event.get("digits"):
            return f"(tones {event['digits']})"
        return f"(music {event.get('url', '')})"
    if kind == "heard":
        if event.get("speech"):
            return str(event["speech"])
        return f"(tones {event.get('digits', '')})"
    if kind in ("hold", "unhold", "mute", "unmute", "beep"):
        return f"({kind})"
    if kind == "conference":
        return f"(conference {event.get('name')}: {event.get('event')})"
    return None


def heard(sim: Sim, device: Device) -> list[str]:
    lines: list[str] = []
    for sid in device.calls:
        call = sim.store.calls.get(sid)
        if call is None:
            continue
        lines.extend(line for e in call.transcript if (line := heard_line(e)) is not None)
    return lines[-HEARD_LINES:]


def device_view(sim: Sim, device: Device) -> dict[str, Any]:
    from sim.control import conference_view

    active = active_call(sim, device)
    active_view = None
    if active is not None:
        conf = conference_view(sim, active)
        active_view = {"call_sid": active.sid, "from": active.from_, "to": active.to,
                       "status": active.status, "muted": device.muted,
                       "conference": conf["name"] if conf else None}
    return {
        "device_id": device.id, "account_sid": device.account_sid,
        "identity": device.identity, "muted": device.muted,
        "ringing": [{"call_sid": c.sid, "from": c.from_, "to": c.to,
                     "parameters": {"CallSid": c.sid, "From": c.from_, "To": c.to,
                                    "AccountSid": c.account_sid, **c.client_params}}
                    for c in ringing_calls(sim, device)],
        "active": active_view,
        "heard": heard(sim, device),
    }


class DevicesApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", "/sim/devices", self.create)
        router.add("GET", "/sim/devices", self.list)
        router.add("GET", "/sim/devices/{id}", self.get)
        router.add("DELETE", "/sim/devices/{id}", self.delete)
        for action in ("accept", "reject", "hangup", "digits", "speech", "mute", "connect"):
            router.add("POST", "/sim/devices/{id}/" + action, getattr(self, action))

    def _device(self, request: Request) -> Device | None:
        with self.store.lock:
            return self.store.devices.get(request.params["id"])

    def create(self, request: Request) -> Response:
        data = request.json()
        account_sid = str(data.get("account_sid", "")).strip()
        identity = str(data.get("identity", "")).strip().removeprefix("client:")
        if not account_sid or not identity:
            return _error(400, "'account_sid' and 'identity' are required")
        with self.store.lock:
            if account_sid not in self.store.accounts:
                return _error(404, f"no account {account_sid} in the simulator")
            device = Device(id=new_sid("DV"), account_sid=account_sid, identity=identity)
            self.store.devices[device.id] = device
            self.store.notify()
            return Response.json({"device_id": device.id, **device_view(self.sim, device)}, 201)

    def list(self, request: Request) -> Response:
        identity = request.arg("identity")
        with self.store.lock:
            return Response.json([device_view(self.sim, d) for d in self.store.devices.values()
                                  if not identity or d.identity == identity])

    def get(self, request: Request) -> Response:
        device = self._device(request)
        if device is None:
            return _error(404, "no such device (it was never registered, or unregistered)")
        with self.store.lock:
            return Response.json(device_view(self.sim, device))

    def delete(self, request: Request) -> Response:
        """Unregister: no more incoming calls. A call it holds goes on (SDK `unregister()`)."""
        with self.store.lock:
            device = self.store.devices.pop(request.params["id"], None)
            self.store.notify()
        if device is None:
            return _error(404, "no such device")
        return Response.empty()

    def _ringing(self, request: Request, device: Device) -> Call | str:
        sid = str(request.json().get("call_sid", "")).strip()
        with self.store.lock:
            ringing = ringing_calls(self.sim, device)
        if not sid and len(ringing) == 1:
            return ringing[0]
        found = next((c for c in ringing if c.sid == sid), None)
        return found if found is not None else f"call {sid or '(none given)'} is not ringing " \
                                               f"this device"

    def accept(self, request: Request) -> Response:
        return self._answer(request, "answer")

    def reject(self, request: Request) -> Response:
        return self._answer(request, "reject")

    def _answer(self, request: Request, signal: str) -> Response:
        device = self._device(request)
        if device is None:
            return _error(404, "no such device")
        call = self._ringing(request, device)
        if isinstance(call, str):
            return _error(409, call)
        if not legs.signal_answer(self.sim, call.sid, signal, device.id):
            return _error(409, f"call {call.sid} is no longer ringing")
        if signal == "answer":
            with self.store.lock:
                self.store.changed.wait_for(lambda: call.answered or call.ended, 5.0)
        return Response.json({"ok": True, "call_sid": call.sid})

    def _active(self, request: Request) -> tuple[Device | None, Call | None]:
        device = self._device(request)
        if device is None:
            return None, None
        with self.store.lock:
            return device, active_call(self.sim, device)

    def hangup(self, request: Request) -> Response:
        device, call = self._active(request)
        if device is None:
            return _error(404, "no such device")
        if call is None:
            return _error(409, "the device holds no call")
        legs.hangup(self.sim, call.sid, "device")
        return Response.json({"ok": True, "call_sid": call.sid})

    def digits(self, request: Request) -> Response:
        return self._input(request, "digits")

    def speech(self, request: Request) -> Response:
        return self._input(request, "text")

    def _input(self, request: Request, field: str) -> Response:
        from sim.control import DIGITS

        device, call = self._active(request)
        if device is None:
            return _error(404, "no such device")
        if call is None:
            return _error(409, "the device holds no call")
        value = str(request.json().get(field, ""))
        try:
            if field == "digits":
                if not DIGITS.match(value):
                    return _error(400, "'digits' are 0-9, * and #")
                heard_by = caller.press(self.sim, call, value)
            else:
                if not value.strip():
                    return _error(400, "'text' is required")
                heard_by = caller.speak(self.sim, call, value)
        except caller.NotLive:
            return _error(409, "the call has ended")
        return Response.json({"ok": True, "call_sid": call.sid, "heard_by": heard_by})

    def mute(self, request: Request) -> Response:
        device = self._device(request)
        if device is None:
            return _error(404, "no such device")
        data = request.json()
        with self.store.lock:
            device.muted = bool(data.get("muted", True))
            call = active_call(self.sim, device)
            if call is not None:
                self.sim.event(call, "device-mute" if device.muted else "device-unmute")
            self.store.notify()
        return Response.json({"ok": True, "muted": device.muted})

    def connect(self, request: Request) -> Response:
        """An outgoing call from the device (`Device.connect({params})`): the TwiML App's
        VoiceUrl runs with From=client:IDENTITY, To = params.To, and the params."""
        device = self._device(request)
        if device is None:
            return _error(404, "no such device")
        data = request.json()
        params = {str(k): str(v) for k, v in dict(data.get("params") or {}).items()}
        wanted = str(data.get("application_sid", ""))
        with self.store.lock:
            apps = sorted((a for a in self.store.applications.values()
                           if a.account_sid == device.account_sid
                           and (not wanted or a.sid == wanted)), key=lambda a: a.created)
        if not apps or not apps[-1].voice_url:
            return _error(409, "the account has no TwiML App with a VoiceUrl")
        call = start_device_call(self.sim, device, apps[-1], params)
        return Response.json({"ok": True, "call_sid": call.sid}, 201)


def start_device_call(sim: Sim, device: Device, app: Application,
                      params: dict[str, str]) -> Call:
    """The leg a Voice SDK device places: inbound to the account, run by the TwiML App."""
    extra = {"ApplicationSid": app.sid, **params}
    call = Call(
        sid=new_sid("CA"), account_sid=device.account_sid, from_=f"client:{device.identity}",
        to=params.get("To", ""), direction="inbound", endpoint="app", status="ringing",
        program=Fetch(app.voice_url, app.voice_method or "POST", extra),
        fallback=(Fetch(app.voice_fallback_url, app.voice_fallback_method or "POST", extra)
                  if app.voice_fallback_url else None),
        status_callback=app.status_callback,
        status_callback_method=app.status_callback_method or "POST",
        device_id=device.id,
    )
    with sim.store.lock:
        sim.store.calls[call.sid] = call
        device.calls.append(call.sid)
    sim.event(call, "status", status="ringing")
    sim.spawn(f"call-{call.sid[:10]}", legs.run_inbound, sim, call)
    return call
