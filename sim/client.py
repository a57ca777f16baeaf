"""SimClient: drive the carrier simulator from a test, as a caller, a called phone or a texter.

    sim = SimClient("http://127.0.0.1:8001")
    sid = sim.call("+15557654321", "+14155550100")
    sim.wait_for_text(sid, "press 1")
    sim.press(sid, "1")            # waits until a <Gather> listens, then presses
    desk = sim.register("AC…", "alice")       # a Voice SDK device for client:alice
    agent = sim.accept(desk)                  # waits for a call to ring it, answers it
    sim.wait_for(lambda: sim.get(sid)["bridged_with"], timeout=5)
    sim.hangup(sid)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

T = TypeVar("T")
POLL_SECONDS = 0.02


class SimTimeout(AssertionError):
    """A wait ran out; the message says what was awaited and the call's last state."""


class SimClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    # -- plumbing ----------------------------------------------------------------------------
    def _post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        response = self.http.post(self.base_url + path, json=data or {}, timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path} -> {response.status_code}: {response.text}")
        return response.json()

    def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        response = self.http.get(self.base_url + path, params=params, timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"GET {path} -> {response.status_code}: {response.text}")
        return response.json()

    # -- a caller ------------------------------------------------------------------------------
    def call(self, from_: str, to: str, **extra: str) -> str:
        """Dial a number in the sim from `from_`; returns the new CallSid."""
        return str(self._post("/sim/calls", {"from": from_, "to": to, **extra})["call_sid"])

    def press(self, sid: str, digits: str, *, wait: bool = True,
              timeout: float | None = None) -> str:
        """Press keys. With wait=True, first wait until a <Gather>/<Record> listens (keys
        pressed while nothing listens are lost, as on a real phone). Returns who heard them."""
        if wait:
            self.wait_listening(sid, timeout=timeout)
        return str(self._post(f"/sim/calls/{sid}/input", {"digits": digits})["heard_by"])

    def say(self, sid: str, speech: str, *, wait: bool = True,
            timeout: float | None = None) -> str:
        """Speak. With wait=True, first wait until a <Gather>/<Record> listens; pass
        wait=False to talk to whoever the call is bridged with."""
        if wait:
            self.wait_listening(sid, timeout=timeout)
        return str(self._post(f"/sim/calls/{sid}/input", {"speech": speech})["heard_by"])

    def hangup(self, sid: str) -> None:
        self._post(f"/sim/calls/{sid}/hangup")

    # -- a called outside phone ----------------------------------------------------------------
    def answer(self, sid: str) -> None:
        self._post(f"/sim/calls/{sid}/answer")

    def reject(self, sid: str) -> None:
        self._post(f"/sim/calls/{sid}/reject")

    # -- a registered Voice SDK device (what rings a client: leg) -------------------------------
    def register(self, account_sid: str, identity: str) -> str:
        """Register a headless device for client:IDENTITY in that account; returns its id."""
        return str(self._post("/sim/devices", {"account_sid": account_sid,
                                               "identity": identity})["device_id"])

    def unregister(self, device_id: str) -> None:
        response = self.http.delete(f"{self.base_url}/sim/devices/{device_id}", timeout=30)
        if response.status_code >= 400:
            raise RuntimeError(f"DELETE device -> {response.status_code}: {response.text}")

    def device(self, device_id: str) -> dict[str, Any]:
        """{device_id, account_sid, identity, muted, ringing: [...], active, heard: [...]}"""
        return dict(self._get(f"/sim/devices/{device_id}"))

    def wait_ringing(self, device_id: str, timeout: float | None = None) -> dict[str, Any]:
        """Until a call rings the device; returns it ({call_sid, from, to, parameters})."""
        def first() -> dict[str, Any] | None:
            ringing = self.device(device_id)["ringing"]
            return dict(ringing[0]) if ringing else None

        return self.wait_for(first, timeout, f"a call ringing device {device_id}")

    def accept(self, device_id: str, call_sid: str | None = None,
               timeout: float | None = None) -> str:
        """Accept a call ringing the device (by default the first, waiting for it); returns
        its CallSid once answered."""
        sid = call_sid or str(self.wait_ringing(device_id, timeout)["call_sid"])
        self._post(f"/sim/devices/{device_id}/accept", {"call_sid": sid})
        return sid

    def decline(self, device_id: str, call_sid: str | None = None,
                timeout: float | None = None) -> str:
        """Reject a call ringing the device (Voice SDK `call.reject()`)."""
        sid = call_sid or str(self.wait_ringing(device_id, timeout)["call_sid"])
        self._post(f"/sim/devices/{device_id}/reject", {"call_sid": sid})
        return sid

    def answer_as(self, account_sid: str, identity: str,
                  timeout: float | None = None) -> tuple[str, str]:
        """Register a device for the identity, wait for a call and accept it:
        (device_id, call_sid)."""
        device_id = self.register(account_sid, identity)
        return device_id, self.accept(device_id, timeout=timeout)

    def device_hangup(self, device_id: str) -> None:
        self._post(f"/sim/devices/{device_id}/hangup")

    def device_press(self, device_id: str, digits: str) -> str:
        """The device's user presses keys (SDK `sendDigits`); returns who heard them."""
        return str(self._post(f"/sim/devices/{device_id}/digits",
                              {"digits": digits})["heard_by"])

    def device_say(self, device_id: str, text: str) -> str:
        return str(self._post(f"/sim/devices/{device_id}/speech", {"text": text})["heard_by"])

    def device_mute(self, device_id: str, muted: bool = True) -> None:
        self._post(f"/sim/devices/{device_id}/mute", {"muted": muted})

    def device_connect(self, device_id: str, **params: str) -> str:
        """An outgoing call from the device through the account's TwiML App; its CallSid."""
        return str(self._post(f"/sim/devices/{device_id}/connect",
                              {"params": params})["call_sid"])

    def heard(self, device_id: str) -> list[str]:
        """Lines the device's user heard on its calls, newest last."""
        return [str(line) for line in self.device(device_id)["heard"]]

    # -- an outside party that answers with TwiML (a far IVR) -----------------------------------
    def remote_party(self, phone_number: str, twiml: str,
                     replies: dict[str, str] | None = None) -> None:
        """Calls to phone_number answer by themselves with `twiml`; a <Gather> without an
        action there gets replies[Digits] (or replies[SpeechResult]) next."""
        self._post("/sim/remote-parties", {"phone_number": phone_number, "twiml": twiml,
                                           "replies": replies or {}})

    def verify_caller_id(self, account_sid: str, phone_number: str) -> None:
        """Make phone_number a verified caller ID of the account (usable as From)."""
        self._post("/sim/caller-ids", {"account_sid": account_sid,
                                       "phone_number": phone_number})

    # -- reading -----------------------------------------------------------------------------
    def get(self, sid: str) -> dict[str, Any]:
        return dict(self._get(f"/sim/calls/{sid}"))

    def calls(self, *, to: str = "", from_: str = "", status: str = "",
              direction: str = "") -> list[dict[str, Any]]:
        params = {k: v for k, v in (("to", to), ("from", from_), ("status", status),
                                    ("direction", direction)) if v}
        return list(self._get("/sim/calls", params))

    def transcript(self, sid: str, kind: str | None = None) -> list[dict[str, Any]]:
        events = self.get(sid)["transcript"]
        return [e for e in events if kind is None or e["kind"] == kind]

    def conference(self, sid: str) -> dict[str, Any] | None:
        """The conference the call is in now: {name, sid, status, participants: [{call_sid,
        label, to, from, hold, muted, coaching, call_sid_to_coach, …}]}, or None."""
        conf = self.get(sid)["conference"]
        return dict(conf) if conf else None

    def wait_in_conference(self, sid: str, name: str | None = None,
                           timeout: float | None = None) -> dict[str, Any]:
        """Until the call is in a conference (named `name`, if given); returns its view."""
        call = self.wait_for_call(
            sid, lambda c: c["conference"] and (name is None or c["conference"]["name"] == name),
            timeout, f"the call in conference {name or '(any)'}")
        return dict(call["conference"])

    def text(self, sid: str) -> str:
        """Everything the caller heard spoken (<Say>), in order, one line each."""
        return "\n".join(e["text"] for e in self.transcript(sid, "say"))

    # -- messages ----------------------------------------------------------------------------
    def sms(self, from_: str, to: str, body: str, media_urls: list[str] | None = None) -> str:
        """Text a number in the sim (with MMS media URLs); returns the MessageSid."""
        return str(self._post("/sim/messages", {"from": from_, "to": to, "body": body,
                                                "media_urls": media_urls or []})["message_sid"])

    def messages(self, *, to: str = "", from_: str = "", with_: str = "") -> list[dict[str, Any]]:
        """Messages both ways, oldest first; with_ = either party."""
        params = {k: v for k, v in (("to", to), ("from", from_), ("with", with_)) if v}
        return list(self._get("/sim/messages", params))

    # -- waiting -----------------------------------------------------------------------------
    def wait_for(self, predicate: Callable[[], T | None], timeout: float | None = None,
                 what: str = "condition") -> T:
        """Poll until predicate() is truthy; return its value. SimTimeout otherwise."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise SimTimeout(f"timed out waiting for {what}")
            time.sleep(POLL_SECONDS)

    def wait_for_call(self, sid: str, predicate: Callable[[dict[str, Any]], Any],
                      timeout: float | None = None, what: str = "call state") -> dict[str, Any]:
        last: dict[str, Any] = {}

        def check() -> dict[str, Any] | None:
            nonlocal last
            last = self.get(sid)
            return last if predicate(last) else None

        try:
            return self.wait_for(check, timeout, what)
        except SimTimeout as exc:
            raise SimTimeout(f"{exc} on {sid}; last state: status={last.get('status')} "
                             f"transcript={last.get('transcript')}") from None

    def wait_status(self, sid: str, *statuses: str, timeout: float | None = None) -> dict[str, Any]:
        return self.wait_for_call(sid, lambda c: c["status"] in statuses, timeout,
                                  f"status in {statuses}")

    def wait_ended(self, sid: str, timeout: float | None = None) -> dict[str, Any]:
        return self.wait_status(sid, "completed", "busy", "no-answer", "failed", "canceled",
                                timeout=timeout)

    def wait_listening(self, sid: str, kind: str | None = None,
                       timeout: float | None = None) -> dict[str, Any]:
        return self.wait_for_call(
            sid, lambda c: c["listening"] and (kind is None or c["listening"] == kind),
            timeout, f"a {kind or 'gather or record'} listening")

    def wait_for_text(self, sid: str, fragment: str,
                      timeout: float | None = None) -> dict[str, Any]:
        """Until the caller has heard `fragment` (case-insensitive) in a <Say>."""
        wanted = fragment.lower()
        return self.wait_for_call(
            sid, lambda c: any(wanted in e.get("text", "").lower() for e in c["transcript"]
                               if e["kind"] == "say"), timeout, f"text {fragment!r}")

    def wait_for_event(self, sid: str, kind: str, timeout: float | None = None,
                       **fields: Any) -> dict[str, Any]:
        """Until the transcript has an event of `kind` with these fields; returns it."""
        def find(call: dict[str, Any]) -> dict[str, Any] | None:
            return next((e for e in call["transcript"] if e["kind"] == kind
                         and all(e.get(k) == v for k, v in fields.items())), None)

        call = self.wait_for_call(sid, find, timeout, f"a {kind} event {fields or ''}")
        found = find(call)
        assert found is not None
        return found

    def wait_for_leg(self, *, to: str = "", from_: str = "", status: str = "",
                     timeout: float | None = None) -> dict[str, Any]:
        """Until a call leg matching these filters exists (e.g. Hotline dialing an agent)."""
        def find() -> dict[str, Any] | None:
            found = self.calls(to=to, from_=from_, status=status)
            return found[-1] if found else None

        return self.wait_for(find, timeout, f"a leg to={to!r} from={from_!r} status={status!r}")
