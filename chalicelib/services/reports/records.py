"""From a CRM interaction to the record the metrics count (docs/metrics.md).

Where each moment comes from: ``started_at`` when the call's first webhook (or the first
message) arrived; ``queued_at`` when the flow put it in a queue; ``answered_at`` when an
agent's leg joined (or the agent accepted a message task); ``ended_at`` from the carrier's
final status callback; ``hold_seconds`` from the conference's hold events;
``wrapped_up_at`` from the desk's wrap-up; ``outcome`` when the queue decided (voicemail,
callback, abandoned); ``transfers`` from call control.
"""

from __future__ import annotations

from chalicelib.domain.crm import Interaction
from chalicelib.domain.metrics.records import InteractionRecord, Outcome

CALL_CHANNELS = frozenset({"voice"})
# The queue's own outcomes (services/routing) for callers who left without an agent.
LEFT_FOR = {"voicemail": Outcome.VOICEMAIL, "callback": Outcome.CALLBACK,
            "callback-requested": Outcome.CALLBACK}


def is_inbound_contact(interaction: Interaction) -> bool:
    """Queue metrics count inbound contacts; outbound and callback calls are the agents'
    work on an earlier contact, not new contacts."""
    return interaction.direction == "inbound"


def outcome_of(interaction: Interaction) -> Outcome | None:
    """The metric outcome once it is final, else None."""
    queued = interaction.queued_at is not None
    if interaction.answered_at is not None and interaction.agent_id:
        if interaction.wrapped_up_at is None:
            return None  # handle time still running (AHT includes wrap-up)
        if interaction.channel in CALL_CHANNELS and interaction.ended_at is None:
            return None  # a cold transfer: the first agent wrapped up, the call goes on
        return Outcome.TRANSFERRED if interaction.transfers else Outcome.ANSWERED
    if interaction.outcome in LEFT_FOR:
        return LEFT_FOR[interaction.outcome] if interaction.ended_at is not None else None
    if interaction.ended_at is None:
        return None
    return Outcome.ABANDONED_QUEUE if queued else Outcome.ABANDONED_IVR


def timings(interaction: Interaction) -> dict[str, float]:
    """Every duration of the interaction, in seconds (0 where it does not apply)."""
    started = interaction.started_at
    queued, answered = interaction.queued_at, interaction.answered_at
    ended, wrapped = interaction.ended_at, interaction.wrapped_up_at
    ivr_end = queued if queued is not None else ended
    hold = float(interaction.hold_seconds or 0.0)
    talk = 0.0
    wrapup = 0.0
    if answered is not None:
        talk_end = ended if ended is not None else wrapped
        talk = max(0.0, (talk_end or answered) - answered - hold)
        if wrapped is not None and ended is not None:
            wrapup = max(0.0, wrapped - ended)
    return {
        "ivr_seconds": max(0.0, (ivr_end or started) - started),
        "wait_seconds": float(interaction.queue_wait_seconds or 0.0),
        "talk_seconds": round(talk, 3),
        "hold_seconds": round(hold, 3),
        "wrapup_seconds": round(wrapup, 3),
    }


def record_of(interaction: Interaction) -> InteractionRecord | None:
    """The metrics record of a finished inbound interaction; None while it is still going
    (or for outbound work)."""
    if not is_inbound_contact(interaction):
        return None
    outcome = outcome_of(interaction)
    if outcome is None:
        return None
    t = timings(interaction)
    answered = outcome in (Outcome.ANSWERED, Outcome.TRANSFERRED)
    offered_at = (interaction.queued_at if interaction.queued_at is not None
                  else interaction.started_at)
    return InteractionRecord(
        interaction_id=interaction.interaction_id, channel=interaction.channel,
        queue=interaction.queue if interaction.queued_at is not None else None,
        agent=interaction.agent_id if answered else None,
        contact_key=interaction.contact_id, offered_at=float(offered_at), outcome=outcome,
        answered_at=interaction.answered_at if answered else None,
        ended_at=interaction.ended_at, wait_seconds=t["wait_seconds"],
        talk_seconds=t["talk_seconds"] if answered else 0.0,
        hold_seconds=t["hold_seconds"] if answered else 0.0,
        wrapup_seconds=t["wrapup_seconds"] if answered else 0.0,
        disposition=interaction.disposition)


def view(interaction: Interaction) -> dict[str, object]:
    """The drill-down row: the interaction with its metric outcome and timings."""
    record = record_of(interaction)
    return {**interaction.to_public(), **timings(interaction),
            "metric_outcome": None if record is None else record.outcome.value}
