"""SimClient: drive the carrier simulator from a test, as a caller, a called phone or a texter.

    sim = SimClient("http://127.0.0.1:8001")
    sid = sim.call("+15557654321", "+14155550100")
    sim.wait_for_text(sid, "press 1")
    sim.press(sid, "1")            # waits until a <Gather> listens, then presses
    agent = sim.wait_for_leg(to="client:alice")
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

    # -- a called phone or browser client ------------------------------------------------------
    def answer(self, sid: str) -> None:
        self._post(f"/sim/calls/{sid}/answer")

    def reject(self, sid: str) -> None:
        self._post(f"/sim/calls/{sid}/reject")

    def set_auto_answer(self, identity: str, auto_answer: bool) -> None:
        """Whether client:IDENTITY answers by itself (default) or rings until answer()."""
        self._post(f"/sim/clients/{identity}", {"auto_answer": auto_answer})

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

    def text(self, sid: str) -> str:
        """Everything the caller heard spoken (<Say>), in order, one line each."""
        return "\n".join(e["text"] for e in self.transcript(sid, "say"))

    # -- messages ----------------------------------------------------------------------------
    def sms(self, from_: str, to: str, body: str) -> str:
        """Text a number in the sim; returns the MessageSid."""
        return str(self._post("/sim/messages", {"from": from_, "to": to,
                                                "body": body})["message_sid"])

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
