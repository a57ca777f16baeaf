"""Outbound HTTP for make-http-request and run-function, guarded against SSRF.

A flow's author chooses the URL, so every request is checked before it leaves:

- only ``http`` and ``https``;
- the host is resolved ONCE, every address it resolves to must be a public unicast
  address (not loopback, private, shared, link-local - the instance metadata service
  169.254.169.254 included - multicast, unspecified or otherwise reserved; IPv4 addresses
  embedded in IPv6 (mapped, NAT64, 6to4, Teredo) are checked as IPv4), and the socket is
  opened to that exact address, while the Host header and TLS SNI/certificate check keep
  the URL's host name, so DNS rebinding cannot swap the target between check and connect;
- the Lambda runtime API (``AWS_LAMBDA_RUNTIME_API``, 127.0.0.1:9001) is never reachable;
- redirects are followed by hand, at most ``MAX_REDIRECTS`` hops, each hop checked as above;
- the whole exchange, redirects and the body included, shares one time budget;
- a body over ``max_bytes`` is a failure (the widget takes its ``failed`` event), not a
  silent truncation.

Loopback (127.0.0.0/8, ::1) is reachable only when ``allow_loopback`` is set, which the
wiring takes from ``HOTLINE_ALLOW_LOOPBACK_HTTP`` (off by default; local runs and tests
that serve a flow endpoint on 127.0.0.1 turn it on explicitly). Private and link-local
ranges stay blocked even then.

Every failure, from a blocked address to a timeout, becomes ``HttpFailure`` and is logged
with its reason. Non-2xx answers are responses, not failures: the widget decides.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import ipaddress
import logging
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from email.message import Message
from urllib.parse import urljoin, urlsplit

from chalicelib.domain.flows.ports import HttpFailure, HttpResponse

USER_AGENT = "Hotline-Flows/1.0"
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 1_000_000
_CHUNK = 64 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class BlockedAddress(HttpFailure):
    """The URL's host is, or resolves to, an address flows may not reach."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (A and AAAA), as text."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def blocked_reason(ip: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why flows may not reach ``ip``, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = blocked_reason(inner, allow_loopback=allow_loopback)
            return f"{reason} (embedded in {ip})" if reason else None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata and runtime services live here)"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared address space (carrier-grade NAT)"
    if ip.is_private:
        reserved = ip.is_reserved or (isinstance(ip, ipaddress.IPv4Address)
                                      and not _rfc1918(ip))
        return "reserved" if reserved else "private"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def _rfc1918(ip: ipaddress.IPv4Address) -> bool:
    return any(ip in ipaddress.ip_network(n)
               for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def _runtime_api() -> tuple[str, int] | None:
    """The Lambda runtime API's host and port (127.0.0.1:9001 unless Lambda says)."""
    raw = os.environ.get("AWS_LAMBDA_RUNTIME_API") or "127.0.0.1:9001"
    host, _, port = raw.rpartition(":")
    try:
        return host.strip("[]"), int(port)
    except ValueError:
        return None


def _charset(headers: Message) -> str:
    return headers.get_content_charset() or "utf-8"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed IP; the Host header keeps the URL's name."""

    def __init__(self, host: str, port: int, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed IP; SNI and the certificate check use the URL's name."""

    def __init__(self, host: str, port: int, ip: str, timeout: float,
                 context: ssl.SSLContext) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._ip = ip
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        return self.ends - time.monotonic()

    def check(self, what: str) -> float:
        left = self.left()
        if left <= 0:
            raise HttpFailure(f"{what} timed out after {self.seconds:.1f}s", timed_out=True)
        return left


class UrllibHttp:
    """The flows' HTTP port (the name is historical: it speaks http.client directly)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, user_agent: str = USER_AGENT, *,
                 allow_loopback: bool = False, resolver: Resolver | None = None,
                 tls_context: ssl.SSLContext | None = None) -> None:
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.allow_loopback = allow_loopback
        self.resolver = resolver or system_resolver
        self._tls = tls_context

    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        try:
            return self._follow(method.upper(), url, headers, body, content_type,
                                _Deadline(max(0.1, timeout)))
        except HttpFailure as exc:
            log.warning("flow HTTP %s %s refused or failed: %s", method.upper(),
                        _redacted(url), exc.message)
            raise

    # -- one exchange, redirects followed by hand ------------------------------------

    def _follow(self, method: str, url: str, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                deadline: _Deadline) -> HttpResponse:
        for _hop in range(MAX_REDIRECTS + 1):
            status, answer_headers, raw = self._exchange(method, url, headers, body,
                                                         content_type, deadline)
            location = answer_headers.get("Location")
            if status not in _REDIRECTS or not location:
                return HttpResponse(status, raw.decode(_charset(answer_headers),
                                                       errors="replace"),
                                    answer_headers.get("Content-Type", ""))
            url = urljoin(url, location.strip())
            if status == 303 or (status in (301, 302) and method not in ("GET", "HEAD")):
                method, body, content_type = "GET", None, None
        raise HttpFailure(f"more than {MAX_REDIRECTS} redirects")

    def _target(self, url: str, deadline: _Deadline) -> tuple[str, str, int, str, str]:
        """Scheme, host, port, path with query, and the checked address to connect to."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise HttpFailure(f"bad URL {_redacted(url)}: {exc}") from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise HttpFailure(f"only http and https URLs are allowed, not {_redacted(url)}")
        host = parts.hostname
        if not host:
            raise HttpFailure(f"the URL {_redacted(url)} has no host")
        port = port or (443 if scheme == "https" else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return scheme, host, port, path, self._checked_address(host, port, deadline)

    def _resolve(self, host: str, port: int, deadline: _Deadline) -> list[str]:
        """The resolver's answer within the time left (a hung DNS lookup is a timeout)."""
        left = deadline.check(f"resolving {host}")
        future = _resolvers.submit(self.resolver, host, port)
        try:
            return future.result(timeout=left)
        except concurrent.futures.TimeoutError as exc:
            raise HttpFailure(f"resolving {host} timed out after {deadline.seconds:.1f}s",
                              timed_out=True) from exc

    def _checked_address(self, host: str, port: int, deadline: _Deadline) -> str:
        runtime = _runtime_api()
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            try:
                addresses = [ipaddress.ip_address(a.split("%", 1)[0])
                             for a in self._resolve(host, port, deadline)]
            except (OSError, UnicodeError, ValueError) as exc:
                raise HttpFailure(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise HttpFailure(f"{host} resolves to no address")
        for ip in addresses:
            if runtime is not None and port == runtime[1] and (
                    str(ip) == runtime[0] or host == runtime[0]):
                raise BlockedAddress(f"{host}:{port} is the Lambda runtime API")
            reason = blocked_reason(ip, allow_loopback=self.allow_loopback)
            if reason is not None:
                shown = host if str(ip) == host else f"{host} ({ip})"
                raise BlockedAddress(f"{shown} is a {reason} address, which flows may "
                                     "not reach")
        return str(addresses[0])

    def _exchange(self, method: str, url: str, headers: Mapping[str, str],
                  body: bytes | None, content_type: str | None,
                  deadline: _Deadline) -> tuple[int, Message, bytes]:
        scheme, host, port, path, ip = self._target(url, deadline)
        left = deadline.check(f"{method} {_redacted(url)}")
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = _PinnedHTTPSConnection(host, port, ip, left, self._context())
        else:
            connection = _PinnedHTTPConnection(host, port, ip, left)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            connection.putheader("User-Agent", self.user_agent)
            for name, value in headers.items():
                connection.putheader(name, value)
            if body is not None:
                if content_type:
                    connection.putheader("Content-Type", content_type)
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            answer = connection.getresponse()
            return answer.status, answer.msg, self._read(answer, deadline, url)
        except HttpFailure:
            raise
        except TimeoutError as exc:
            raise HttpFailure(f"{method} {_redacted(url)} timed out after "
                              f"{deadline.seconds:.1f}s", timed_out=True) from exc
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise HttpFailure(f"{method} {_redacted(url)} failed: {exc}") from exc
        finally:
            connection.close()

    def _read(self, answer: http.client.HTTPResponse, deadline: _Deadline,
              url: str) -> bytes:
        declared = answer.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise HttpFailure(f"the response of {_redacted(url)} is {declared} bytes, over "
                              f"the {self.max_bytes}-byte cap")
        chunks: list[bytes] = []
        size = 0
        while True:
            deadline.check(f"reading {_redacted(url)}")
            chunk = answer.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise HttpFailure(f"the response of {_redacted(url)} is over the "
                                  f"{self.max_bytes}-byte cap")
            chunks.append(chunk)

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:
            with _tls_lock:
                if self._tls is None:
                    self._tls = ssl.create_default_context()
        return self._tls


_tls_lock = threading.Lock()
# DNS lookups run here so that one that hangs cannot outlast the request's budget.
_resolvers = concurrent.futures.ThreadPoolExecutor(max_workers=4,
                                                   thread_name_prefix="flow-dns")


def _redacted(url: str) -> str:
    """The URL without credentials or query (which may carry secrets), for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<bad URL>"
    return f"{parts.scheme}://{host}{port}{parts.path}"
