"""What the router asks of the carrier on the queue's own callbacks: pure instructions.

``adapters/twilio/telephony.render_twiml`` turns them into TwiML. They cover the waiting
caller (announcements, hold audio, a keypress menu, leaving the queue), the agent's leg
(bridging with a queued caller, or a conference for a callback) and voicemail.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HOLD_MUSIC = "http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3"


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Play:
    url: str


@dataclass(frozen=True)
class Pause:
    seconds: int = 1


@dataclass(frozen=True)
class GatherDigit:
    """One keypress, with prompts played while waiting for it."""

    action: str
    prompts: tuple[Say | Play | Pause, ...]
    timeout: int = 5


@dataclass(frozen=True)
class Leave:
    pass


@dataclass(frozen=True)
class Hangup:
    pass


@dataclass(frozen=True)
class DialQueue:
    """Bridge this leg with the one caller waiting in the Twilio queue ``name``."""

    name: str
    action: str | None = None


@dataclass(frozen=True)
class DialConference:
    name: str
    start_on_enter: bool = True
    end_on_exit: bool = True
    label: str | None = None  # the participant's label (customer, agent)


@dataclass(frozen=True)
class PlayDigits:
    """DTMF tones played to the leg (an IVR on the far side hears them as keypresses)."""

    digits: str


@dataclass(frozen=True)
class RecordMessage:
    action: str
    max_length: int = 120
    transcribe_callback: str | None = None  # transcribe, and post the text here


Instruction = (Say | Play | Pause | GatherDigit | Leave | Hangup | DialQueue | DialConference
               | RecordMessage | PlayDigits)

CALLBACK_KEY = "1"
VOICEMAIL_KEY = "2"
ACCEPT_KEY = "1"

MENU = ("Press 1 to be called back and keep your place in line, "
        "or press 2 to leave a voicemail.")
CALLBACK_CONFIRMED = ("Thank you. We will call you back at this number; you keep your place "
                      "in line.")
CALLBACK_GOODBYE = "Goodbye."
VOICEMAIL_PROMPT = "Please leave your message after the tone. Press any key when you are done."
VOICEMAIL_THANKS = "Thank you for your message. Goodbye."
NO_MESSAGE = "We did not get a message. Goodbye."
MAX_WAIT_REACHED = ("We're sorry, all our agents are still busy. "
                    "Please leave a message and we will get back to you.")
ALREADY_ANSWERING = "An agent is about to answer. Please hold."
CALLER_GONE = "The caller has already hung up."
TAKEN_BY_OTHER = "This call was answered by someone else."
CALLBACK_AGENT = "Calling the customer back. Please hold."
CALLBACK_CUSTOMER = "Hello, this is {business} returning your call. Connecting you to an agent."


def whisper(business: str) -> str:
    return f"Hotline call for {business}. Press 1 to accept."
