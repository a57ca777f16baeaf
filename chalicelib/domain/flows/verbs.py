"""What a flow asks of the carrier (verbs) and of Hotline (effects): pure data.

Verbs are rendered to TwiML by ``adapters/twilio/twiml.py``. Every verb that waits for
the carrier carries ``resume``, the name of the widget to resume; the renderer turns it
into an action URL. Effects are applied by the calling service after the step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Say:
    text: str
    voice: str | None = None
    language: str | None = None
    loop: int = 1


@dataclass(frozen=True)
class Play:
    url: str
    loop: int = 1


@dataclass(frozen=True)
class PlayDigits:
    digits: str


@dataclass(frozen=True)
class Pause:
    length: int = 1


Prompt = Say | Play | Pause | PlayDigits


@dataclass(frozen=True)
class Gather:
    prompts: tuple[Prompt, ...]
    input: str = "dtmf"
    num_digits: int | None = None
    finish_on_key: str = "#"
    timeout: int = 5
    speech_timeout: str | None = None
    hints: str | None = None
    language: str | None = None
    speech_model: str | None = None
    profanity_filter: bool | None = None
    resume: str = ""


@dataclass(frozen=True)
class Record:
    max_length: int = 3600
    timeout: int = 5
    finish_on_key: str = "1234567890*#"
    play_beep: bool = True
    transcribe: bool = False
    trim: str | None = None
    resume: str = ""


@dataclass(frozen=True)
class DialTarget:
    kind: Literal["number", "client", "sip", "conference"]
    value: str
    url: str | None = None
    username: str | None = None
    password: str | None = None


@dataclass(frozen=True)
class Dial:
    targets: tuple[DialTarget, ...]
    caller_id: str | None = None
    timeout: int = 30
    record: bool = False
    resume: str = ""


@dataclass(frozen=True)
class Enqueue:
    """Into Hotline's own queue (enqueue-call and send-to-flex alike).

    The calling service creates the routing task and sets ``task_id`` before rendering
    (``dataclasses.replace(verb, task_id=...)``).
    """

    queue: str
    priority: int
    timeout: int | None
    attributes: dict[str, Any]
    resume: str
    task_id: str | None = None
    channel: str = "voice"


@dataclass(frozen=True)
class Redirect:
    url: str
    method: str = "POST"
    resume: str | None = None


@dataclass(frozen=True)
class Hangup:
    pass


@dataclass(frozen=True)
class Reject:
    reason: str = "rejected"


@dataclass(frozen=True)
class Message:
    body: str
    to: str | None = None
    from_: str | None = None
    media_urls: tuple[str, ...] = ()


Verb = (Say | Play | PlayDigits | Pause | Gather | Record | Dial | Enqueue | Redirect
        | Hangup | Reject | Message)


# -- effects: applied by the service after the step ------------------------------------

@dataclass(frozen=True)
class SendMessage:
    to: str
    from_: str
    body: str
    media_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class MakeOutgoingCall:
    to: str
    from_: str
    resume: str
    timeout: int = 60
    record: bool = False
    machine_detection: str | None = None
    send_digits: str | None = None


@dataclass(frozen=True)
class VoicemailRecorded:
    recording_url: str
    duration: int
    transcription: str | None = None
    widget: str = ""
    recording_sid: str | None = None
    queue: str | None = None  # Hotline's queue for the voicemail task (docs/conversations.md)


@dataclass(frozen=True)
class HandOffToTenant:
    tenant_id: str


@dataclass(frozen=True)
class ExecutionEnded:
    """The flow reached an end; ``reason`` says how (``completed``, ``max-steps``...)."""

    reason: str
    widget: str | None = None


Effect = SendMessage | MakeOutgoingCall | VoicemailRecorded | HandOffToTenant | ExecutionEnded


@dataclass(frozen=True)
class Visit:
    """One widget the step went through and the event it took (None: still waiting)."""

    widget: str
    type: str
    event: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
