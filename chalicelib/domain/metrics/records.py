"""What a metric needs to know about an interaction, an agent's time and a queue's settings.

Pure data: the adapters translate stored interactions and agent activity into these records,
and every metric in this package is a function of them. Times are epoch seconds (UTC);
durations are seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.errors import InvalidInput


class Outcome(StrEnum):
    ANSWERED = "answered"
    ABANDONED_IVR = "abandoned-ivr"      # hung up before reaching a queue
    ABANDONED_QUEUE = "abandoned-queue"  # hung up while waiting in the queue
    CALLBACK = "callback"                # left the queue asking to be called back
    VOICEMAIL = "voicemail"              # left the queue to leave a message
    TRANSFERRED = "transferred"          # answered by an agent, then transferred


ANSWERED_OUTCOMES = frozenset({Outcome.ANSWERED, Outcome.TRANSFERRED})
# Left the queue without reaching an agent (the customer's own choice or patience).
UNANSWERED_EXITS = frozenset({Outcome.ABANDONED_QUEUE, Outcome.CALLBACK, Outcome.VOICEMAIL})


@dataclass(frozen=True)
class InteractionRecord:
    """One contact as the metrics see it.

    ``offered_at`` is when the contact entered the queue (for an IVR abandon, when the
    call started): it decides the interval the contact is counted in, as Amazon Connect
    counts queue metrics by the enqueue timestamp. ``wait_seconds`` is the time in the
    queue until an agent answered or the customer left it.
    """

    interaction_id: str
    channel: str
    queue: str | None
    agent: str | None
    contact_key: str
    offered_at: float
    outcome: Outcome
    answered_at: float | None = None
    ended_at: float | None = None
    wait_seconds: float = 0.0
    ring_seconds: float = 0.0
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0
    wrapup_seconds: float = 0.0
    disposition: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        for name in ("wait_seconds", "ring_seconds", "talk_seconds", "hold_seconds",
                     "wrapup_seconds"):
            if getattr(self, name) < 0:
                raise InvalidInput(f"{name} must not be negative", path=name)
        if self.outcome in ANSWERED_OUTCOMES and self.answered_at is None:
            raise InvalidInput(f"an interaction with outcome {self.outcome} needs answered_at",
                               path="answered_at")

    @property
    def answered(self) -> bool:
        return self.outcome in ANSWERED_OUTCOMES

    @property
    def handle_seconds(self) -> float:
        """Talk plus hold plus wrap-up: the agent's time on this contact."""
        return self.talk_seconds + self.hold_seconds + self.wrapup_seconds


class AgentState(StrEnum):
    AVAILABLE = "available"  # staffed and idle
    BUSY = "busy"            # on a contact (talking or holding)
    WRAPUP = "wrapup"        # after-contact work
    UNAVAILABLE = "unavailable"  # break, away, offline: not staffed


STAFFED_STATES = frozenset({AgentState.AVAILABLE, AgentState.BUSY, AgentState.WRAPUP})
HANDLING_STATES = frozenset({AgentState.BUSY, AgentState.WRAPUP})


@dataclass(frozen=True)
class AgentStateInterval:
    """An agent was in ``state`` from ``start`` to ``end`` (epoch seconds)."""

    agent: str
    state: AgentState
    start: float
    end: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", AgentState(self.state))
        if self.end < self.start:
            raise InvalidInput("an agent state interval cannot end before it starts",
                               path="end")


@dataclass(frozen=True)
class SlFormula:
    """How a queue's service level treats contacts that left the queue without an agent.

    ``exits_within_threshold_meet``: an abandon (or callback/voicemail request) within the
    threshold counts as meeting the service level (Amazon Connect's "Service level X":
    contacts *removed from the queue* within X). ``abandons_in_denominator``: abandons,
    callbacks and voicemails count in the denominator (Flex and Connect both do; off means
    "answered within threshold / answered").
    """

    name: str
    exits_within_threshold_meet: bool
    abandons_in_denominator: bool


FLEX = SlFormula("flex", exits_within_threshold_meet=False, abandons_in_denominator=True)
CONNECT = SlFormula("connect", exits_within_threshold_meet=True, abandons_in_denominator=True)
ANSWERED_ONLY = SlFormula("answered-only", exits_within_threshold_meet=False,
                          abandons_in_denominator=False)
SL_FORMULAS = {f.name: f for f in (FLEX, CONNECT, ANSWERED_ONLY)}


def sl_formula(name: str) -> SlFormula:
    try:
        return SL_FORMULAS[name]
    except KeyError:
        raise InvalidInput(f"sl_formula must be one of {', '.join(SL_FORMULAS)}",
                           path="sl_formula") from None


@dataclass(frozen=True)
class QueueSettings:
    """A queue's per-queue metric settings. Defaults: 80 % within 20 s, 5 s short abandons."""

    sl_threshold_seconds: float = 20.0
    sl_target: float = 0.8
    short_abandon_seconds: float = 5.0
    formula: SlFormula = FLEX

    def __post_init__(self) -> None:
        if self.sl_threshold_seconds < 0:
            raise InvalidInput("sl_threshold_seconds must not be negative",
                               path="sl_threshold_seconds")
        if not 0.0 <= self.sl_target <= 1.0:
            raise InvalidInput("sl_target must be between 0 and 1", path="sl_target")
        if self.short_abandon_seconds < 0:
            raise InvalidInput("short_abandon_seconds must not be negative",
                               path="short_abandon_seconds")


DEFAULT_SETTINGS = QueueSettings()
DEFAULT_FCR_WINDOW_SECONDS = 7 * 24 * 3600.0


class SettingsByQueue:
    """Each queue's settings, with a default for queues not listed."""

    def __init__(self, per_queue: dict[str, QueueSettings] | None = None,
                 default: QueueSettings = DEFAULT_SETTINGS) -> None:
        self.per_queue = dict(per_queue or {})
        self.default = default

    def __call__(self, queue: str | None) -> QueueSettings:
        if queue is None:
            return self.default
        return self.per_queue.get(queue, self.default)


def to_ms(seconds: float) -> int:
    """Durations are summed as whole milliseconds so that sums are exact in any order."""
    return round(seconds * 1000)
