"""Which Twilio callbacks meter what, for which tenant (services/billing/hooks.py), and
the numbers sweep's pace, with a fake billing service."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import Unavailable
from chalicelib.domain.identity import Tenant
from chalicelib.services.billing.hooks import MeteredCarrier, WebhookMeter, message_bodies
from chalicelib.services.billing.sweep import NumbersSweep
from chalicelib.services.webhook_gate import Webhook


@dataclass
class FakeBilling:
    metered: list[tuple[Any, ...]] = field(default_factory=list)

    def meter_call_leg(self, *args: Any) -> bool:
        self.metered.append(("leg", *args))
        return True

    def meter_recording(self, *args: Any) -> bool:
        self.metered.append(("recording", *args))
        return True

    def meter_message(self, *args: Any) -> bool:
        self.metered.append(("message", *args))
        return True


TENANT = Tenant("tn_account", "Aqua", "UTC", "AC1", "tok")


def _meter() -> tuple[WebhookMeter, FakeBilling]:
    billing = FakeBilling()
    numbers = {"+14155550100": "tn_number"}
    return WebhookMeter(billing, numbers.get), billing  # type: ignore[arg-type]


def _hook(params: dict[str, str], query: dict[str, str] | None = None,
          tenant: Tenant | None = None) -> Webhook:
    return Webhook(account_sid="AC1", tenant=tenant, params=params, query=query or {})


def test_the_tenant_named_by_hotlines_callback_wins_then_the_account_then_the_number():
    meter, _ = _meter()
    params = {"To": "+14155550100", "Direction": "inbound"}
    assert meter.tenant_of(_hook(params, {"t": "tn_query"}, TENANT)) == "tn_query"
    assert meter.tenant_of(_hook(params, tenant=TENANT)) == "tn_account"
    assert meter.tenant_of(_hook(params)) == "tn_number"
    assert meter.tenant_of(_hook({"From": "+14155550100", "Direction": "outbound-api"})) \
        == "tn_number"


def test_only_a_final_status_with_a_duration_meters_a_leg():
    meter, billing = _meter()
    handler = meter.wrap(lambda hook: "<Response/>")
    handler(_hook({"CallSid": "CA1", "CallStatus": "ringing"}, tenant=TENANT))
    handler(_hook({"CallSid": "CA1", "CallStatus": "in-progress", "CallDuration": "5"},
                  tenant=TENANT))
    handler(_hook({"CallSid": "CA1", "CallStatus": "completed", "CallDuration": "61",
                   "Direction": "outbound-api"}, tenant=TENANT))
    assert billing.metered == [("leg", "tn_account", "CA1", "outbound-api", 61.0)]


def test_an_inbound_text_and_each_twiml_reply_are_metered_but_not_a_status_callback():
    meter, billing = _meter()
    reply = ("<?xml version='1.0'?><Response><Message>Thanks!</Message>"
             "<Message><Body>Second 😀</Body></Message></Response>")
    meter.wrap(lambda hook: reply)(_hook(
        {"MessageSid": "SM1", "From": "whatsapp:+14155550123", "Body": "hi"}, tenant=TENANT))
    meter.wrap(lambda hook: "")(_hook(
        {"MessageSid": "SM2", "MessageStatus": "delivered", "Body": ""}, tenant=TENANT))
    assert billing.metered == [
        ("message", "tn_account", "SM1", "whatsapp", "inbound", "hi"),
        ("message", "tn_account", "SM1#reply0", "whatsapp", "outbound", "Thanks!"),
        ("message", "tn_account", "SM1#reply1", "whatsapp", "outbound", "Second 😀")]
    assert message_bodies(reply) == ["Thanks!", "Second 😀"]


def test_metering_trouble_never_breaks_the_webhook(caplog):
    class Broken(FakeBilling):
        def meter_call_leg(self, *args: Any) -> bool:
            raise RuntimeError("boom")

    meter = WebhookMeter(Broken(), lambda number: None)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="hotline.billing"):
        answer = meter.wrap(lambda hook: "<Response/>")(_hook(
            {"CallSid": "CA1", "CallStatus": "completed", "CallDuration": "3"}, tenant=TENANT))
    assert answer == "<Response/>"
    assert "metering failed" in caplog.text


def test_a_sent_message_is_metered_with_the_sid_the_carrier_returned():
    class Carrier:
        sent: list[dict[str, Any]] = []

        def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                         **options: Any) -> str:
            self.sent.append(options)
            return "SMsent"

    billing = FakeBilling()
    carrier = Carrier()
    metered = MeteredCarrier(carrier, lambda: billing)  # type: ignore[arg-type]
    assert metered.send_message(TENANT, "+1", "+2", "hello", media_urls=("u",)) == "SMsent"
    assert carrier.sent == [{"media_urls": ("u",)}]  # no option it was not given
    assert billing.metered == [("message", "tn_account", "SMsent", "sms", "outbound", "hello")]


def test_the_numbers_sweep_runs_hourly_and_survives_a_dynamodb_failure(caplog):
    class Billing:
        runs = 0

        def meter_held_numbers(self, tenants: Any, now: float) -> int:
            self.runs += 1
            return len(list(tenants))

    def failing() -> list[str]:
        raise Unavailable("list held numbers: DynamoDB is throttling")

    billing = Billing()
    sweep = NumbersSweep(billing, lambda: ["tn_a", "tn_b"], every=3600)  # type: ignore[arg-type]
    assert (sweep.run(1000.0), sweep.run(2000.0), sweep.run(4600.0)) == (2, 0, 2)
    assert billing.runs == 2
    with caplog.at_level(logging.ERROR, logger="hotline.billing"):
        assert NumbersSweep(billing, failing).run(0.0) == 0  # type: ignore[arg-type]
    assert "throttling" in caplog.text
