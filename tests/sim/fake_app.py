"""A tiny webhook server standing in for the app under test.

Routes answer canned TwiML (a string, or a function of the request returning a string or a
(status, body) pair); every request is recorded with its params and whether its
X-Twilio-Signature is valid for the expected auth token."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import RequestValidator


@dataclass
class Hit:
    path: str
    method: str
    params: dict[str, str]
    url: str
    signature_valid: bool
    content_type: str


Answer = str | tuple[int, str]
Route = Answer | Callable[[Hit], Answer]


class FakeApp:
    def __init__(self, auth_token: str) -> None:
        self.auth_token = auth_token
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.delay: dict[str, float] = {}
        self._lock = threading.Condition()
        app = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
                query = {k: v[0] for k, v in parse_qs(parts.query,
                                                       keep_blank_values=True).items()}
                url = app.url(self.path)
                signed_params = form if self.command == "POST" else {}
                valid = RequestValidator(app.auth_token).validate(
                    url, signed_params, self.headers.get("X-Twilio-Signature", ""))
                hit = Hit(parts.path, self.command, {**query, **form}, url, valid,
                          self.headers.get("Content-Type", ""))
                with app._lock:
                    app.hits.append(hit)
                    app._lock.notify_all()
                time.sleep(app.delay.get(parts.path, 0.0))
                route = app.routes.get(parts.path, "<Response/>")
                answer = route(hit) if callable(route) else route
                status, text = answer if isinstance(answer, tuple) else (200, answer)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests_to(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 5.0,
                 where: Callable[[Hit], bool] | None = None) -> list[Hit]:
        """Until `count` requests to path (matching `where`) arrived; returns them."""
        def matching() -> list[Hit]:
            return [h for h in self.hits if h.path == path and (where is None or where(h))]

        with self._lock:
            if not self._lock.wait_for(lambda: len(matching()) >= count, timeout):
                raise AssertionError(f"expected {count} request(s) to {path}, got "
                                     f"{[(h.path, h.params) for h in self.hits]}")
            return matching()
