"""Metric definitions over raw interactions (see docs/metrics.md for each formula).

``classify`` says what one interaction adds to a report under its queue's settings; the
aggregates add exactly these contributions per interval, and ``summarize`` adds them over
a list of interactions directly. Short abandons (gone from the queue before the queue's
short-abandon threshold, default 5 s) are counted only as ``short_abandoned``: they are
excluded from offered, abandoned, the service level, the longest wait and FCR.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable

from chalicelib.domain.metrics.records import (
    HANDLING_STATES,
    STAFFED_STATES,
    UNANSWERED_EXITS,
    AgentStateInterval,
    InteractionRecord,
    Outcome,
    QueueSettings,
    to_ms,
)
from chalicelib.domain.metrics.summary import Summary, Totals, merge_all

SettingsFor = Callable[[str | None], QueueSettings]


def is_short_abandon(record: InteractionRecord, settings: QueueSettings) -> bool:
    return (record.outcome is Outcome.ABANDONED_QUEUE
            and record.wait_seconds < settings.short_abandon_seconds)


def classify(record: InteractionRecord, settings: QueueSettings,
             repeated: bool = False) -> Totals:
    """One interaction's contribution. ``repeated``: the same customer came back within
    the FCR window (see ``repeat_contacts``)."""
    if record.outcome is Outcome.ABANDONED_IVR:
        return Totals(ivr_abandoned=1)
    if is_short_abandon(record, settings):
        return Totals(short_abandoned=1)
    wait_ms = to_ms(record.wait_seconds)
    within = record.wait_seconds <= settings.sl_threshold_seconds
    formula = settings.formula
    answered = record.answered
    exits = record.outcome in UNANSWERED_EXITS
    met = (answered and within) or (exits and within and formula.exits_within_threshold_meet)
    counted = answered or formula.abandons_in_denominator
    return Totals(
        offered=1,
        answered=int(answered),
        abandoned=int(record.outcome is Outcome.ABANDONED_QUEUE),
        callbacks=int(record.outcome is Outcome.CALLBACK),
        voicemails=int(record.outcome is Outcome.VOICEMAIL),
        transfers=int(record.outcome is Outcome.TRANSFERRED),
        answered_in_sl=int(answered and within),
        exits_in_sl=int(exits and within),
        sl_met=int(met and counted),
        sl_counted=int(counted),
        wait_answered_ms=wait_ms if answered else 0,
        wait_max_ms=wait_ms,
        talk_ms=to_ms(record.talk_seconds) if answered else 0,
        hold_ms=to_ms(record.hold_seconds) if answered else 0,
        wrapup_ms=to_ms(record.wrapup_seconds) if answered else 0,
        fcr_eligible=int(answered and bool(record.contact_key)),
        fcr_repeat=int(answered and bool(record.contact_key) and repeated),
    )


def repeat_contacts(records: Iterable[InteractionRecord], window_seconds: float) -> set[str]:
    """Ids of the interactions after which the same customer (``contact_key``) made another
    contact, on any channel, within ``window_seconds`` of this one being offered. Their
    answered ones are not first-contact resolutions."""
    by_customer: dict[str, list[InteractionRecord]] = defaultdict(list)
    for record in records:
        if record.contact_key:
            by_customer[record.contact_key].append(record)
    repeated: set[str] = set()
    for contacts in by_customer.values():
        contacts.sort(key=lambda r: (r.offered_at, r.interaction_id))
        for earlier, later in itertools.pairwise(contacts):
            if 0 < later.offered_at - earlier.offered_at <= window_seconds:
                repeated.add(earlier.interaction_id)
    return repeated


def agent_time(intervals: Iterable[AgentStateInterval], start: float | None = None,
               end: float | None = None) -> Totals:
    """Staffed and handling time of agents, clipped to ``[start, end)`` if given."""
    staffed = handling = 0
    for interval in intervals:
        lo = to_ms(interval.start if start is None else max(start, interval.start))
        hi = to_ms(interval.end if end is None else min(end, interval.end))
        if hi <= lo:
            continue
        if interval.state in STAFFED_STATES:
            staffed += hi - lo
        if interval.state in HANDLING_STATES:
            handling += hi - lo
    return Totals(staffed_ms=staffed, handling_ms=handling)


def summarize(records: Iterable[InteractionRecord], settings_for: SettingsFor,
              repeated: set[str] | frozenset[str] = frozenset(),
              agent_intervals: Iterable[AgentStateInterval] = (),
              start: float | None = None, end: float | None = None) -> Summary:
    """The report's figures computed straight from interactions (no aggregates)."""
    parts = [classify(r, settings_for(r.queue), r.interaction_id in repeated)
             for r in records]
    parts.append(agent_time(agent_intervals, start, end))
    return Summary.of(merge_all(parts))
