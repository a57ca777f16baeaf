"""An effect outside DynamoDB (a Twilio REST call, an outbound SMS, a routing step that
follows a commit), recorded with its outcome so it happens at most once, and is retried
by the sweep rather than lost when the Lambda that owed it died.

States: pending (not attempted: safe to run) -> running (attempt under way until its
lease ends) -> done | failed | unknown (a running attempt whose Lambda died: whether the
carrier acted cannot be known, so an at-most-once effect is not tried again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PENDING = "pending"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class OutboxItem:
    key: str  # the event's idempotency key, '#', the effect's name within the event
    tenant_id: str
    kind: str  # names the executor: "carrier.send_message", "telephony.place_call", ...
    payload: dict[str, Any] = field(default_factory=dict)
    status: str = PENDING
    attempts: int = 0
    created_at: float = 0.0
    result: Any = None
    error: str | None = None
    due_at: float | None = None

    @property
    def event(self) -> str:
        return self.key.rsplit("#", 1)[0]
