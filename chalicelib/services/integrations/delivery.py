"""Events out: published once per event id, delivered at least once through the outbox.

``publish`` writes, for each subscription that wants the event, the delivery record and
its first outbox item in ONE transaction; the outbox item's key is the event's id and the
subscription, so a retried webhook (or a second publisher of the same event) finds it and
publishes nothing. The scheduled sweep (``routes/schedule.py`` -> ``Outbox.sweep``) runs
due items: each is one HTTP attempt through the SSRF-guarded client, signed afresh. A
failed attempt schedules the next as a new outbox item (``<subscription>:<n+1>``, due
after the backoff in ``domain/integrations.py``), then records itself in the log; the
eighth failure ends the delivery as failed.

At least once: an attempt whose Lambda dies mid-request is run again by the sweep once its
lease ends (the kind is not at-most-once), so a receiver may see an event twice and must
dedupe on the event ``id`` (docs/integrations.md).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from chalicelib.domain.errors import HotlineError
from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.integrations import (
    DELIVERED,
    FAILED,
    PENDING,
    RETRYING,
    SIGNATURE_HEADER,
    Attempt,
    Delivery,
    Subscription,
    event_body,
    retry_at,
    signature_header,
    succeeded,
)
from chalicelib.domain.outbox import OutboxItem

log = logging.getLogger("hotline.integrations.webhooks")

DELIVER = "webhook.deliver"  # the outbox kind
USER_AGENT = "Hotline-Webhooks/1.0"
ERROR_BODY_CHARS = 200


class DeliveryStore(Protocol):
    def subscriptions(self, tenant_id: str) -> list[Subscription]: ...
    def get_subscription(self, tenant_id: str, subscription_id: str
                         ) -> Subscription | None: ...
    def add_delivery(self, delivery: Delivery, stages: list[Callable[[Any], None]]) -> bool: ...
    def record_attempt(self, tenant_id: str, subscription_id: str, delivery_id: str,
                       attempt: Attempt, status: str, next_retry_at: float | None) -> None: ...


class Http(Protocol):
    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse: ...


def public_event_id(tenant_id: str, event_id: str) -> str:
    """The id receivers see: stable per (tenant, event), opaque, safe in any key."""
    return "evt_" + hashlib.sha256(f"{tenant_id}\x00{event_id}".encode()).hexdigest()[:24]


class EventPublisher:
    """``publish(tenant_id, event_type, data, event_id)``: the contract's entry point."""

    def __init__(self, store: DeliveryStore, outbox: Any, http: Http, *,
                 clock: Callable[[], float] = time.time, timeout_seconds: float = 5.0,
                 cache_seconds: float = 30.0) -> None:
        self.store = store
        self.outbox = outbox
        self.http = http
        self.clock = clock
        self.timeout_seconds = timeout_seconds
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, list[Subscription]]] = {}
        outbox.register(DELIVER, self.run, at_most_once=False)

    # --- who listens -------------------------------------------------------------------
    def subscriptions_of(self, tenant_id: str) -> list[Subscription]:
        """The tenant's subscriptions, cached for a few seconds per container: events
        happen on webhook paths, which must stay within their few DynamoDB requests."""
        hit = self._cache.get(tenant_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        found = self.store.subscriptions(tenant_id)
        if len(self._cache) > 512:
            self._cache.clear()
        self._cache[tenant_id] = (time.monotonic() + self.cache_seconds, found)
        return found

    def forget(self, tenant_id: str) -> None:
        """A subscription changed in this container: read them afresh next time."""
        self._cache.pop(tenant_id, None)

    def wants(self, tenant_id: str, event_type: str) -> bool:
        return any(s.wants(event_type) for s in self.subscriptions_of(tenant_id))

    # --- publishing ----------------------------------------------------------------------
    def publish(self, tenant_id: str, event_type: str, data: dict[str, Any],
                event_id: str) -> int:
        """Queue the event for every subscription that wants it; how many were queued now
        (0 for a replay of an event already published)."""
        targets = [s for s in self.subscriptions_of(tenant_id) if s.wants(event_type)]
        return sum(1 for s in targets
                   if self.enqueue(s, event_type, data, event_id) is not None)

    def enqueue(self, sub: Subscription, event_type: str, data: dict[str, Any],
                event_id: str, *, first_due: float | None = None) -> OutboxItem | None:
        """Record one delivery and its first attempt; None if it was recorded before."""
        now = self.clock()
        public_id = public_event_id(sub.tenant_id, event_id)
        delivery = Delivery(tenant_id=sub.tenant_id, subscription_id=sub.subscription_id,
                            delivery_id=f"{int(now * 1000):013d}#{public_id}",
                            event_id=public_id, event_type=event_type, created_at=now,
                            status=PENDING, next_retry_at=now)
        body = event_body(public_id, event_type, sub.tenant_id, now, data)
        item = self._item(sub.tenant_id, public_id, sub.subscription_id, 1, {
            "subscription_id": sub.subscription_id, "delivery_id": delivery.delivery_id,
            "event_type": event_type, "body": body})
        due = now if first_due is None else first_due
        stage = [lambda tx: self.outbox.store.stage(tx, item, due)]
        if not self.store.add_delivery(delivery, stage):
            log.info("event %s (%s) was already published to %s", public_id, event_type,
                     sub.subscription_id)
            return None
        return item

    def _item(self, tenant_id: str, public_id: str, subscription_id: str, attempt: int,
              payload: dict[str, Any]) -> OutboxItem:
        item: OutboxItem = self.outbox.item(f"whk#{tenant_id}#{public_id}",
                                            f"{subscription_id}:{attempt}", tenant_id,
                                            DELIVER, {**payload, "attempt": attempt})
        return item

    # --- one attempt (the outbox runs this) ----------------------------------------------
    def run(self, item: OutboxItem) -> dict[str, Any]:
        p = item.payload
        tenant_id, sub_id = item.tenant_id, str(p["subscription_id"])
        delivery_id, attempt = str(p["delivery_id"]), int(p["attempt"])
        sub = self.store.get_subscription(tenant_id, sub_id)
        now = self.clock()
        if sub is None:
            self.store.record_attempt(tenant_id, sub_id, delivery_id, Attempt(
                attempt, now, None, "the webhook was deleted", 0), FAILED, None)
            return {"status": FAILED}
        code, error, took = self._post(sub, str(p["event_type"]), delivery_id, str(p["body"]))
        if succeeded(code):
            status, next_at = DELIVERED, None
        else:
            next_at = retry_at(attempt, self.clock(), f"{tenant_id}#{delivery_id}")
            status = RETRYING if next_at is not None else FAILED
        if next_at is not None:  # scheduled before it is logged: a crash loses no retry
            following = self._item(tenant_id, delivery_id.split("#", 1)[1], sub_id,
                                   attempt + 1, {k: v for k, v in p.items() if k != "attempt"})
            self.outbox.store.add(following, PENDING, next_at)
        self.store.record_attempt(tenant_id, sub_id, delivery_id,
                                  Attempt(attempt, now, code, error, took), status, next_at)
        log.info("webhook %s attempt %d of %s to %s: %s", delivery_id, attempt,
                 p["event_type"], sub_id, status if code is None else f"{status} ({code})")
        return {"status": status, "status_code": code}

    def _post(self, sub: Subscription, event_type: str, delivery_id: str,
              body: str) -> tuple[int | None, str | None, int]:
        started = time.monotonic()
        headers = {SIGNATURE_HEADER: signature_header(sub.secret, int(self.clock()), body),
                   "Hotline-Event": event_type, "Hotline-Delivery": delivery_id}
        try:
            answer = self.http.request("POST", sub.url, headers=headers,
                                       body=body.encode("utf-8"),
                                       content_type="application/json",
                                       timeout=self.timeout_seconds)
        except HttpFailure as exc:
            return None, exc.message, _ms_since(started)
        error = None if succeeded(answer.status) else (
            f"HTTP {answer.status}: {answer.text[:ERROR_BODY_CHARS]}".strip())
        return answer.status, error, _ms_since(started)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def publish_safely(publisher: EventPublisher, tenant_id: str, event_type: str,
                   data: dict[str, Any], event_id: str) -> None:
    """For event sources: a failure to publish is logged, never undoes what happened."""
    try:
        publisher.publish(tenant_id, event_type, data, event_id)
    except HotlineError as exc:
        log.error("could not publish %s %s for tenant %s: %s: %s", event_type, event_id,
                  tenant_id, type(exc).__name__, exc.message)
