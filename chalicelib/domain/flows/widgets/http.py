"""make-http-request and run-function: real outbound HTTP through the HttpPort.

Results land in ``widgets.<name>``: ``status_code``, ``body``, ``content_type`` and, when
the body is JSON, ``parsed``. A network error, a timeout or a non-2xx status takes the
failure event (``failed``, or ``fail`` for run-function). Each request's timeout is
capped by what is left of the step's HTTP budget, so a webhook never overruns it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.flows.runtime import Outcome, Run
from chalicelib.domain.flows.widgets.base import WidgetHandler

REQUEST_TIMEOUT_CAP = 10.0  # Studio's own limit for one request
MIN_USEFUL_SECONDS = 0.25
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _parameters(state: State, run: Run) -> list[tuple[str, str]]:
    raw = state.prop("parameters", [])
    pairs = []
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict) and entry.get("key"):
            pairs.append((str(entry["key"]), run.render(entry.get("value", ""), state)))
    return pairs


def _with_query(url: str, pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return url
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(pairs)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _parse(response: HttpResponse) -> Any:
    text = response.text.strip()
    if not text or not ("json" in response.content_type.lower() or text[:1] in "{["):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _call(state: State, run: Run, method: str, url: str, body: bytes | None,
          content_type: str | None, ok: str, failed: str) -> Outcome:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        run.set_widget(state.name, {"status_code": 0, "error": f"bad URL {url!r}"})
        return failed
    left = run.http_seconds_left()
    if left < MIN_USEFUL_SECONDS:
        run.set_widget(state.name, {"status_code": 0, "error": "HTTP time budget spent"})
        return failed
    try:
        response = run.http.request(method, url, headers={"Accept": "application/json"},
                                    body=body, content_type=content_type,
                                    timeout=min(REQUEST_TIMEOUT_CAP, left))
    except HttpFailure as exc:
        run.set_widget(state.name, {"status_code": 0, "error": exc.message,
                                    "timed_out": exc.timed_out})
        return failed
    values: dict[str, Any] = {"status_code": response.status, "body": response.text,
                              "content_type": response.content_type}
    parsed = _parse(response)
    if parsed is not None:
        values["parsed"] = parsed
    run.set_widget(state.name, values)
    return ok if 200 <= response.status < 300 else failed


def _make_request(state: State, run: Run) -> Outcome:
    method = run.prop(state, "method", "GET").strip().upper() or "GET"
    url = run.prop(state, "url").strip()
    content_type = run.prop(state, "content_type", f"{FORM};charset=utf-8").strip()
    pairs = _parameters(state, run)
    body: bytes | None = None
    if method in ("GET", "DELETE", "HEAD"):
        url = _with_query(url, pairs)
    elif JSON in content_type.lower():
        body = run.prop(state, "body").encode()
    elif pairs:
        body = urlencode(pairs).encode()
    else:
        body = run.prop(state, "body").encode()
    return _call(state, run, method, url, body, content_type if body is not None else None,
                 "success", "failed")


def _run_function(state: State, run: Run) -> Outcome:
    url = run.prop(state, "url").strip()
    pairs = _parameters(state, run)
    return _call(state, run, "POST", url, urlencode(pairs).encode(),
                 f"{FORM};charset=utf-8", "success", "fail")


HANDLERS = {
    "make-http-request": WidgetHandler(_make_request, events=("success", "failed"),
                                       required=("url", "method")),
    "run-function": WidgetHandler(_run_function, events=("success", "fail"),
                                  required=("url",)),
}
