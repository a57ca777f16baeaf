"""The outbound HTTP port the engine uses for make-http-request and run-function."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class HttpResponse:
    status: int
    text: str
    content_type: str = ""


class HttpFailure(Exception):
    """The request did not complete: network error, refused, or timed out."""

    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out


class HttpPort(Protocol):
    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        """Send one request; raise HttpFailure on network error or timeout."""
        ...
