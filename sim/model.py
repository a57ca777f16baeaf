"""The simulator's records: accounts, numbers, calls, queues, conferences, messages."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

TERMINAL_CALL_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


@dataclass
class Account:
    sid: str
    auth_token: str
    friendly_name: str
    owner_sid: str | None = None  # the parent, for a subaccount
    created: float = field(default_factory=time.time)


@dataclass
class ApiKey:
    """An API key (SK…): its secret is shown once, when it is created."""

    sid: str
    account_sid: str
    secret: str
    friendly_name: str
    created: float = field(default_factory=time.time)


@dataclass
class Application:
    """A TwiML App (AP…): the voice URL a Voice SDK device's outgoing calls request."""

    sid: str
    account_sid: str
    friendly_name: str
    voice_url: str = ""
    voice_method: str = "POST"
    voice_fallback_url: str = ""
    voice_fallback_method: str = "POST"
    status_callback: str = ""
    status_callback_method: str = "POST"
    sms_url: str = ""
    sms_method: str = "POST"
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


@dataclass
class Device:
    """A registered Voice SDK device (a browser or a headless test) for one identity."""

    id: str
    account_sid: str
    identity: str
    muted: bool = False
    calls: list[str] = field(default_factory=list)  # calls it accepted, oldest first
    created: float = field(default_factory=time.time)


@dataclass
class RemoteParty:
    """An outside number that answers by itself with TwiML a test gave (e.g. a far IVR)."""

    sid: str
    phone_number: str
    twiml: str
    replies: dict[str, str] = field(default_factory=dict)  # Digits/SpeechResult -> TwiML


@dataclass
class PhoneNumber:
    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    voice_url: str = ""
    voice_method: str = "POST"
    voice_fallback_url: str = ""
    voice_fallback_method: str = "POST"
    sms_url: str = ""
    sms_method: str = "POST"
    status_callback: str = ""
    status_callback_method: str = "POST"
    created: float = field(default_factory=time.time)


@dataclass
class Fetch:
    """A TwiML document to request: the next step of a call."""

    url: str
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    twiml: str | None = None  # inline TwiML (REST `Twiml`), used instead of a request


@dataclass
class Listener:
    """A <Gather> or <Record> waiting for the caller's keys or voice."""

    kind: str  # "gather" | "record"
    inputs: frozenset[str]
    finish_on_key: str
    num_digits: int | None = None
    digits: str = ""
    speech: str | None = None
    spoken: list[str] = field(default_factory=list)
    finished_key: str | None = None
    done: bool = False
    last_input: float | None = None

    def heard_anything(self) -> bool:
        return bool(self.digits or self.speech or self.done)


@dataclass
class Bridge:
    """Two legs talking to each other (Dial Number/Client/Sip/Queue)."""

    id: int
    legs: tuple[str, str]
    started: float
    ended: float | None = None
    ended_by: str | None = None


@dataclass
class DialWait:
    """A <Dial> in progress on the dialing leg, waiting for one party to answer."""

    targets: set[str] = field(default_factory=set)  # child leg SIDs, or the dequeued member
    active: bool = True
    winner: str | None = None
    bridge: Bridge | None = None


@dataclass
class Interrupt:
    """Something another thread asks a running call to do: 'redirect' or 'dequeue'."""

    kind: str
    fetch: Fetch | None = None
    by: str | None = None  # the dequeuing call
    url: str = ""
    method: str = "POST"


@dataclass
class Call:
    sid: str
    account_sid: str
    from_: str
    to: str
    direction: str  # inbound | outbound-api | outbound-dial
    endpoint: str  # app (TwiML on this leg) | phone | client | number (a number in the sim)
    role: str = "app"  # app | dial-child | participant
    status: str = "queued"
    parent_sid: str | None = None
    phone_number_sid: str | None = None
    forwarded_from: str = ""
    caller_name: str = ""
    program: Fetch | None = None
    fallback: Fetch | None = None
    status_callback: str = ""
    status_callback_method: str = "POST"
    status_callback_events: frozenset[str] = frozenset({"completed"})
    ring_timeout: float = 60.0
    created: float = field(default_factory=time.time)
    created_mono: float = field(default_factory=time.monotonic)
    answered_mono: float | None = None
    ended_mono: float | None = None
    start_time: float | None = None
    end_time: float | None = None
    transcript: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    callback_seq: int = 0
    # live state
    answer_signal: str | None = None  # "answer" | "reject" from the control API
    listener: Listener | None = None
    pending: list[Interrupt] = field(default_factory=list)
    ended: bool = False
    ended_by: str | None = None
    finished: bool = False  # the final status callback has been sent
    queue: str | None = None
    queue_sid: str | None = None
    enqueued_mono: float | None = None
    dequeue_by: str | None = None  # set while a <Dial><Queue> is taking this member
    conference_sid: str | None = None
    bridge: Bridge | None = None
    bridged_with: list[str] = field(default_factory=list)
    dial_wait: DialWait | None = None
    hangup_on_star: bool = False
    peer_sid: str | None = None  # the inbound leg of a call placed to a number in the sim
    whisper: Fetch | None = None
    send_digits: str = ""  # REST SendDigits: tones played to the far side once answered
    device_id: str | None = None  # the registered device that accepted this client leg
    client_params: dict[str, str] = field(default_factory=dict)  # <Client><Parameter>s
    participant_opts: dict[str, Any] = field(default_factory=dict)

    @property
    def answered(self) -> bool:
        return self.answered_mono is not None


@dataclass
class Queue:
    sid: str
    account_sid: str
    friendly_name: str
    max_size: int = 1000
    members: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)


@dataclass
class Participant:
    call_sid: str
    muted: bool = False
    hold: bool = False
    start_on_enter: bool = True
    end_on_exit: bool = False
    beep: str = "true"
    coaching: bool = False
    call_sid_to_coach: str | None = None
    label: str = ""
    status: str = "connected"
    hold_url: str = ""  # empty: Twilio's default hold music
    hold_method: str = "GET"
    beep_on_exit: bool = True
    joined: float = field(default_factory=time.time)


@dataclass
class Conference:
    sid: str
    account_sid: str
    friendly_name: str
    status: str = "init"  # init | in-progress | completed
    participants: dict[str, Participant] = field(default_factory=dict)
    status_callback: str = ""
    status_callback_method: str = "POST"
    status_callback_events: frozenset[str] = frozenset()
    callback_seq: int = 0
    reason_ended: str | None = None
    call_sid_ending: str | None = None
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


@dataclass
class Message:
    sid: str
    account_sid: str
    from_: str
    to: str
    body: str
    direction: str  # inbound | outbound-api | outbound-reply
    status: str
    media_urls: list[str] = field(default_factory=list)
    status_callback: str = ""
    messaging_service_sid: str | None = None
    error_code: int | None = None
    error_message: str | None = None
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    sent: float | None = None


@dataclass
class Recording:
    sid: str
    account_sid: str
    call_sid: str
    duration: int
    source: str  # RecordVerb | DialVerb
    transcription: str = ""
    conference_sid: str | None = None
    created: float = field(default_factory=time.time)
