"""What a committed flow step asks of Hotline is planned as outbox items and applied,
each effect on its own."""

from __future__ import annotations

from typing import Any

from chalicelib.config import Settings
from chalicelib.domain.errors import Unavailable
from chalicelib.domain.flows.verbs import (
    ExecutionEnded,
    HandOffToTenant,
    MakeOutgoingCall,
    SendMessage,
    VoicemailRecorded,
)
from chalicelib.domain.identity import Tenant
from chalicelib.services.crm import CrmService
from chalicelib.services.effects import EffectApplier
from chalicelib.services.outbox import Outbox
from tests.conftest import TEST_ENV
from tests.unit.services.fakes import FakeOutboxStore

TENANT = Tenant("tn_1", "Aqua", "UTC", "AC1", "tok")


class Line:
    tenant = TENANT


class FakeCarrier:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.sent: list[tuple[str, str, str]] = []

    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = ()) -> str:
        if self.fail:
            raise Unavailable("carrier down")
        self.sent.append((from_, to, body))
        return "SM1"

    def place_call(self, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("the webhook path places no calls")


class FakeCrmStore:
    def __init__(self) -> None:
        self.updates: list[tuple[str, str, dict[str, Any]]] = []

    def update_interaction(self, tenant_id: str, interaction_id: str, changes: dict[str, Any],
                           only_if_absent: tuple[str, ...] = (),
                           unless_ended: bool = False) -> Any:
        self.updates.append((tenant_id, interaction_id, changes))


def _applier(carrier: FakeCarrier, store: FakeCrmStore) -> tuple[EffectApplier, Outbox]:
    outbox = Outbox(FakeOutboxStore(), clock=lambda: 1000.0)
    applier = EffectApplier(Settings.from_environ(TEST_ENV), CrmService(store),  # type: ignore[arg-type]
                            carrier, outbox=outbox, tenants={"tn_1": TENANT}.get)
    return applier, outbox


def _commit_and_run(outbox: Outbox, items: list[Any]) -> None:
    tx: list[Any] = []
    for item in items:
        outbox.stage(item)(tx)
    for write in tx:
        write()
    outbox.run_staged(items)


def test_messages_are_sent_and_voicemails_recorded_on_the_interaction() -> None:
    carrier, store = FakeCarrier(), FakeCrmStore()
    applier, outbox = _applier(carrier, store)
    items = applier.plan("ev", TENANT, "CA1", [
        SendMessage(to="+15550001", from_="+15559999", body="See you Tuesday"),
        VoicemailRecorded(recording_url="https://r/1", duration=12, transcription="hi"),
    ])
    _commit_and_run(outbox, items)
    assert carrier.sent == [("+15559999", "+15550001", "See you Tuesday")]
    assert store.updates == [("tn_1", "CA1", {"outcome": "voicemail",
                                              "recording_url": "https://r/1",
                                              "transcription": "hi"})]


def test_informational_effects_touch_neither_carrier_nor_crm() -> None:
    carrier, store = FakeCarrier(), FakeCrmStore()
    applier, _ = _applier(carrier, store)
    items = applier.plan("ev", TENANT, "CA1", [
        ExecutionEnded("completed"), HandOffToTenant("tn_2"),
        MakeOutgoingCall(to="+15550002", from_="+15559999", resume="dial")])
    assert items == [] and carrier.sent == [] and store.updates == []


def test_a_failing_effect_does_not_stop_the_others() -> None:
    store = FakeCrmStore()
    applier, outbox = _applier(FakeCarrier(fail=True), store)
    items = applier.plan("ev", TENANT, "CA1", [
        SendMessage(to="+15550001", from_="+15559999", body="x"),
        VoicemailRecorded(recording_url="https://r/2", duration=3)])
    _commit_and_run(outbox, items)
    assert [u[2]["outcome"] for u in store.updates] == ["voicemail"]
