"""Publishing and delivering webhooks with fakes: once per event id, one attempt per due
outbox item, exponential backoff between attempts, the eighth failure final."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from chalicelib.domain.integrations import (
    DELIVERED,
    FAILED,
    MAX_ATTEMPTS,
    RETRYING,
    Attempt,
    Delivery,
    Subscription,
    backoff_seconds,
    verify_signature,
)
from chalicelib.services.integrations.delivery import EventPublisher
from chalicelib.services.outbox import Outbox
from tests.unit.services.fakes import FakeOutboxStore

T0 = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


class FakeStore:
    def __init__(self, subs: list[Subscription]) -> None:
        self.subs = {s.subscription_id: s for s in subs}
        self.log: dict[str, Delivery] = {}
        self.reads = 0

    def subscriptions(self, tenant_id: str) -> list[Subscription]:
        self.reads += 1
        return [s for s in self.subs.values() if s.tenant_id == tenant_id]

    def get_subscription(self, tenant_id: str, sub_id: str) -> Subscription | None:
        return self.subs.get(sub_id)

    def add_delivery(self, delivery: Delivery, stages: list[Any]) -> bool:
        tx: list[Any] = []
        for stage in stages:
            stage(tx)
        if not all(put() for put in tx):
            return False
        self.log[delivery.delivery_id] = delivery
        return True

    def record_attempt(self, tenant_id: str, sub_id: str, delivery_id: str, attempt: Attempt,
                       status: str, next_retry_at: float | None) -> None:
        d = self.log[delivery_id]
        self.log[delivery_id] = replace(d, attempts=(*d.attempts, attempt), status=status,
                                        next_retry_at=next_retry_at)


class Receiver:
    """Answers the scripted statuses in turn and keeps what it was sent."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []

    def request(self, method: str, url: str, *, headers: Any, body: bytes | None,
                content_type: str | None, timeout: float) -> HttpResponse:
        self.requests.append({"url": url, "headers": dict(headers), "body": body})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return HttpResponse(answer, "oops" if answer >= 400 else "ok")


def sub(sub_id: str, *events: str) -> Subscription:
    return Subscription("tn_a", sub_id, f"https://hooks.example.com/{sub_id}", events,
                        f"whsec_{sub_id}", T0 - 100)


def build(receiver: Receiver, *subs: Subscription) -> tuple[EventPublisher, FakeStore,
                                                             Outbox, Clock]:
    clock = Clock()
    store = FakeStore(list(subs))
    outbox = Outbox(FakeOutboxStore(), clock=clock)
    return EventPublisher(store, outbox, receiver, clock=clock), store, outbox, clock


def test_an_event_is_queued_once_per_interested_subscription_however_often_published():
    # given two subscriptions, one wanting the event
    publisher, store, outbox, _ = build(Receiver(), sub("s1", "contact.created"),
                                        sub("s2", "task.abandoned"))
    # when the same event is published twice (a retried webhook)
    first = publisher.publish("tn_a", "contact.created", {"id": "c1"}, "contact.created:c1")
    again = publisher.publish("tn_a", "contact.created", {"id": "c1"}, "contact.created:c1")
    # then one delivery was recorded, to s1, with one pending attempt
    assert (first, again) == (1, 0)
    assert [d.subscription_id for d in store.log.values()] == ["s1"]
    assert len(outbox.store.items) == 1
    # and the subscriptions were read once (cached for the webhook path)
    assert store.reads == 1


def test_a_failing_receiver_is_retried_with_backoff_then_delivered_signed_each_time():
    # given a receiver that fails twice (a 500, then a timeout) and then accepts
    receiver = Receiver(500, HttpFailure("timed out", timed_out=True), 200)
    publisher, store, outbox, clock = build(receiver, sub("s1", "voicemail.received"))
    publisher.publish("tn_a", "voicemail.received", {"interaction_id": "CA1"}, "vm:CA1")
    # when the sweep runs whenever something is due
    assert outbox.sweep(clock.now + 1).done == 1
    (delivery,) = store.log.values()
    assert delivery.status == RETRYING and delivery.attempts[0].status_code == 500
    first_retry = delivery.next_retry_at
    assert first_retry is not None
    assert T0 + 90 <= first_retry < T0 + 99
    assert outbox.sweep(first_retry - 1).examined == 0  # not yet due
    clock.now = first_retry + 1
    outbox.sweep(clock.now)
    (delivery,) = store.log.values()
    assert delivery.status == RETRYING and delivery.attempts[1].error == "timed out"
    assert delivery.next_retry_at is not None
    assert delivery.next_retry_at - clock.now >= backoff_seconds(2)
    clock.now = delivery.next_retry_at + 1
    outbox.sweep(clock.now)
    # then the third attempt delivered it, and every attempt carried a valid signature
    (delivery,) = store.log.values()
    assert delivery.status == DELIVERED and delivery.next_retry_at is None
    assert [a.attempt for a in delivery.attempts] == [1, 2, 3]
    assert len(receiver.requests) == 3
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # the same bytes every time
    for r in receiver.requests:
        assert verify_signature(r["headers"]["Hotline-Signature"], r["body"].decode(),
                                "whsec_s1", now=clock.now, tolerance=10**6)
        assert r["headers"]["Hotline-Event"] == "voicemail.received"


def test_the_eighth_failure_ends_the_delivery_as_failed_with_nothing_left_due():
    receiver = Receiver(*[503] * MAX_ATTEMPTS)
    publisher, store, outbox, clock = build(receiver, sub("s1", "task.abandoned"))
    publisher.publish("tn_a", "task.abandoned", {"task_id": "t1"}, "abandoned:t1")
    for _ in range(MAX_ATTEMPTS):
        due = [i.due_at for i in outbox.store.items.values() if i.status == "pending"]
        clock.now = max(clock.now, max(d for d in due if d is not None)) + 1
        outbox.sweep(clock.now)
    (delivery,) = store.log.values()
    assert delivery.status == FAILED and len(delivery.attempts) == MAX_ATTEMPTS
    assert delivery.next_retry_at is None
    assert not [i for i in outbox.store.items.values() if i.status == "pending"]
    assert outbox.sweep(clock.now + 10**7).examined == 0


def test_a_deleted_subscription_fails_its_pending_delivery_without_a_request():
    receiver = Receiver()
    publisher, store, outbox, clock = build(receiver, sub("s1", "contact.created"))
    publisher.publish("tn_a", "contact.created", {"id": "c1"}, "c1")
    del store.subs["s1"]
    outbox.sweep(clock.now + 1)
    (delivery,) = store.log.values()
    assert delivery.status == FAILED and delivery.attempts[0].error == "the webhook was deleted"
    assert receiver.requests == []
