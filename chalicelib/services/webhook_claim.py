"""Exactly-once for every Twilio webhook: one claim per event, taken before any effect.

The edge (``routes/twilio_edge.answer``) runs each verified webhook through
``WebhookClaims.run``. Two modes:

- ``eager`` (the default, so a new route is covered without doing anything): an
  INPROGRESS record is written before the handler runs, and the handler's answer is
  stored when it returns. A retry replays that answer.
- ``commit``: the handler writes the record itself, COMPLETED with its answer, in the
  one DynamoDB transaction that commits the step (flow webhooks, the status
  callback). Before any effect that cannot wait for that commit (a flow's outbound
  HTTP), the handler calls ``current_claim().ensure()``, which claims INPROGRESS first;
  the commit is then conditioned on holding that claim.

A retry that arrives while the first delivery still holds the claim waits briefly for
its stored answer (``wait_seconds``), then is answered politely (``EventInProgress``).
The claim lives in a ContextVar for the length of one webhook, so services reach it
without a parameter, and the outbox keys each outside effect by the event's key.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, HotlineError, Unavailable

log = logging.getLogger("hotline.webhooks")

HOLD_SECONDS = 15.0  # Twilio's own webhook timeout, and the webhook Lambda's timeout
WAIT_SECONDS = 3.0


class ClaimStore(Protocol):
    def begin(self, key: str, token: str, hold_seconds: float) -> None: ...
    def complete(self, key: str, token: str, response: str | None) -> None: ...
    def release(self, key: str, token: str) -> None: ...
    def stored(self, key: str) -> Any: ...


@dataclass
class Claim:
    """This delivery's claim on one event."""

    key: str
    store: ClaimStore
    hold_seconds: float = HOLD_SECONDS
    token: str = field(default_factory=lambda: uuid.uuid4().hex)
    held: bool = False
    committed: bool = False

    def ensure(self) -> None:
        """Claim INPROGRESS now, unless already held or committed (raises
        AlreadyProcessed or EventInProgress when another delivery got there first)."""
        if not self.held and not self.committed:
            self.store.begin(self.key, self.token, self.hold_seconds)
            self.held = True

    @property
    def commit_token(self) -> str | None:
        """What a commit must be conditioned on: our token if we hold the claim."""
        return self.token if self.held else None

    def mark_committed(self) -> None:
        self.committed = True
        self.held = False


_current: ContextVar[Claim | None] = ContextVar("hotline_webhook_claim", default=None)


def current_claim() -> Claim | None:
    return _current.get()


@contextmanager
def claimed(claim: Claim | None) -> Iterator[Claim | None]:
    """Make ``claim`` the current one (the sweep re-runs an effect under its event)."""
    token = _current.set(claim)
    try:
        yield claim
    finally:
        _current.reset(token)


class WebhookClaims:
    def __init__(self, store: ClaimStore, *, hold_seconds: float = HOLD_SECONDS,
                 wait_seconds: float = WAIT_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.hold_seconds = hold_seconds
        self.wait_seconds = wait_seconds
        self.clock = clock
        self.sleep = sleep

    def run(self, key: str, handler: Callable[[], str], *, eager: bool = True,
            attempts: int = 3) -> str:
        """Run ``handler`` at most once per ``key``; a retry gets the first answer."""
        from chalicelib.domain.webhooks import (
            AlreadyProcessed,
            EventInProgress,
            StaleWrite,
        )

        for attempt in range(attempts):
            claim = Claim(key, self.store, self.hold_seconds)
            try:
                with claimed(claim):
                    if eager:
                        claim.ensure()
                    return self._handle(claim, handler)
            except AlreadyProcessed as done:
                log.info("webhook %s answered from its record", key)
                return done.response or ""
            except EventInProgress:
                return self._await(key)
            except StaleWrite:
                if attempt + 1 == attempts:
                    raise
                log.info("webhook %s lost a race on its execution; running it again", key)
        raise Conflict(f"webhook {key} could not be applied")  # attempts == 0

    def _handle(self, claim: Claim, handler: Callable[[], str]) -> str:
        from chalicelib.domain.webhooks import AlreadyProcessed

        try:
            body = handler()
        except AlreadyProcessed:
            raise
        except HotlineError as exc:
            if claim.held:
                self._release(claim)
                raise
            if not claim.committed and not isinstance(exc, Unavailable):
                self._replay_if_answered(claim.key)  # not when DynamoDB is failing
            raise
        except BaseException:
            if claim.held:
                self._release(claim)
            raise
        if claim.held:
            self.store.complete(claim.key, claim.token, body)
            claim.mark_committed()
        return body

    def _replay_if_answered(self, key: str) -> None:
        """A handler that failed before claiming (a retried final flow step finds its
        flow ended): if an earlier delivery answered this event, replay that answer."""
        from chalicelib.domain.webhooks import (
            COMPLETED,
            AlreadyProcessed,
            EventInProgress,
        )

        stored = self.store.stored(key)
        if stored is None:
            return
        if stored.status == COMPLETED:
            raise AlreadyProcessed(key, stored.response)
        raise EventInProgress(key)

    def _release(self, claim: Claim) -> None:
        try:
            self.store.release(claim.key, claim.token)
        except HotlineError as exc:
            log.warning("could not release the claim on %s (it expires by itself): %s",
                        claim.key, exc.message)

    def _await(self, key: str) -> str:
        """Wait up to ``wait_seconds`` for the other delivery's answer."""
        from chalicelib.domain.webhooks import (
            COMPLETED,
            EventInProgress,
        )

        deadline = self.clock() + self.wait_seconds
        pause = 0.05
        while self.clock() < deadline:
            self.sleep(pause)
            pause = min(pause * 2, 0.4)
            stored = self.store.stored(key)
            if stored is not None and stored.status == COMPLETED:
                return str(stored.response or "")
        log.warning("webhook %s still in progress after %.1f s; answering politely", key,
                    self.wait_seconds)
        raise EventInProgress(key)
