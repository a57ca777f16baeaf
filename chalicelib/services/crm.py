"""CRM use cases: every interaction recorded, with its timings, agent and wrap-up."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.crm import Contact, Interaction, contact_id_for
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.phone import to_e164


class CrmStore(Protocol):
    def touch_contact(self, tenant_id: str, phone: str, at: float) -> Contact: ...
    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...
    def update_contact(self, tenant_id: str, contact_id: str,
                       changes: dict[str, str]) -> Contact: ...
    def create_interaction(self, interaction: Interaction) -> bool: ...
    def update_interaction(self, tenant_id: str, interaction_id: str, changes: dict[str, Any],
                           only_if_absent: tuple[str, ...] = (),
                           unless_ended: bool = False) -> Interaction: ...
    def get_interaction(self, tenant_id: str, interaction_id: str) -> Interaction | None: ...
    def append_interaction(self, tenant_id: str, interaction_id: str, name: str,
                           entry: dict[str, Any]) -> None: ...
    def list_for_contact(self, tenant_id: str, contact_id: str,
                         limit: int = 50) -> list[Interaction]: ...


DISPOSITION_MAX = 64
NOTES_MAX = 4000


class MetricsSink(Protocol):
    """Write-time aggregation (services/reports/recorder.py): idempotent per interaction."""

    def settle(self, tenant_id: str, interaction: Interaction | None) -> bool: ...
    def agent_time(self, tenant_id: str, agent_id: str, activity: str, start: float,
                   end: float) -> bool: ...


class CrmEventSink(Protocol):
    """Outgoing webhooks (services/integrations/events.py): never raises."""

    def interaction_changed(self, interaction: Interaction) -> None: ...
    def contact_seen(self, interaction: Interaction) -> None: ...


class CrmService:
    def __init__(self, store: CrmStore, clock: Callable[[], float] = time.time,
                 metrics: MetricsSink | None = None,
                 events: CrmEventSink | None = None) -> None:
        self.store = store
        self.clock = clock
        self.metrics = metrics
        self.events = events

    # --- metrics (REPORTS) ----------------------------------------------------------
    def _settled(self, tenant_id: str, interaction: Interaction) -> Interaction:
        if self.metrics is not None:
            self.metrics.settle(tenant_id, interaction)
        if self.events is not None:
            self.events.interaction_changed(interaction)
        return interaction

    def contact_seen(self, interaction: Interaction) -> None:
        """A webhook recorded a new interaction and touched its contact (contact.created)."""
        if self.events is not None:
            self.events.contact_seen(interaction)

    def settle(self, tenant_id: str, interaction_id: str) -> bool:
        """Count the interaction in the reports if it has finished (once, however often
        this runs): after the carrier's final status, which is written in a transaction."""
        if self.metrics is None and self.events is None:
            return False
        interaction = self.store.get_interaction(tenant_id, interaction_id)
        if self.events is not None and interaction is not None:
            self.events.interaction_changed(interaction)
        return self.metrics.settle(tenant_id, interaction) if self.metrics else False

    def record_agent_time(self, tenant_id: str, agent_id: str, activity: str, start: float,
                          end: float) -> None:
        """An agent left ``activity`` held since ``start`` (occupancy's staffed time)."""
        if self.metrics is not None:
            self.metrics.agent_time(tenant_id, agent_id, activity, start, end)

    # --- reading --------------------------------------------------------------------
    def find_contact(self, tenant_id: str, phone: str) -> Contact:
        number = to_e164(phone)
        contact = self.store.get_contact(tenant_id, contact_id_for(tenant_id, number))
        if contact is None:
            raise NotFound("no contact with that number")
        return contact

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact:
        contact = self.store.get_contact(tenant_id, contact_id)
        if contact is None:
            raise NotFound(f"contact {contact_id} not found")
        return contact

    def interactions_of(self, tenant_id: str, contact_id: str) -> list[Interaction]:
        self.get_contact(tenant_id, contact_id)
        return self.store.list_for_contact(tenant_id, contact_id)

    def get_interaction(self, tenant_id: str, interaction_id: str) -> Interaction:
        found = self.store.get_interaction(tenant_id, interaction_id)
        if found is None:
            raise NotFound(f"interaction {interaction_id} not found")
        return found

    def update_contact(self, tenant_id: str, contact_id: str, body: dict[str, Any]) -> Contact:
        allowed = {"name", "email", "notes"}
        changes = {k: str(v)[:NOTES_MAX] for k, v in body.items() if k in allowed and v is not None}
        unknown = set(body) - allowed
        if unknown:
            names = sorted(unknown)
            raise InvalidInput(f"unknown fields: {', '.join(names)}", path=names[0])
        if not changes:
            raise InvalidInput("nothing to update: send name, email or notes")
        return self.store.update_contact(tenant_id, contact_id, changes)

    # --- recording ------------------------------------------------------------------
    def new_interaction(self, tenant_id: str, interaction_id: str, contact_phone: str,
                        business_number: str | None, channel: str, direction: str,
                        at: float | None = None) -> Interaction:
        """The interaction as first recorded (the caller decides how to write it).
        WhatsApp and SMS from one person are one contact: the E.164 number without the
        ``whatsapp:`` prefix (the channel says which)."""
        contact_phone = contact_phone.removeprefix("whatsapp:")
        return Interaction(
            tenant_id=tenant_id, interaction_id=interaction_id,
            contact_id=contact_id_for(tenant_id, contact_phone), contact_phone=contact_phone,
            channel=channel, direction=direction, status="in-progress",
            started_at=self.clock() if at is None else at, business_number=business_number,
        )

    def record_started(self, tenant_id: str, interaction_id: str, contact_phone: str,
                       business_number: str | None, channel: str, direction: str) -> Interaction:
        """Record a new interaction and its contact, once per interaction id."""
        interaction = self.new_interaction(tenant_id, interaction_id, contact_phone,
                                           business_number, channel, direction)
        if self.store.create_interaction(interaction):
            self.store.touch_contact(tenant_id, interaction.contact_phone, interaction.started_at)
            self.contact_seen(interaction)
        return interaction

    def record_queued(self, tenant_id: str, interaction_id: str, queue: str,
                      task_id: str) -> Interaction:
        return self.store.update_interaction(
            tenant_id, interaction_id,
            {"queue": queue, "task_id": task_id, "queued_at": self.clock(), "status": "queued"},
            only_if_absent=("queued_at",))

    def record_ringing(self, tenant_id: str, interaction_id: str) -> Interaction:
        """The agent accepted and their leg is ringing (the first ring counts)."""
        try:
            return self.store.update_interaction(
                tenant_id, interaction_id, {"ringing_at": self.clock()},
                only_if_absent=("ringing_at",), unless_ended=True)
        except Conflict:
            return self.get_interaction(tenant_id, interaction_id)

    def record_answered(self, tenant_id: str, interaction_id: str, agent_id: str) -> Interaction:
        """The agent is connected. If the caller already hung up (the carrier's final
        status came first), the call stays as it ended: abandoned, with no talk time."""
        try:
            return self.store.update_interaction(
                tenant_id, interaction_id,
                {"agent_id": agent_id, "answered_at": self.clock(), "status": "in-progress"},
                only_if_absent=("answered_at", "agent_id"), unless_ended=True)
        except Conflict:
            return self.get_interaction(tenant_id, interaction_id)

    def record_ended(self, tenant_id: str, interaction_id: str, call_status: str,
                     duration_seconds: int | None) -> Interaction:
        """The carrier's final status for the call: one write, no read (the outcome is
        derived from it when the interaction is read)."""
        changes: dict[str, Any] = {"status": call_status, "ended_at": self.clock()}
        if duration_seconds is not None:
            changes["duration_seconds"] = int(duration_seconds)
        return self._settled(tenant_id, self.store.update_interaction(
            tenant_id, interaction_id, changes, only_if_absent=("ended_at",)))

    def record_outcome(self, tenant_id: str, interaction_id: str, outcome: str,
                       **details: Any) -> Interaction:
        """A queue outcome decided before the call ends: abandoned, voicemail, callback."""
        return self._settled(tenant_id, self.store.update_interaction(
            tenant_id, interaction_id, {"outcome": outcome, **details}))

    def record_wrapup(self, tenant_id: str, interaction_id: str, agent_id: str,
                      disposition: str, notes: str) -> Interaction:
        disposition = (disposition or "").strip()
        if not disposition:
            raise InvalidInput("disposition is required", path="disposition")
        if len(disposition) > DISPOSITION_MAX:
            raise InvalidInput(f"disposition is longer than {DISPOSITION_MAX} characters",
                               path="disposition")
        if len(notes or "") > NOTES_MAX:
            raise InvalidInput(f"notes are longer than {NOTES_MAX} characters", path="notes")
        return self._settled(tenant_id, self.store.update_interaction(
            tenant_id, interaction_id,
            {"disposition": disposition, "notes": notes or None, "wrapped_up_at": self.clock(),
             "agent_id": agent_id},
            only_if_absent=("agent_id", "wrapped_up_at")))  # the first wrap-up's time

    def record_wrapup_expired(self, tenant_id: str, interaction_id: str) -> Interaction:
        """The agent's wrap-up time ran out without a wrap-up: it ended now (kept only if
        no wrap-up was recorded), so the contact's handle time is known and it is counted."""
        return self._settled(tenant_id, self.store.update_interaction(
            tenant_id, interaction_id, {"wrapped_up_at": self.clock()},
            only_if_absent=("wrapped_up_at",)))

    # --- call control (holds, transfers, monitoring) ------------------------------
    def record_holds(self, tenant_id: str, interaction_id: str, count: int,
                     seconds: float) -> Interaction:
        """The call's holds so far: how many, and their total time."""
        return self.store.update_interaction(
            tenant_id, interaction_id, {"hold_count": int(count),
                                        "hold_seconds": round(float(seconds), 3)})

    def record_transfer(self, tenant_id: str, interaction_id: str, from_agent: str,
                        to: dict[str, str], kind: str, mode: str) -> None:
        self.store.append_interaction(tenant_id, interaction_id, "transfers", {
            "from": from_agent, "to": dict(to), "kind": kind, "mode": mode,
            "at": round(self.clock(), 3)})

    def record_monitoring(self, tenant_id: str, interaction_id: str, supervisor_id: str,
                          mode: str) -> None:
        self.store.append_interaction(tenant_id, interaction_id, "monitoring", {
            "supervisor_id": supervisor_id, "mode": mode, "at": round(self.clock(), 3)})
