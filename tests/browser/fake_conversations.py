"""Issue 9's conversation routes for page tests, on top of the fake API: in-memory
threads answering `GET`/`POST api/tasks/{id}/messages` as the wave-2 contract shapes them,
with customer messages, delivery statuses and refusals set by the test."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.browser.fake_api import FakeApi, Received, Reply


@dataclass
class FakeThread:
    task_id: str
    channel: str
    contact: dict[str, Any]
    messages: list[dict[str, Any]] = field(default_factory=list)
    earlier: list[dict[str, Any]] = field(default_factory=list)
    refusal: Reply | None = None  # what POST answers instead of sending, when set


class FakeConversations:
    """Issue 9's conversation routes over in-memory threads, as the contract shapes them
    (/work/team/wave2-contract.md): GET and POST `api/tasks/{id}/messages`."""

    def __init__(self, api: FakeApi) -> None:
        self.api = api
        self.threads: dict[str, FakeThread] = {}
        self.ids = itertools.count(1)
        self.lock = threading.Lock()

    def message(self, direction: str, body: str, *, status: str | None = None,
                media: list[dict[str, str]] | None = None, author: dict[str, Any] | None = None,
                error: dict[str, Any] | None = None, at: float | None = None) -> dict[str, Any]:
        kind = "customer" if direction == "inbound" else "agent"
        return {"message_id": f"SM{next(self.ids):04d}", "direction": direction,
                "author": author or {"kind": kind, **({"name": "Alex Agent"} if kind == "agent"
                                                      else {})},
                "body": body, "media": media or [],
                "status": status or ("received" if direction == "inbound" else "queued"),
                "error": error, "created_at": at or time.time()}

    def thread(self, task_id: str, channel: str, contact: dict[str, Any],
               messages: list[dict[str, Any]] | None = None,
               earlier: list[dict[str, Any]] | None = None) -> FakeThread:
        made = FakeThread(task_id, channel, contact, list(messages or []), list(earlier or []))
        with self.lock:
            self.threads[task_id] = made
        self.api.handle("GET", f"api/tasks/{task_id}/messages", lambda _r: self._get(task_id))
        self.api.handle("POST", f"api/tasks/{task_id}/messages", lambda r: self._post(task_id, r))
        return made

    def inbound(self, task_id: str, body: str, **kwargs: Any) -> dict[str, Any]:
        made = self.message("inbound", body, **kwargs)
        with self.lock:
            self.threads[task_id].messages.append(made)
        return made

    def set_status(self, task_id: str, message_id: str, status: str,
                   error: dict[str, Any] | None = None) -> None:
        with self.lock:
            for message in self.threads[task_id].messages:
                if message["message_id"] == message_id:
                    message["status"] = status
                    message["error"] = error

    def refuse(self, task_id: str, status: int, payload: dict[str, Any]) -> None:
        with self.lock:
            self.threads[task_id].refusal = (status, payload)

    def count(self, task_id: str) -> int:
        with self.lock:
            return len(self.threads[task_id].messages)

    def _get(self, task_id: str) -> Reply:
        with self.lock:
            found = self.threads[task_id]
            return 200, json.loads(json.dumps({
                "conversation_id": f"CV_{task_id}", "channel": found.channel,
                "contact": found.contact, "messages": found.messages,
                "earlier": found.earlier}))

    def _post(self, task_id: str, request: Received) -> Reply:
        body = str((request.body or {}).get("body") or "")
        with self.lock:
            found = self.threads[task_id]
            if found.refusal is not None:
                return found.refusal
        if not body.strip() or len(body) > 1600:
            return 400, {"error": "invalid_input", "path": "body",
                         "message": "body must be 1 to 1600 characters"}
        made = self.message("outbound", body)
        with self.lock:
            found.messages.append(made)
        return 200, {"message": made}
