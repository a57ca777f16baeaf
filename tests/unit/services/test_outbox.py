"""Effects outside DynamoDB: at most once per event, and picked up by the sweep when the
Lambda that owed them died."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.domain.errors import Unavailable
from chalicelib.domain.outbox import DONE, FAILED, PENDING, UNKNOWN, OutboxItem
from chalicelib.services.once import OnceTelephony
from chalicelib.services.outbox import Outbox, scope
from tests.unit.services.fakes import FakeOutboxStore


class Sender:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail = False

    def __call__(self, item: OutboxItem) -> str:
        if self.fail:
            raise Unavailable("the carrier answered 503")
        self.sent.append(item.payload)
        return f"SM{len(self.sent)}"


def _outbox(store: FakeOutboxStore, now: list[float]) -> tuple[Outbox, Sender]:
    outbox = Outbox(store, clock=lambda: now[0], grace_seconds=60, lease_seconds=30)
    sender = Sender()
    outbox.register("carrier.send_message", sender, at_most_once=True)
    return outbox, sender


def _commit(outbox: Outbox, items: list[OutboxItem]) -> None:
    tx: list[Any] = []
    for item in items:
        outbox.stage(item)(tx)
    for write in tx:
        write()


def test_a_staged_message_is_sent_once_after_the_commit() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, sender = _outbox(store, now)
    item = outbox.item("AC1#SM1#/twilio/sms?", "send", "tn_1", "carrier.send_message",
                       {"to": "+1555"})
    _commit(outbox, [item])
    outbox.run_staged([item])
    outbox.run_staged([item])  # a second run of the same item is refused
    now[0] += 120
    assert outbox.sweep().examined == 0
    assert len(sender.sent) == 1
    assert store.items[item.key].status == DONE


def test_a_lambda_that_died_after_the_commit_leaves_the_message_to_the_sweep() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, sender = _outbox(store, now)
    item = outbox.item("ev", "send", "tn_1", "carrier.send_message", {"to": "+1555"})
    _commit(outbox, [item])  # ...and the Lambda dies here
    assert outbox.sweep().examined == 0  # not before the grace period
    now[0] += 61
    report = outbox.sweep()
    assert (report.done, len(sender.sent)) == (1, 1)
    now[0] += 61
    assert outbox.sweep().examined == 0


def test_a_message_that_may_have_been_sent_is_never_sent_again() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, sender = _outbox(store, now)
    item = outbox.item("ev", "send", "tn_1", "carrier.send_message", {"to": "+1555"})
    _commit(outbox, [item])
    assert store.start(item.key, PENDING, now[0] + 30, now[0])  # the attempt began...
    now[0] += 31  # ...and its Lambda died before recording the outcome
    report = outbox.sweep()
    assert (report.unknown, len(sender.sent)) == (1, 0)
    assert store.items[item.key].status == UNKNOWN


def _a_send_that_failed() -> tuple[FakeOutboxStore, list[float], Outbox, Sender, OutboxItem]:
    """A committed message whose first send met a carrier outage (still failing)."""
    store, now = FakeOutboxStore(), [1000.0]
    outbox, sender = _outbox(store, now)
    sender.fail = True
    item = outbox.item("ev", "send", "tn_1", "carrier.send_message", {"to": "+1555"})
    _commit(outbox, [item])
    outbox.run_staged([item])
    return store, now, outbox, sender, item


def test_a_carrier_outage_is_retried_by_the_sweep_then_given_up() -> None:
    store, now, outbox, sender, item = _a_send_that_failed()
    assert store.items[item.key].status == PENDING
    now[0] += 31
    sender.fail = False
    assert outbox.sweep().done == 1
    assert len(sender.sent) == 1


def test_a_retry_the_sweep_makes_that_fails_is_logged_not_only_counted(caplog) -> None:
    # given a message whose first send failed, and a carrier still failing at the sweep
    _, now, outbox, _, item = _a_send_that_failed()
    now[0] += 31
    # when the sweep tries it again
    with caplog.at_level("WARNING", logger="hotline.outbox"):
        report = outbox.sweep()
    # then the failure is in the log (on Lambda nobody reads the report), as well as counted
    assert report.retried == 1
    assert f"effect {item.key} (carrier.send_message) failed again" in caplog.text
    assert "the carrier answered 503" in caplog.text


class Twilio:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        self.calls.append(("place", to))
        return f"CA{len(self.calls)}"

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        self.calls.append(("end", call_sid))

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        return "in-progress"

    def hold_participant(self, tenant_id: str, conference: str, call_sid: str) -> None:
        self.calls.append(("hold", call_sid))


def test_rest_calls_of_one_event_happen_once_and_new_operations_are_covered() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, _ = _outbox(store, now)
    twilio = Twilio()
    telephony = OnceTelephony(twilio, outbox)
    with scope("AC1#CA1#/twilio/voice/flow?s=2&w=menu#Digits=2"):
        first = telephony.place_call("tn_1", to="+1555", from_="+1444", url="u",
                                     status_callback="s", timeout=30)
        again = telephony.place_call("tn_1", to="+1555", from_="+1444", url="u",
                                     status_callback="s", timeout=30)
        telephony.hold_participant("tn_1", "CF1", "CA9")  # an operation added later
        telephony.hold_participant("tn_1", "CF1", "CA9")
    assert first == again
    assert twilio.calls == [("place", "+1555"), ("hold", "CA9")]
    assert telephony.call_status("tn_1", "CA1") == "in-progress"


def test_off_the_webhook_path_rest_calls_run_directly() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, _ = _outbox(store, now)
    twilio = Twilio()
    OnceTelephony(twilio, outbox).end_call("tn_1", "CA1")
    assert twilio.calls == [("end", "CA1")] and not store.items


def test_a_failed_rest_call_is_recorded_and_raised() -> None:
    store, now = FakeOutboxStore(), [1000.0]
    outbox, _ = _outbox(store, now)

    def down() -> str:
        raise Unavailable("Twilio answered 503")

    with scope("ev"), pytest.raises(Unavailable):
        outbox.perform("place", "tn_1", "telephony.place_call", {}, down)
    assert [i.status for i in store.items.values()] == [FAILED]
