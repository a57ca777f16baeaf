"""A tiny HTTP server for page tests: the real pages (through the pages blueprint) under a
stage prefix, canned JSON for `api/...`, recording every API request it gets, and a fake
of the carrier simulator's device control API at `/sim/devices...` (the contract in
docs/simulator.md), so the desktop's local-mode phone can be driven call by call.
`Raw` answers with bytes (a voicemail recording, `tiny_wav()`); `fake_conversations.py`
serves issue 9's message routes on top of it."""

from __future__ import annotations

import io
import itertools
import json
import math
import struct
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from chalice import Chalice
from chalice.test import Client

from chalicelib.routes import pages

STAGE = "/v1"  # the pages must work under a stage prefix, as behind API Gateway


@dataclass
class Received:
    method: str
    path: str  # without the stage, e.g. "api/me/activity" or "api/contacts?phone=+1..."
    body: Any
    headers: dict[str, str]


@dataclass(frozen=True)
class Raw:
    """A reply that is bytes with a content type, not JSON (e.g. a recording)."""

    content_type: str
    data: bytes


def tiny_wav(seconds: float = 0.4, rate: int = 8000, hertz: float = 440.0) -> bytes:
    """A short, valid 16-bit mono PCM WAV of a tone (what the simulator's <Record> makes)."""
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * hertz * n / rate)))
                      for n in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(frames)
    return out.getvalue()


Reply = tuple[int, Any]
Handler = Callable[[Received], Reply]


@dataclass
class FakeApi:
    replies: dict[tuple[str, str], Handler] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, method: str, path: str, body: Any, status: int = 200) -> None:
        """Answer `method path` (query included, or the bare path for any query) with JSON."""
        self.replies[(method, path)] = lambda _request: (status, body)

    def handle(self, method: str, path: str, handler: Handler) -> None:
        self.replies[(method, path)] = handler

    def reset(self) -> None:
        with self.lock:
            self.replies.clear()
            self.received.clear()

    def requests(self, method: str, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.method == method and r.path == path]

    def answer(self, request: Received) -> Reply:
        with self.lock:
            self.received.append(request)
        bare = request.path.split("?", 1)[0]
        handler = self.replies.get((request.method, request.path)) or self.replies.get(
            (request.method, bare))
        if handler is None:
            return 404, {"error": "not_found",
                         "message": f"the fake API has no reply for {request.method} {bare}"}
        return handler(request)


@dataclass
class FakeDevice:
    device_id: str
    account_sid: str
    identity: str
    ringing: list[dict[str, Any]] = field(default_factory=list)
    active: dict[str, Any] | None = None
    digits: list[str] = field(default_factory=list)
    registered: bool = True

    def view(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "account_sid": self.account_sid,
                "identity": self.identity, "ringing": list(self.ringing),
                "active": self.active, "heard": []}


