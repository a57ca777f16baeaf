"""What a claimed Twilio webhook can meet: the outcomes of the exactly-once store.

The store (``adapters/dynamo/idempotency_repository``) raises these; the claim service
(``services/webhook_claim``) and the edge (``routes/twilio_edge``) act on them without
depending on the adapter.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.errors import Conflict

COMPLETED = "COMPLETED"
INPROGRESS = "INPROGRESS"


class AlreadyProcessed(Conflict):
    """This webhook was handled before; ``response`` is what was answered then."""

    def __init__(self, key: str, response: str | None) -> None:
        super().__init__(f"webhook {key} was already handled")
        self.response = response


class EventInProgress(Conflict):
    """Another delivery of this webhook holds a live claim and has not answered yet."""

    def __init__(self, key: str) -> None:
        super().__init__(f"webhook {key} is being handled by another delivery")


class StaleWrite(Conflict):
    """The step's own writes lost a race (another event moved the same execution)."""


@dataclass(frozen=True)
class StoredEvent:
    status: str
    response: str | None
    in_progress_until: float | None
