"""The router's nouns: tasks, reservations, agents and queues (TaskRouter's semantics).

Every object is immutable; the transitions in ``lifecycle.py`` return new ones. Each
carries ``version``, the version it was read at: the repository writes version + 1 on
the condition that the stored version is still this one (optimistic concurrency).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import Conflict, NotFound

CHANNELS = ("voice", "sms", "chat", "voicemail")
DEFAULT_CAPACITY = {"voice": 1, "sms": 3, "chat": 3, "voicemail": 1}
MAX_CAPACITY = 50


class TaskStatus(StrEnum):
    PENDING = "pending"
    RESERVED = "reserved"
    ASSIGNED = "assigned"
    WRAPPING = "wrapping"
    COMPLETED = "completed"
    CANCELED = "canceled"


ACTIVE_STATUSES = frozenset({TaskStatus.PENDING, TaskStatus.RESERVED, TaskStatus.ASSIGNED,
                             TaskStatus.WRAPPING})
WAITING_STATUSES = frozenset({TaskStatus.PENDING, TaskStatus.RESERVED})


class ReservationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TIMEOUT = "timeout"
    RESCINDED = "rescinded"
    CANCELED = "canceled"


class Activity(StrEnum):
    AVAILABLE = "available"
    BREAK = "break"
    OFFLINE = "offline"
    AWAY = "away"  # set by the router after too many missed offers in a row


SETTABLE_ACTIVITIES = frozenset({Activity.AVAILABLE, Activity.BREAK, Activity.OFFLINE})


class Tier(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"


class Strategy(StrEnum):
    LONGEST_IDLE = "longest-idle"
    ROUND_ROBIN = "round-robin"
    FEWEST_CONTACTS = "fewest-contacts-today"
    RING_ALL = "ring-all"


class TaskKind(StrEnum):
    CALL = "call"            # a live caller waiting in a Twilio queue
    CALLBACK = "callback"    # a caller who asked to be called back, keeping their place
    VOICEMAIL = "voicemail"  # a recorded message for an agent to hear
    MESSAGE = "message"      # an SMS or chat conversation


class StaleState(Conflict):
    """A conditional write found an item changed since it was read; ``stale`` names them."""

    def __init__(self, message: str, stale: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.stale = stale


_RESERVATION_ID = re.compile(r"^WR([0-9a-f]{32})(\d{2,4})$")


def task_id_for(tenant_id: str, key: str) -> str:
    """A stable task id for an idempotency key (a CallSid): retries find the same task."""
    return "TK" + hashlib.sha256(f"{tenant_id}|{key}".encode()).hexdigest()[:32]


def new_task_id() -> str:
    return "TK" + uuid.uuid4().hex


def reservation_id_for(task_id: str, sequence: int) -> str:
    return f"WR{task_id[2:]}{sequence:02d}"


def task_of_reservation(reservation_id: str) -> str:
    """The task a reservation belongs to (a reservation id embeds its task's id)."""
    found = _RESERVATION_ID.match(reservation_id or "")
    if not found:
        raise NotFound(f"reservation {reservation_id} not found")
    return "TK" + found.group(1)


@dataclass(frozen=True)
class Reservation:
    reservation_id: str
    agent_id: str
    status: ReservationStatus
    created_at: float
    expires_at: float
    via: str = "desktop"  # "desktop" (browser client) or "mobile" (PSTN with a whisper)
    call_sid: str | None = None
    ended_at: float | None = None

    @property
    def is_pending(self) -> bool:
        return self.status is ReservationStatus.PENDING


@dataclass(frozen=True)
class Target:
    """One step of a workflow filter: a queue, who may serve it there, and for how long."""

    queue: str
    expression: str = ""
    priority: int | None = None
    timeout: int | None = None


@dataclass(frozen=True)
class Task:
    tenant_id: str
    task_id: str
    channel: str
    kind: TaskKind
    status: TaskStatus
    queue: str
    entry_queue: str
    priority: int
    enqueued_at: float
    targets: tuple[Target, ...] = ()
    target_index: int = 0
    target_entered_at: float = 0.0
    base_priority: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    call_sid: str | None = None
    interaction_id: str | None = None
    caller: str | None = None
    business_number: str | None = None
    reservations: tuple[Reservation, ...] = ()
    assigned_agent: str | None = None
    assigned_at: float | None = None
    connected_at: float | None = None
    ended_at: float | None = None
    wrapup_until: float | None = None
    completed_at: float | None = None
    outcome: str | None = None       # why it was canceled, or "callback-requested" etc.
    leave_reason: str | None = None  # "callback" or "voicemail": why the caller left the queue
    declined: dict[str, float] = field(default_factory=dict)  # agent id -> when
    not_before: float | None = None
    attempts: int = 0
    max_wait_seconds: int | None = None
    overflow_at: float | None = None
    agent_call_sid: str | None = None
    customer_call_sid: str | None = None
    wrapup_recorded: bool = False
    call: dict[str, Any] | None = None  # a voice task's conference (domain/calls)
    version: int = 0

    def reservation(self, reservation_id: str) -> Reservation | None:
        return next((r for r in self.reservations if r.reservation_id == reservation_id), None)

    def pending_reservations(self) -> tuple[Reservation, ...]:
        return tuple(r for r in self.reservations if r.is_pending)

    def pending_for(self, agent_id: str) -> Reservation | None:
        return next((r for r in self.reservations if r.is_pending and r.agent_id == agent_id),
                    None)

    @property
    def target(self) -> Target | None:
        return self.targets[self.target_index] if self.targets else None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def scope(self) -> dict[str, Any]:
        """What expressions see as ``task``: its attributes plus a few facts of its own."""
        return {**self.attributes, "channel": self.channel, "kind": self.kind.value,
                "queue": self.entry_queue, "priority": self.priority, "caller": self.caller}


@dataclass(frozen=True)
class Agent:
    tenant_id: str
    agent_id: str
    name: str = ""
    activity: Activity = Activity.OFFLINE
    tier: Tier = Tier.FULL_TIME
    skills: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    capacity: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    holds: dict[str, str] = field(default_factory=dict)  # task id -> channel
    wrapup_seconds: int = 30
    mobile: str | None = None
    take_on_mobile: bool = False
    idle_since: float = 0.0
    last_assigned_at: float = 0.0
    last_offered_at: float = 0.0
    contacts_day: str = ""
    contacts_today: int = 0
    missed_in_row: int = 0
    activity_changed_at: float = 0.0
    version: int = 0

    def load(self, channel: str) -> int:
        return sum(1 for held in self.holds.values() if held == channel)

    def has_room(self, channel: str) -> bool:
        return (self.activity is Activity.AVAILABLE
                and self.load(channel) < self.capacity.get(channel, 0))

    def ready_channels(self) -> tuple[str, ...]:
        return tuple(ch for ch in CHANNELS if self.has_room(ch))

    @property
    def offers_by_mobile(self) -> bool:
        return self.tier is Tier.PART_TIME and bool(self.mobile) and self.take_on_mobile

    def scope(self) -> dict[str, Any]:
        """What expressions see as ``worker``."""
        return {**self.attributes, "skills": list(self.skills), "tier": self.tier.value,
                "agent_id": self.agent_id, "name": self.name, "activity": self.activity.value}


@dataclass(frozen=True)
class QueueConfig:
    tenant_id: str
    name: str
    queue_id: str
    strategy: Strategy = Strategy.LONGEST_IDLE
    worker_expression: str = ""
    max_wait_seconds: int = 900
    overflow_after_seconds: int | None = 60
    overflow_queue_length: int | None = 3
    hold_music_url: str | None = None
    reservation_timeout_seconds: int | None = None
    ring_all_limit: int = 10
    version: int = 0
    announce_position: bool = True  # the waiting caller hears position and expected wait
    wait_message: str | None = None  # said first on every turn of the wait loop


def new_queue_id(tenant_id: str, name: str) -> str:
    """A Twilio-style queue SID, stable per tenant and name."""
    return "WQ" + hashlib.sha256(f"{tenant_id}|queue|{name}".encode()).hexdigest()[:32]
