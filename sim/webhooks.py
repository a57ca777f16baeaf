"""Signed webhook requests, as Twilio sends them.

POST bodies are form-encoded and signed over URL + sorted params; GET requests carry the
params in the query string and are signed over the full URL. The signature comes from
twilio's own RequestValidator, with the auth token of the account that owns the resource.
"""

from __future__ import annotations

import collections
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from twilio.request_validator import RequestValidator

log = logging.getLogger("sim.webhooks")

USER_AGENT = "TwilioProxy/1.1"


@dataclass
class HookResult:
    url: str
    method: str
    status: int | None  # None when no HTTP answer came back
    body: str
    content_type: str
    error_code: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signed_request_args(
    url: str, method: str, params: dict[str, str], auth_token: str
) -> tuple[str, dict[str, str], dict[str, str] | None]:
    """(url to request, headers, form body) for one signed webhook."""
    validator = RequestValidator(auth_token)
    headers = {"User-Agent": USER_AGENT, "I-Twilio-Idempotency-Token": str(uuid.uuid4())}
    if method.upper() == "GET":
        full = url + ("&" if "?" in url else "?") + urlencode(params) if params else url
        headers["X-Twilio-Signature"] = validator.compute_signature(full, {})
        return full, headers, None
    headers["X-Twilio-Signature"] = validator.compute_signature(url, params)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return url, headers, params


class WebhookClient:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._dispatcher = OrderedDispatcher()

    def request(
        self, url: str, method: str, params: dict[str, str], auth_token: str
    ) -> HookResult:
        method = (method or "POST").upper()
        if method not in ("GET", "POST"):
            method = "POST"
        target, headers, body = signed_request_args(url, method, params, auth_token)
        try:
            response = requests.request(
                method, target, data=body, headers=headers, timeout=self.timeout,
                allow_redirects=True,
            )
        except requests.Timeout as exc:
            return HookResult(url, method, None, "", "", 11205, f"timed out: {exc}")
        except requests.RequestException as exc:
            return HookResult(url, method, None, "", "", 11205, f"connection failed: {exc}")
        result = HookResult(
            url, method, response.status_code, response.text,
            response.headers.get("Content-Type", ""),
        )
        if not result.ok:
            result.error_code = 11200
            result.error = f"HTTP {response.status_code}"
        return result

    def send_later(
        self, key: str, url: str, method: str, params: dict[str, str], auth_token: str,
        on_done: Callable[[HookResult], None] | None = None,
    ) -> None:
        """Fire-and-forget (status callbacks): in order per key, off the caller's thread."""

        def send() -> None:
            result = self.request(url, method, params, auth_token)
            if not result.ok:
                log.warning("callback %s %s failed: %s", method, url, result.error)
            if on_done is not None:
                on_done(result)

        self._dispatcher.submit(key, send)

    def drain(self, timeout: float = 5.0) -> bool:
        return self._dispatcher.drain(timeout)


class OrderedDispatcher:
    """Runs jobs in submission order per key; different keys run in parallel."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._queues: dict[str, collections.deque[Callable[[], None]]] = {}

    def submit(self, key: str, job: Callable[[], None]) -> None:
        with self._lock:
            pending = self._queues.get(key)
            if pending is not None:
                pending.append(job)
                return
            self._queues[key] = collections.deque([job])
        threading.Thread(target=self._drain_key, args=(key,), daemon=True,
                         name=f"callbacks-{key[:10]}").start()

    def _drain_key(self, key: str) -> None:
        while True:
            with self._lock:
                pending = self._queues[key]
                if not pending:
                    del self._queues[key]
                    self._lock.notify_all()
                    return
                job = pending.popleft()
            try:
                job()
            except Exception:  # a callback job must never kill the dispatcher
                log.exception("callback job for %s failed", key)

    def drain(self, timeout: float) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: not self._queues, timeout)
