import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.adapters.http_client import UrllibHttp
from chalicelib.domain.flows.ports import HttpFailure

# These tests talk to a server on 127.0.0.1, which flows reach only with the local-run
# setting on (see test_http_guard.py for the guard itself).
LOCAL = UrllibHttp(allow_loopback=True)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        return None

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            threading.Event().wait(0.6)
            try:
                self._answer(200, b"late", "text/plain")
            except BrokenPipeError:
                return  # the client gave up, as the test expects
        elif self.path.startswith("/missing"):
            self._answer(404, b'{"error": "nope"}', "application/json")
        else:
            self._answer(200, json.dumps({"path": self.path}).encode(), "application/json")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self._answer(200, json.dumps({"got": body.decode(),
                                      "type": self.headers.get("Content-Type")}).encode(),
                     "application/json")


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_get_returns_status_text_and_content_type(server):
    response = LOCAL.request("GET", f"{server}/hello?a=1", headers={}, body=None,
                                    content_type=None, timeout=2)
    assert response.status == 200
    assert json.loads(response.text) == {"path": "/hello?a=1"}
    assert response.content_type == "application/json"


def test_post_sends_body_and_content_type(server):
    response = LOCAL.request("POST", f"{server}/fn", headers={}, body=b"a=1",
                                    content_type="application/x-www-form-urlencoded",
                                    timeout=2)
    assert json.loads(response.text) == {"got": "a=1",
                                         "type": "application/x-www-form-urlencoded"}


def test_non_2xx_is_a_response_not_a_failure(server):
    response = LOCAL.request("GET", f"{server}/missing", headers={}, body=None,
                                    content_type=None, timeout=2)
    assert response.status == 404 and "nope" in response.text


def test_a_timeout_is_an_http_failure(server):
    with pytest.raises(HttpFailure) as caught:
        LOCAL.request("GET", f"{server}/slow", headers={}, body=None,
                             content_type=None, timeout=0.2)
    assert caught.value.timed_out


def test_a_refused_connection_is_an_http_failure():
    with pytest.raises(HttpFailure):
        LOCAL.request("GET", "http://127.0.0.1:9/", headers={}, body=None,
                             content_type=None, timeout=1)


def test_only_http_urls_are_allowed():
    with pytest.raises(HttpFailure):
        UrllibHttp().request("GET", "file:///etc/passwd", headers={}, body=None,
                             content_type=None, timeout=1)
