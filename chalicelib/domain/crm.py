"""The CRM: contacts and their interactions, and the timings derived from them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def contact_id_for(tenant_id: str, phone: str) -> str:
    """A stable contact id from the tenant and E.164 number, so upserts need no lookup."""
    digest = hashlib.sha256(f"{tenant_id}|{phone}".encode()).hexdigest()[:20]
    return "ct_" + digest


@dataclass(frozen=True)
class Contact:
    tenant_id: str
    contact_id: str
    phone: str
    name: str | None = None
    email: str | None = None
    notes: str | None = None
    created_at: float = 0.0
    last_seen_at: float = 0.0
    interaction_count: int = 0
    company: str | None = None
    tags: tuple[str, ...] = ()
    fields: dict[str, object] = field(default_factory=dict)  # the tenant's custom fields
    merged_into: str | None = None  # set on a contact merged away: its survivor
    merged_ids: tuple[str, ...] = ()  # on a survivor: every contact merged into it
    imported_by: str | None = None  # the import job that wrote it
    version: int = 0  # optimistic lock for edits that rewrite its search index


@dataclass(frozen=True)
class Interaction:
    tenant_id: str
    interaction_id: str
    contact_id: str
    contact_phone: str
    channel: str
    direction: str
    status: str
    started_at: float
    business_number: str | None = None
    queue: str | None = None
    task_id: str | None = None
    queued_at: float | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    ringing_at: float | None = None  # the agent's leg began to ring (the offer was accepted)
    duration_seconds: int | None = None
    agent_id: str | None = None
    outcome: str | None = None
    disposition: str | None = None
    notes: str | None = None
    wrapped_up_at: float | None = None
    recording_url: str | None = None
    transcription: str | None = None
    summary: str | None = None
    hold_count: int | None = None
    hold_seconds: float | None = None
    transfers: list[dict[str, object]] | None = None
    monitoring: list[dict[str, object]] | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def queue_wait_seconds(self) -> float | None:
        """Time from entering the queue to an agent answering (or to leaving it unanswered)."""
        if self.queued_at is None:
            return None
        end = self.answered_at if self.answered_at is not None else self.ended_at
        return None if end is None else round(max(0.0, end - self.queued_at), 3)

    @property
    def final_outcome(self) -> str | None:
        """The outcome a queue decided (voicemail, callback, abandoned), or else the one
        the carrier's final status implies, once the call has ended."""
        if self.outcome:
            return self.outcome
        if self.ended_at is None:
            return None
        return outcome_for_final_status(self.status, answered=self.answered_at is not None,
                                        queued=self.queued_at is not None)

    @property
    def ivr_seconds(self) -> float | None:
        """Time in the IVR: from the call's start to entering the queue."""
        if self.queued_at is None:
            return None
        return round(max(0.0, self.queued_at - self.started_at), 3)

    @property
    def ring_seconds(self) -> float | None:
        """The agent's leg ringing until they answered (part of the queue wait, which runs
        until answer, as Amazon Connect's queue answer time does)."""
        if self.ringing_at is None or self.answered_at is None:
            return None
        return round(max(0.0, self.answered_at - self.ringing_at), 3)

    @property
    def wrapup_seconds(self) -> float | None:
        if self.wrapped_up_at is None or self.ended_at is None:
            return None
        return round(max(0.0, self.wrapped_up_at - self.ended_at), 3)

    @property
    def talk_seconds(self) -> float | None:
        if self.answered_at is None or self.ended_at is None:
            return None
        return round(max(0.0, self.ended_at - self.answered_at), 3)

    @property
    def handle_seconds(self) -> float | None:
        """Answer to the end of wrap-up (or of the call): talk, hold included, and wrap-up."""
        if self.answered_at is None:
            return None
        end = self.wrapped_up_at or self.ended_at
        return None if end is None else round(max(0.0, end - self.answered_at), 3)

    def to_public(self) -> dict[str, object]:
        """The API's view of the interaction."""
        return {
            "id": self.interaction_id,
            "contact_id": self.contact_id,
            "phone": self.contact_phone,
            "channel": self.channel,
            "direction": self.direction,
            "status": self.status,
            "outcome": self.final_outcome,
            "business_number": self.business_number,
            "started_at": self.started_at,
            "queue": self.queue,
            "task_id": self.task_id,
            "queued_at": self.queued_at,
            "answered_at": self.answered_at,
            "ended_at": self.ended_at,
            "duration_seconds": self.duration_seconds,
            "ivr_seconds": self.ivr_seconds,
            "queue_wait_seconds": self.queue_wait_seconds,
            "ring_seconds": self.ring_seconds,
            "talk_seconds": self.talk_seconds,
            "wrapup_seconds": self.wrapup_seconds,
            "agent_id": self.agent_id,
            "disposition": self.disposition,
            "notes": self.notes,
            "wrapped_up_at": self.wrapped_up_at,
            "recording_url": self.recording_url,
            "transcription": self.transcription,
            "summary": self.summary,
            "hold_count": int(self.hold_count or 0),
            "hold_seconds": float(self.hold_seconds or 0.0),
            "handle_seconds": self.handle_seconds,
            "transfers": list(self.transfers or []),
            "monitoring": list(self.monitoring or []),
        }


def outcome_for_final_status(call_status: str, answered: bool, queued: bool) -> str:
    """Map Twilio's final CallStatus plus what happened in queue to an outcome."""
    if call_status == "completed":
        if answered:
            return "completed"
        return "abandoned" if queued else "completed"
    if call_status in ("busy", "no-answer", "failed", "canceled"):
        return call_status
    return "completed"