@dataclass
class FakeSim:
    """The simulator's device control API, in memory. Tests ring a registered identity
    with `ring(...)` and read what the page did from `actions` and the devices."""

    devices: dict[str, FakeDevice] = field(default_factory=dict)
    actions: list[tuple[str, str, Any]] = field(default_factory=list)  # (verb, device, body)
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Any = field(default_factory=itertools.count)

    def reset(self) -> None:
        with self.lock:
            self.devices.clear()
            self.actions.clear()

    def registered(self, identity: str) -> FakeDevice | None:
        with self.lock:
            found = [d for d in self.devices.values() if d.identity == identity and d.registered]
        return found[-1] if found else None

    def ring(self, identity: str, call_sid: str, caller: str = "+15005550006",
             parameters: dict[str, str] | None = None) -> bool:
        """Ring the identity's registered device; False when none is registered."""
        device = self.registered(identity)
        if device is None:
            return False
        with self.lock:
            device.ringing.append({"call_sid": call_sid, "from": caller,
                                   "to": f"client:{identity}", "parameters": parameters or {}})
        return True

    def stop_ringing(self, call_sid: str) -> None:
        with self.lock:
            for device in self.devices.values():
                device.ringing = [r for r in device.ringing if r["call_sid"] != call_sid]

    def end(self, call_sid: str) -> None:
        """The far side hangs up: the device no longer holds the call."""
        with self.lock:
            for device in self.devices.values():
                if device.active and device.active["call_sid"] == call_sid:
                    device.active = None

    def verbs(self) -> list[str]:
        with self.lock:
            return [verb for verb, _device, _body in self.actions]

    def answer(self, method: str, path: str, body: Any) -> Reply:
        parts = [part for part in path.split("/") if part][2:]  # after "sim", "devices"
        with self.lock:
            if method == "POST" and not parts:
                made = FakeDevice(f"DV{next(self.ids)}", body["account_sid"], body["identity"])
                self.devices[made.device_id] = made
                self.actions.append(("register", made.device_id, body))
                return 200, {"device_id": made.device_id}
            device = self.devices.get(parts[0]) if parts else None
            if device is None or not device.registered:
                return 404, {"error": "not_found", "message": "no such device"}
            if method == "GET" and len(parts) == 1:
                return 200, device.view()
            if method == "DELETE" and len(parts) == 1:
                device.registered = False
                self.actions.append(("unregister", device.device_id, None))
                return 204, None
            verb = parts[1] if len(parts) == 2 and method == "POST" else ""
            self.actions.append((verb, device.device_id, body))
            return self._act(device, verb, body or {})

    @staticmethod
    def _act(device: FakeDevice, verb: str, body: dict[str, Any]) -> Reply:
        sid = body.get("call_sid")
        ringing = next((r for r in device.ringing if r["call_sid"] == sid), None)
        if verb in ("accept", "reject"):
            if ringing is None:
                return 409, {"error": "conflict", "message": f"{sid} is not ringing this device"}
            device.ringing.remove(ringing)
        if verb == "accept" and ringing is not None:
            device.active = {"call_sid": sid, "from": ringing["from"], "to": ringing["to"],
                             "muted": False, "conference": None}
        elif verb == "reject":
            pass
        elif verb == "hangup":
            device.active = None
        elif verb == "mute" and device.active:
            device.active["muted"] = bool(body.get("muted"))
        elif verb == "digits":
            device.digits.append(str(body.get("digits")))
        elif verb not in ("mute", "speech"):
            return 404, {"error": "not_found", "message": f"no device action {verb}"}
        return 200, device.view()


def pages_client() -> Client:
    app = Chalice(app_name="hotline-pages-test")
    app.register_blueprint(pages.bp)
    return Client(app)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _serve(self, method: str) -> None:
        path = urlsplit(self.path)
        if path.path.startswith("/sim/devices"):
            self._sim(method, path.path)
            return
        if not path.path.startswith(STAGE + "/"):
            self._send(404, {"Content-Type": "text/plain"}, b"outside the stage prefix\n")
            return
        inner = path.path[len(STAGE):]
        if inner.startswith("/api/"):
            self._api(method, inner[1:] + (f"?{unquote(path.query)}" if path.query else ""))
        else:
            self._page(inner)

    def _api(self, method: str, path: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Received(method, path, body, {k.lower(): v for k, v in self.headers.items()})
        status, payload = self.server.api.answer(request)
        if isinstance(payload, Raw):
            self._send(status, {"Content-Type": payload.content_type}, payload.data)
            return
        data = b"" if payload is None else json.dumps(payload).encode()
        self._send(status, {"Content-Type": "application/json"}, data)

    def _sim(self, method: str, path: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, payload = self.server.sim.answer(method, path, json.loads(raw) if raw else None)
        data = b"" if payload is None else json.dumps(payload).encode()
        self._send(status, {"Content-Type": "application/json"}, data)

    def _page(self, path: str) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() == "if-none-match"}
        with self.server.pages_lock:
            response = self.server.pages.http.get(path, headers=headers)
        self._send(response.status_code, dict(response.headers), response.body or b"")

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, api: FakeApi, sim: FakeSim) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api
        self.sim = sim
        self.pages = pages_client()
        self.pages_lock = threading.Lock()


class FakeSite:
    """The running server: `url` is the stage root, e.g. http://127.0.0.1:PORT/v1/."""

    def __init__(self) -> None:
        self.api = FakeApi()
        self.sim = FakeSim()
        self.server = _Server(self.api, self.sim)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{STAGE}/"

    @property
    def sim_url(self) -> str:
        """The fake simulator's base URL (same origin as the pages, so CSP allows it)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
