"""At most once, and never lost: every effect outside DynamoDB goes through the outbox.

Two ways in:

- ``stage`` + ``run_staged``: a flow step's effects (an outbound SMS, the routing
  enqueue, a voicemail's CRM outcome, a call's end) are written as *pending* items in
  the webhook's own commit transaction (no extra request), then run right after it.
  If the Lambda dies in between, the sweep finds them pending and runs them.
- ``perform``: an effect a handler needs the answer of now (a REST call that returns a
  CallSid). The item is put as *running* (keyed by the event, so a replay finds it),
  the effect runs, and the outcome is stored. A retry of the same event returns the
  stored result instead of calling Twilio again.

A *running* item whose lease ended belongs to a Lambda that died mid-effect. For an
at-most-once kind (a REST call) the sweep marks it *unknown* and logs an error rather
than risk a second call; an idempotent kind is simply run again.

Keys: ``<event key>#<effect name>``. The event is the current webhook's claim, or,
while an item runs, the item itself, so effects nested in an effect (matching rings a
part-timer while the enqueue runs) are keyed the same way inline and in the sweep.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, HotlineError, Unavailable
from chalicelib.domain.outbox import DONE, FAILED, PENDING, RUNNING, UNKNOWN, OutboxItem
from chalicelib.services.webhook_claim import current_claim

log = logging.getLogger("hotline.outbox")


class OutboxStore(Protocol):
    def stage(self, tx: Any, item: OutboxItem, due_at: float) -> None: ...
    def add(self, item: OutboxItem, status: str, due_at: float) -> bool: ...
    def get(self, key: str) -> OutboxItem | None: ...
    def start(self, key: str, expected: str, lease_until: float, now: float) -> bool: ...
    def settle(self, key: str, status: str, *, result: Any = None, error: str | None = None,
               expected: tuple[str, ...] = (PENDING, RUNNING)) -> bool: ...
    def retry_at(self, key: str, due_at: float, error: str) -> bool: ...
    def due(self, now: float, limit: int = 50) -> list[OutboxItem]: ...


@dataclass(frozen=True)
class Kind:
    run: Callable[[OutboxItem], Any] | None
    at_most_once: bool


@dataclass
class OutboxReport:
    examined: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    errors: list[str] = field(default_factory=list)


_scope: ContextVar[str | None] = ContextVar("hotline_outbox_scope", default=None)


def event_key() -> str | None:
    """The event an effect belongs to: the item running now, else the webhook's claim."""
    scoped = _scope.get()
    if scoped:
        return scoped
    claim = current_claim()
    return claim.key if claim is not None else None


@contextmanager
def scope(key: str) -> Iterator[None]:
    token = _scope.set(key)
    try:
        yield
    finally:
        _scope.reset(token)


def effect_name(operation: str, arguments: Any) -> str:
    """A stable name for one effect within its event: the operation and its arguments."""
    digest = hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode())
    return f"{operation}:{digest.hexdigest()[:16]}"


