"""A tiny HTTP server for page tests: the real pages (through the pages blueprint) under a
stage prefix, and canned JSON for `api/...`, recording every API request it gets."""

from __future__ import annotations

import json
import threading
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

    def __init__(self, api: FakeApi) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api
        self.pages = pages_client()
        self.pages_lock = threading.Lock()


class FakeSite:
    """The running server: `url` is the stage root, e.g. http://127.0.0.1:PORT/v1/."""

    def __init__(self) -> None:
        self.api = FakeApi()
        self.server = _Server(self.api)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{STAGE}/"

    def start(self) -> FakeSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
