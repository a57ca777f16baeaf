"""Exceptions that move a call's TwiML execution somewhere else."""

from __future__ import annotations

from sim.model import Fetch, Interrupt


class CallEnded(Exception):
    """The call hung up (caller, REST, <Hangup>, or its bridge partner ended it)."""


class Redirected(Exception):
    """A REST update gave the call new TwiML; whatever it was doing stops."""

    def __init__(self, fetch: Fetch) -> None:
        super().__init__(fetch.url)
        self.fetch = fetch


class Dequeued(Exception):
    """A <Dial><Queue> picked this queued call."""

    def __init__(self, interrupt: Interrupt) -> None:
        super().__init__(interrupt.by)
        self.interrupt = interrupt


class LeftQueue(Exception):
    """<Leave> ran in the waitUrl TwiML."""


class AppError(Exception):
    """Twilio could not get or use TwiML: the caller hears the application-error message."""

    def __init__(self, code: int, message: str, url: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.url = url


class Aborted(Exception):
    """A condition the running code waits for came true (e.g. the conference started)."""