class Outbox:
    def __init__(self, store: OutboxStore, *, clock: Callable[[], float] = time.time,
                 grace_seconds: float = 60.0, lease_seconds: float = 30.0,
                 max_attempts: int = 3, backoff_seconds: float = 30.0) -> None:
        self.store = store
        self.clock = clock
        self.grace_seconds = grace_seconds  # > the webhook Lambda's timeout (15 s)
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.kinds: dict[str, Kind] = {}

    def register(self, kind: str, run: Callable[[OutboxItem], Any] | None, *,
                 at_most_once: bool) -> None:
        self.kinds[kind] = Kind(run, at_most_once)

    def item(self, event: str, name: str, tenant_id: str, kind: str,
             payload: dict[str, Any]) -> OutboxItem:
        return OutboxItem(key=f"{event}#{name}", tenant_id=tenant_id, kind=kind,
                          payload=payload, created_at=self.clock())

    # --- effects staged in a webhook's commit --------------------------------------
    def stage(self, item: OutboxItem) -> Callable[[Any], None]:
        """The item's put, for the webhook's transaction (pending; the sweep's after
        ``grace_seconds``, by which time the webhook's Lambda has ended one way or another)."""
        return lambda tx: self.store.stage(tx, item, item.created_at + self.grace_seconds)

    def run_staged(self, items: list[OutboxItem]) -> list[Any]:
        """Run committed items now, each on its own: a failure is logged and left to the
        sweep (pending, with a backoff) or marked failed; the caller's answer stands."""
        results = []
        for item in items:
            try:
                results.append(self._run(item, self._kind(item)))
            except HotlineError as exc:
                log.error("effect %s (%s) failed: %s: %s", item.key, item.kind,
                          type(exc).__name__, exc.message)
                results.append(None)
        return results

    # --- effects handed to the sweep -----------------------------------------------
    def defer(self, event: str, name: str, tenant_id: str, kind: str,
              payload: dict[str, Any]) -> bool:
        """Record a pending effect for the sweep's next pass (an effect that failed off the
        webhook path, such as releasing a number a failed signup bought). False when that
        effect of that event is already recorded."""
        item = self.item(event, name, tenant_id, kind, payload)
        return self.store.add(item, PENDING, item.created_at)

    # --- effects whose result the handler needs now --------------------------------
    def perform(self, name: str, tenant_id: str, kind: str, payload: dict[str, Any],
                do: Callable[[], Any]) -> Any:
        """Record, then run ``do`` once for the current event (returns what it returned;
        a replay of the event returns the stored result). Off the webhook path (no event)
        ``do`` simply runs."""
        event = event_key()
        if event is None:
            return do()
        item = self.item(event, name, tenant_id, kind, payload)
        now = self.clock()
        if not self.store.add(item, RUNNING, now + self.lease_seconds):
            existing = self.store.get(item.key)
            if existing is not None and existing.status == DONE:
                log.info("effect %s was already done; its result is reused", item.key)
                return existing.result
            raise Conflict(f"effect {item.key} is {existing.status if existing else 'gone'}")
        try:
            with scope(item.key):
                result = do()
        except HotlineError as exc:
            self._settle(item, FAILED, error=f"{type(exc).__name__}: {exc.message}")
            raise
        self._settle(item, DONE, result=result)
        return result

    # --- the sweep ------------------------------------------------------------------
    def sweep(self, now: float | None = None, limit: int = 50) -> OutboxReport:
        """Pending items nobody ran, and running ones whose Lambda died."""
        at = self.clock() if now is None else now
        report = OutboxReport()
        for item in self.store.due(at, limit):
            report.examined += 1
            kind = self.kinds.get(item.kind)
            if item.status == RUNNING and (kind is None or kind.at_most_once):
                if self.store.settle(item.key, UNKNOWN, expected=(RUNNING,),
                                     error="the attempt's Lambda ended before its outcome"):
                    report.unknown += 1
                    log.error("effect %s (%s) may or may not have happened; not retried "
                              "(at most once)", item.key, item.kind)
                continue
            if kind is None or kind.run is None:
                self.store.settle(item.key, FAILED, error=f"no executor for {item.kind}")
                report.failed += 1
                log.error("effect %s failed: no executor for %s", item.key, item.kind)
                continue
            if not self.store.start(item.key, item.status, at + self.lease_seconds, at):
                continue  # someone else took it
            try:
                self._execute(replace(item, status=RUNNING, attempts=item.attempts + 1), kind)
                report.done += 1
            except Unavailable as exc:
                report.retried += 1
                report.errors.append(f"{item.key}: {exc.message}")
                log.warning("effect %s (%s) failed again, retried later: %s", item.key,
                            item.kind, exc.message)
            except HotlineError as exc:
                report.failed += 1
                report.errors.append(f"{item.key}: {exc.message}")
                log.error("effect %s (%s) failed for good: %s: %s", item.key, item.kind,
                          type(exc).__name__, exc.message)
        return report

    # --- running one ----------------------------------------------------------------
    def _kind(self, item: OutboxItem) -> Kind:
        kind = self.kinds.get(item.kind)
        if kind is None or kind.run is None:
            raise Conflict(f"no executor for effect kind {item.kind}")
        return kind

    def _run(self, item: OutboxItem, kind: Kind) -> Any:
        if kind.at_most_once:
            now = self.clock()
            if not self.store.start(item.key, PENDING, now + self.lease_seconds, now):
                log.info("effect %s is already being run", item.key)
                return None
            item = replace(item, status=RUNNING, attempts=item.attempts + 1)
        return self._execute(item, kind)

    def _execute(self, item: OutboxItem, kind: Kind) -> Any:
        assert kind.run is not None
        try:
            with scope(item.key):
                result = kind.run(item)
        except Unavailable as exc:
            error = f"Unavailable: {exc.message}"
            if item.attempts < self.max_attempts:
                self.store.retry_at(item.key, self.clock() + self.backoff_seconds, error)
            else:
                self._settle(item, FAILED, error=error)
            raise
        except HotlineError as exc:
            self._settle(item, FAILED, error=f"{type(exc).__name__}: {exc.message}")
            raise
        self._settle(item, DONE, result=result)
        return result

    def _settle(self, item: OutboxItem, status: str, *, result: Any = None,
                error: str | None = None) -> None:
        try:
            self.store.settle(item.key, status, result=result, error=error)
        except HotlineError as exc:
            log.error("could not record effect %s as %s: %s", item.key, status, exc.message)
