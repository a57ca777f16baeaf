"""The flows' outbound HTTP refuses addresses a flow author must not reach (SSRF guard).

Host names resolve through an injected resolver, so no real DNS is needed; the one
server these tests run listens on 127.0.0.1 and is reached only with loopback allowed.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.adapters.http_client import BlockedAddress, UrllibHttp, blocked_reason
from chalicelib.config import ConfigError, Settings
from chalicelib.domain.flows.ports import HttpFailure

BLOCKED = {
    "loopback": ["127.0.0.1", "127.8.9.10", "::1"],
    "private": ["10.0.0.1", "172.16.0.1", "172.31.255.254", "192.168.1.1", "fc00::1",
                "fd12:3456::1"],
    "link-local": ["169.254.169.254", "169.254.170.2", "fe80::1"],
    "multicast": ["224.0.0.1", "239.255.255.250", "ff02::1"],
    "unspecified": ["0.0.0.0", "::"],
    "reserved": ["240.0.0.1", "255.255.255.255", "192.0.2.1", "198.18.0.1", "0.1.2.3"],
    "shared address space": ["100.64.0.1"],
}
MAPPED = ["::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
          "64:ff9b::a9fe:a9fe", "2002:7f00:1::1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "11.0.0.1"]


def get(http: UrllibHttp, url: str, timeout: float = 2):
    return http.request("GET", url, headers={}, body=None, content_type=None,
                        timeout=timeout)


def resolving(table: dict[str, list[str]], calls: list[str] | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise OSError(f"no such host {host}")
        return table[host]
    return resolve


@pytest.mark.parametrize("kind,address", [(k, a) for k, addrs in BLOCKED.items()
                                          for a in addrs])
def test_each_blocked_class_is_named(kind, address):
    assert blocked_reason(ipaddress.ip_address(address)).startswith(kind)


@pytest.mark.parametrize("address", MAPPED)
def test_ipv4_embedded_in_ipv6_is_checked_as_ipv4(address):
    assert blocked_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_unicast_addresses_are_allowed(address):
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://[::1]:8080/", "http://10.0.0.7/admin",
    "http://169.254.169.254/latest/meta-data/iam/", "http://[fe80::1]/",
    "http://224.0.0.1/", "http://0.0.0.0:80/", "http://[::ffff:169.254.169.254]/",
    "https://192.168.0.1/"])
def test_literal_blocked_addresses_are_refused_before_connecting(url):
    never = resolving({})
    with pytest.raises(BlockedAddress) as caught:
        get(UrllibHttp(resolver=never), url)
    assert "flows may not reach" in caught.value.message


def test_a_hostname_that_resolves_to_a_private_address_is_refused():
    http = UrllibHttp(resolver=resolving({"intranet.example.com": ["10.20.30.40"]}))
    with pytest.raises(BlockedAddress) as caught:
        get(http, "https://intranet.example.com/api")
    assert caught.value.message == ("intranet.example.com (10.20.30.40) is a private "
                                    "address, which flows may not reach")


def test_a_hostname_with_any_blocked_address_is_refused():
    http = UrllibHttp(resolver=resolving({"mixed.example.com": ["93.184.216.34",
                                                                "169.254.169.254"]}))
    with pytest.raises(BlockedAddress, match="link-local"):
        get(http, "http://mixed.example.com/")


def test_numeric_host_spellings_resolve_to_loopback_and_are_refused():
    # what the system resolver turns 0x7f000001 / 2130706433 / 127.1 into
    http = UrllibHttp(resolver=resolving({"2130706433": ["127.0.0.1"],
                                          "127.1": ["127.0.0.1"]}))
    for url in ("http://2130706433/", "http://127.1/"):
        with pytest.raises(BlockedAddress, match="loopback"):
            get(http, url)


def test_the_lambda_runtime_api_is_refused_even_with_loopback_allowed(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
    with pytest.raises(BlockedAddress, match="Lambda runtime API"):
        get(UrllibHttp(allow_loopback=True), "http://127.0.0.1:9001/2018-06-01/runtime/"
                                             "invocation/next")


def test_allowing_loopback_still_refuses_private_and_link_local():
    http = UrllibHttp(allow_loopback=True)
    for url in ("http://10.0.0.1/", "http://169.254.169.254/"):
        with pytest.raises(BlockedAddress):
            get(http, url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.com/",
                                 "ftp://example.com/x", "http:///nohost"])
def test_only_http_and_https_with_a_host(url):
    with pytest.raises(HttpFailure):
        get(UrllibHttp(resolver=resolving({})), url)


def test_a_hung_dns_lookup_is_a_timeout_within_the_budget():
    release = threading.Event()

    def hang(host: str, port: int) -> list[str]:
        release.wait(5)
        return ["93.184.216.34"]

    try:
        with pytest.raises(HttpFailure) as caught:
            get(UrllibHttp(resolver=hang), "https://slow-dns.example.com/", timeout=0.2)
        assert caught.value.timed_out and "resolving slow-dns.example.com" in str(caught.value)
    finally:
        release.set()


# -- against a real server on 127.0.0.1 ------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    seen_hosts: list[str] = []

    def log_message(self, *args: object) -> None:
        return None

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None,
              length: bool = True) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.seen_hosts.append(self.headers.get("Host", ""))
        port = self.server.server_address[1]
        if self.path == "/to-metadata":
            self._send(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
        elif self.path == "/to-private-name":
            self._send(301, b"", {"Location": "http://intranet.example.com/"})
        elif self.path == "/to-file":
            self._send(302, b"", {"Location": "file:///etc/passwd"})
        elif self.path == "/to-ok":
            self._send(302, b"", {"Location": f"http://api.example.com:{port}/ok"})
        elif self.path == "/loop":
            self._send(302, b"", {"Location": "/loop"})
        elif self.path == "/big":
            self._send(200, b"x" * 5000, {"Content-Type": "text/plain"})
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        else:
            self._send(200, b'{"ok": true}', {"Content-Type": "application/json"})


@pytest.fixture
def server() -> Iterator[int]:
    Handler.seen_hosts = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_local_server_is_refused_by_default(server):
    with pytest.raises(BlockedAddress, match="loopback"):
        get(UrllibHttp(), f"http://127.0.0.1:{server}/ok")
    assert Handler.seen_hosts == []


def test_a_local_server_is_reachable_with_the_local_run_setting(server):
    response = get(UrllibHttp(allow_loopback=True), f"http://127.0.0.1:{server}/ok")
    assert (response.status, response.text) == (200, '{"ok": true}')


def test_the_address_is_resolved_once_and_the_host_header_keeps_the_name(server):
    calls: list[str] = []
    http = UrllibHttp(allow_loopback=True,
                      resolver=resolving({"api.example.com": ["127.0.0.1"]}, calls))

    response = get(http, f"http://api.example.com:{server}/ok")

    assert response.status == 200
    assert calls == ["api.example.com"]
    assert Handler.seen_hosts == [f"api.example.com:{server}"]


def test_a_redirect_to_the_metadata_address_is_refused(server):
    with pytest.raises(BlockedAddress, match=r"169\.254\.169\.254"):
        get(UrllibHttp(allow_loopback=True), f"http://127.0.0.1:{server}/to-metadata")


def test_a_redirect_to_a_name_that_resolves_privately_is_refused(server):
    http = UrllibHttp(allow_loopback=True,
                      resolver=resolving({"intranet.example.com": ["192.168.10.10"]}))
    with pytest.raises(BlockedAddress, match="private"):
        get(http, f"http://127.0.0.1:{server}/to-private-name")


def test_a_redirect_to_another_scheme_is_refused(server):
    with pytest.raises(HttpFailure, match="only http and https"):
        get(UrllibHttp(allow_loopback=True), f"http://127.0.0.1:{server}/to-file")


def test_an_allowed_redirect_is_followed_and_checked_again(server):
    calls: list[str] = []
    http = UrllibHttp(allow_loopback=True,
                      resolver=resolving({"api.example.com": ["127.0.0.1"]}, calls))

    response = get(http, f"http://127.0.0.1:{server}/to-ok")

    assert response.text == '{"ok": true}'
    assert calls == ["api.example.com"]


def test_a_redirect_loop_stops(server):
    with pytest.raises(HttpFailure, match="more than 5 redirects"):
        get(UrllibHttp(allow_loopback=True), f"http://127.0.0.1:{server}/loop")


def test_a_response_over_the_cap_is_a_failure_not_a_truncation(server):
    http = UrllibHttp(max_bytes=1000, allow_loopback=True)
    with pytest.raises(HttpFailure, match="5000 bytes, over the 1000-byte cap"):
        get(http, f"http://127.0.0.1:{server}/big")
    with pytest.raises(HttpFailure, match="over the 1000-byte cap"):
        get(http, f"http://127.0.0.1:{server}/big-unannounced")


def test_a_response_within_the_cap_is_read_whole(server):
    response = get(UrllibHttp(max_bytes=5000, allow_loopback=True),
                   f"http://127.0.0.1:{server}/big")
    assert response.text == "x" * 5000


def test_a_refusal_is_logged_with_its_reason(caplog):
    with (caplog.at_level("WARNING", logger="chalicelib.adapters.http_client"),
          pytest.raises(BlockedAddress)):
        get(UrllibHttp(), "http://169.254.169.254/latest/meta-data/?token=secret")
    assert "169.254.169.254 is a link-local" in caplog.text
    assert "secret" not in caplog.text


@pytest.mark.parametrize("url", ["ftp://user:hunter2@example.com/x?api_key=hunter2",
                                 "http:///nohost?api_key=hunter2",
                                 "http://user:hunter2@example.com:99999/?api_key=hunter2"])
def test_a_refused_url_keeps_its_credentials_and_query_out_of_the_error_and_log(url, caplog):
    # given a flow URL carrying a password and an API key, refused before connecting
    with (caplog.at_level("WARNING", logger="chalicelib.adapters.http_client"),
          pytest.raises(HttpFailure) as refused):
        get(UrllibHttp(resolver=resolving({})), url)
    # then neither the error (the flow's log) nor the warning shows them
    assert "hunter2" not in refused.value.message and "hunter2" not in caplog.text


# -- the setting -------------------------------------------------------------------

BASE_ENV = {"PUBLIC_BASE_URL": "http://127.0.0.1:8000", "HOTLINE_JWT_SECRET": "s" * 32,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "t"}


def test_loopback_is_off_unless_the_local_run_turns_it_on():
    assert Settings.from_environ(BASE_ENV).allow_loopback_http is False
    on = Settings.from_environ({**BASE_ENV, "HOTLINE_ALLOW_LOOPBACK_HTTP": "1"})
    assert on.allow_loopback_http is True


def test_a_malformed_loopback_setting_stops_start_up_and_names_it():
    with pytest.raises(ConfigError, match="HOTLINE_ALLOW_LOOPBACK_HTTP"):
        Settings.from_environ({**BASE_ENV, "HOTLINE_ALLOW_LOOPBACK_HTTP": "maybe"})
