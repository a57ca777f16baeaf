"""The figures a report shows, from additive totals (raw records or merged aggregates)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Totals:
    """Additive sums, counts and one maximum: the content of an aggregate item.

    Every field but ``wait_max_ms`` merges by addition; ``wait_max_ms`` by maximum.
    Durations are whole milliseconds so that merged sums are exact.
    """

    offered: int = 0            # entered a queue, short abandons excluded
    answered: int = 0           # answered by an agent (transferred ones included)
    abandoned: int = 0          # hung up in the queue, short abandons excluded
    short_abandoned: int = 0    # hung up in the queue before the short-abandon threshold
    ivr_abandoned: int = 0      # hung up before reaching a queue (never offered)
    callbacks: int = 0          # left the queue asking for a callback
    voicemails: int = 0         # left the queue to leave a voicemail
    transfers: int = 0          # answered, then transferred
    answered_in_sl: int = 0     # answered with wait <= the queue's threshold
    exits_in_sl: int = 0        # abandon/callback/voicemail with wait <= the threshold
    sl_met: int = 0             # service-level numerator (queue's formula)
    sl_counted: int = 0         # service-level denominator (queue's formula)
    wait_answered_ms: int = 0   # sum of waits of answered contacts (ASA)
    wait_max_ms: int = 0        # longest wait of an offered contact
    talk_ms: int = 0
    hold_ms: int = 0
    wrapup_ms: int = 0
    fcr_eligible: int = 0       # answered contacts from a known customer
    fcr_repeat: int = 0         # ... of which the customer came back within the window
    staffed_ms: int = 0         # agents available, busy or in wrap-up
    handling_ms: int = 0        # agents busy or in wrap-up

    def merge(self, other: Totals) -> Totals:
        values = {f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        values["wait_max_ms"] = max(self.wait_max_ms, other.wait_max_ms)
        return Totals(**values)

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Totals:
        names = {f.name for f in fields(cls)}
        return cls(**{k: int(v) for k, v in data.items() if k in names})  # type: ignore[call-overload]


def merge_all(totals: list[Totals] | tuple[Totals, ...]) -> Totals:
    merged = Totals()
    for item in totals:
        merged = merged.merge(item)
    return merged


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class Summary:
    """The report's figures (the ``/api/reports/summary`` body). A ratio with nothing to
    divide by is ``None`` (shown as "—"), never 0 or 100 %."""

    offered: int
    answered: int
    abandoned: int
    short_abandoned: int
    ivr_abandoned: int
    callbacks: int
    voicemails: int
    transfers: int
    service_level: float | None
    abandon_rate: float | None
    asa_seconds: float | None
    aht_seconds: float | None
    longest_wait_seconds: float | None
    occupancy: float | None
    fcr: float | None

    @classmethod
    def of(cls, t: Totals) -> Summary:
        handle_ms = t.talk_ms + t.hold_ms + t.wrapup_ms
        asa = _ratio(t.wait_answered_ms, t.answered)
        aht = _ratio(handle_ms, t.answered)
        fcr = _ratio(t.fcr_eligible - t.fcr_repeat, t.fcr_eligible)
        return cls(
            offered=t.offered, answered=t.answered, abandoned=t.abandoned,
            short_abandoned=t.short_abandoned, ivr_abandoned=t.ivr_abandoned,
            callbacks=t.callbacks, voicemails=t.voicemails, transfers=t.transfers,
            service_level=_ratio(t.sl_met, t.sl_counted),
            abandon_rate=_ratio(t.abandoned, t.offered),
            asa_seconds=None if asa is None else asa / 1000,
            aht_seconds=None if aht is None else aht / 1000,
            longest_wait_seconds=t.wait_max_ms / 1000 if t.offered else None,
            occupancy=_ratio(t.handling_ms, t.staffed_ms),
            fcr=fcr,
        )

    def breaches(self, sl_target: float) -> bool:
        """The service level is below the queue's target (never with nothing offered)."""
        return self.service_level is not None and self.service_level < sl_target

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
