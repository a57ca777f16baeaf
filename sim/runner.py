"""Runs TwiML on one call leg: fetching documents, executing verbs, waiting interruptibly.

One CallRunner per leg, on that leg's own thread. Every wait goes through `wait`, which
sleeps on the store's condition and raises as soon as the call hangs up or another thread
redirects it (or, inside <Enqueue>, dequeues it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sim import legs
from sim.clock import FOREVER, PLAY_SECONDS
from sim.context import Sim, call_params
from sim.flow import Aborted, AppError, CallEnded, Dequeued, Redirected
from sim.model import Call, Fetch, Listener
from sim.twiml import APP_ERROR_TEXT, Document, TwimlError, parse, strip_ns

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

log = logging.getLogger("sim.runner")

Handler = Callable[["CallRunner", "ET.Element", Document], "Fetch | None"]

# Which verbs each execution context accepts (Twilio's documented subsets).
MODE_VERBS: dict[str, frozenset[str]] = {
    "call": frozenset({"Say", "Play", "Pause", "Gather", "Record", "Enqueue", "Leave", "Dial",
                       "Redirect", "Hangup", "Reject"}),
    "wait": frozenset({"Say", "Play", "Pause", "Gather", "Hangup", "Redirect", "Leave"}),
    "whisper": frozenset({"Say", "Play", "Pause", "Gather", "Record", "Hangup", "Redirect"}),
    "hold": frozenset({"Say", "Play", "Pause", "Redirect"}),
}


class CallRunner:
    def __init__(self, sim: Sim, call: Call) -> None:
        self.sim = sim
        self.call = call
        self.store = sim.store
        self.allow_dequeue = False
        self.listening: Listener | None = None
        self.extra_params: Callable[[], dict[str, str]] | None = None  # e.g. queue position
        self.abort_when: Callable[[], bool] | None = None  # checked at every wait

    # -- waiting ---------------------------------------------------------------------------
    def check(self) -> None:
        """Raise if the call ended or something redirected (or dequeued) it."""
        with self.store.lock:
            call = self.call
            if call.ended:
                raise CallEnded()
            for i, intr in enumerate(call.pending):
                if intr.kind == "redirect" and intr.fetch is not None:
                    del call.pending[i]
                    raise Redirected(intr.fetch)
                if intr.kind == "dequeue" and self.allow_dequeue:
                    del call.pending[i]
                    raise Dequeued(intr)
            if self.abort_when is not None and self.abort_when():
                raise Aborted()

    def wait(self, sim_seconds: float, until: Callable[[], bool] | None = None) -> bool:
        """Wait up to sim_seconds; True as soon as `until()` holds (checked under the lock)."""
        deadline = self.sim.clock.deadline(sim_seconds)
        with self.store.lock:
            while True:
                self.check()
                if until is not None and until():
                    return True
                remaining = deadline - self.sim.clock.now()
                if remaining <= 0:
                    return False
                self.store.changed.wait(remaining)

    def media(self, sim_seconds: float) -> bool:
        """Play something for sim_seconds; True if caller input cut it short (<Gather>)."""
        listener = self.listening
        if listener is None:
            self.wait(sim_seconds)
            return False
        return self.wait(sim_seconds, until=listener.heard_anything)

    # -- requests --------------------------------------------------------------------------
    def params(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        with self.store.lock:
            params = call_params(self.call)
        if self.extra_params is not None:
            params.update(self.extra_params())
        params.update(extra or {})
        return params

    def load(self, fetch: Fetch) -> Document:
        """Request (or take inline) the TwiML for a step; AppError if Twilio could not."""
        if fetch.twiml is not None:
            try:
                return parse(fetch.twiml, fetch.url)
            except TwimlError as exc:
                raise AppError(12100, f"Document parse failure: {exc}", fetch.url) from exc
        result = self.sim.call_webhook(self.call, fetch.url, fetch.method,
                                       self.params(fetch.params))
        if not result.ok:
            raise AppError(result.error_code or 11200,
                           f"HTTP retrieval failure: {result.error}", fetch.url)
        try:
            return parse(result.body, fetch.url, result.content_type)
        except TwimlError as exc:
            raise AppError(12100, f"Document parse failure: {exc}", fetch.url) from exc

    def notify_only(self, fetch: Fetch) -> None:
        """Request an action URL whose answer cannot be used (the call is gone or moving)."""
        result = self.sim.call_webhook(self.call, fetch.url, fetch.method,
                                       self.params(fetch.params))
        if not result.ok:
            self.sim.event(self.call, "error", code=result.error_code, url=fetch.url,
                           message=f"HTTP retrieval failure: {result.error}")

    # -- execution -------------------------------------------------------------------------
    def run_program(self, start: Fetch) -> None:
        """Run a call's TwiML from its first document until it ends; then hang up."""
        step: Fetch | None = start
        while step is not None:
            current, step = step, None
            try:
                step = self.run_document(self.load(current), "call")
            except Redirected as redirect:
                self.sim.event(self.call, "redirect", url=redirect.fetch.url or None,
                               twiml=redirect.fetch.twiml)
                step = redirect.fetch
            except AppError as exc:
                self.error(exc)
                fallback = self.call.fallback
                if current is not start or fallback is None:
                    self.application_error()
                else:
                    step = Fetch(fallback.url, fallback.method,
                                 {"ErrorCode": str(exc.code), "ErrorUrl": exc.url})
        self.hangup("twiml")

    def run_document(self, doc: Document, mode: str) -> Fetch | None:
        """Execute a document's verbs in order; a Fetch means 'continue there'."""
        from sim.verbs import HANDLERS

        if doc.root is None:
            self.mark_answered()
            self.sim.event(self.call, "play", url=doc.audio_url)
            self.media(PLAY_SECONDS)
            return None
        for el in list(doc.root):
            self.check()
            tag = strip_ns(el.tag)
            handler = HANDLERS.get(tag)
            if handler is None:
                self.error(AppError(12200, f"Schema validation warning: unknown verb <{tag}>",
                                    doc.url))
                continue
            if tag not in MODE_VERBS[mode]:
                raise AppError(12200, f"<{tag}> is not allowed here ({mode} TwiML)", doc.url)
            if tag != "Reject":
                self.mark_answered()
            step = handler(self, el, doc)
            if step is not None:
                return step
        return None

    def run_loop(self, start: Fetch, mode: str) -> None:
        """Run a document and whatever it redirects to, in a restricted mode, until it ends."""
        step: Fetch | None = start
        while step is not None:
            step = self.run_document(self.load(step), mode)

    # -- endings ---------------------------------------------------------------------------
    def mark_answered(self) -> None:
        if not self.call.answered:
            legs.mark_answered(self.sim, self.call)

    def hangup(self, by: str, status: str | None = None) -> None:
        """End this call now (its own TwiML did it) and unwind."""
        legs.end_call(self.sim, self.call, status or self.ended_status(), by)
        raise CallEnded()

    def ended_status(self) -> str:
        return "completed" if self.call.answered else "canceled"

    def error(self, exc: AppError) -> None:
        log.info("call %s: error %s %s (%s)", self.call.sid, exc.code, exc.message, exc.url)
        self.sim.event(self.call, "error", code=exc.code, message=exc.message, url=exc.url)

    def application_error(self) -> None:
        """What Twilio does when it cannot get usable TwiML: apologise and hang up."""
        self.mark_answered()
        self.sim.event(self.call, "say", text=APP_ERROR_TEXT, voice="woman", language="en-US",
                       application_error=True)
        self.hangup("application-error")

    def forever(self, until: Callable[[], bool]) -> None:
        self.wait(FOREVER, until=until)
