"""Outbound HTTP for make-http-request and run-function, on urllib (no ``requests``).

Every request has a bounded timeout (the engine caps it by the webhook's budget), and
every failure, from DNS to a timeout, becomes ``HttpFailure``. Non-2xx answers are
responses, not failures: the widget decides what they mean. Bodies are read up to
``max_bytes`` so a huge answer cannot exhaust a Lambda's memory.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import Message

from chalicelib.domain.flows.ports import HttpFailure, HttpResponse

USER_AGENT = "Hotline-Flows/1.0"


def _charset(headers: Message) -> str:
    return headers.get_content_charset() or "utf-8"


class _NoRedirectToOtherSchemes(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class UrllibHttp:
    def __init__(self, max_bytes: int = 1_000_000, user_agent: str = USER_AGENT) -> None:
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self._opener = urllib.request.build_opener(_NoRedirectToOtherSchemes())

    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        if not url.lower().startswith(("http://", "https://")):
            raise HttpFailure(f"only http and https URLs are allowed, not {url!r}")
        request = urllib.request.Request(url, data=body, method=method.upper())
        request.add_header("User-Agent", self.user_agent)
        for name, value in headers.items():
            request.add_header(name, value)
        if content_type and body is not None:
            request.add_header("Content-Type", content_type)
        try:
            with self._opener.open(request, timeout=max(0.1, timeout)) as answer:
                raw = answer.read(self.max_bytes)
                return HttpResponse(answer.status, raw.decode(_charset(answer.headers),
                                                              errors="replace"),
                                    answer.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            raw = exc.read(self.max_bytes) if exc.fp is not None else b""
            return HttpResponse(exc.code, raw.decode(_charset(exc.headers), errors="replace"),
                                exc.headers.get("Content-Type", "") if exc.headers else "")
        except TimeoutError as exc:
            raise HttpFailure(f"{method} {url} timed out after {timeout:.1f}s",
                              timed_out=True) from exc
        except urllib.error.URLError as exc:
            timed_out = isinstance(exc.reason, TimeoutError)
            raise HttpFailure(f"{method} {url} failed: {exc.reason}",
                              timed_out=timed_out) from exc
        except (OSError, ValueError) as exc:
            raise HttpFailure(f"{method} {url} failed: {exc}") from exc
