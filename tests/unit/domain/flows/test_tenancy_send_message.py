"""send-message and send-and-wait-for-reply on a tenant whose outbound medium is off
(docs/tenancy.md): the widget takes its failure event, with the reason in its variables."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.flows.engine import Trigger
from chalicelib.domain.flows.verbs import Message, SendMessage
from tests.unit.domain.flows.helpers import CALL, ENV, SMS, engine, events, flow_of, state

REASON = "the sms_out permission is off for this business; ask the operator to switch it on"


def refusing(*off: str):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def outbound(permission: str) -> str | None:
        asked.append(permission)
        return REASON.replace("sms_out", permission) if permission in off else None

    return outbound, asked


def test_send_message_fails_its_widget_when_sms_out_is_off() -> None:
    flow = flow_of(state("tell", "send-message", {"sent": None, "failed": "sorry"},
                         body="Thanks!"),
                   state("sorry", "say-play", {"audioComplete": None}, say="Bye"),
                   trigger_event="incomingMessage")
    outbound, asked = refusing("sms_out")

    result = engine().start(flow, Trigger("incomingMessage", SMS),
                            replace(ENV, outbound=outbound), flow_id="FW1", revision=1)

    assert ("tell", "failed") in events(result)
    assert not any(isinstance(v, Message) for v in result.verbs)
    assert result.context.widgets["tell"]["error"] == REASON
    assert any("not sent" in w and "sms_out" in w for w in result.warnings)
    assert asked == ["sms_out"]


def test_a_call_flows_text_to_someone_else_is_not_sent_either() -> None:
    flow = flow_of(state("tell", "send-message", {"sent": None, "failed": None},
                         to="+15550009999", body="New call"))
    outbound, _ = refusing("sms_out")

    result = engine().start(flow, Trigger("incomingCall", CALL),
                            replace(ENV, outbound=outbound), flow_id="FW1", revision=1)

    assert ("tell", "failed") in events(result)
    assert not any(isinstance(e, SendMessage) for e in result.effects)


def test_whatsapp_needs_whatsapp_out_and_sms_stays_on() -> None:
    flow = flow_of(state("tell", "send-message", {"sent": "also", "failed": "also"},
                         to="whatsapp:+15550009999", body="Hi"),
                   state("also", "send-message", {"sent": None, "failed": None},
                         to="+15550009998", body="Hi"))
    outbound, asked = refusing("whatsapp_out")

    result = engine().start(flow, Trigger("incomingCall", CALL),
                            replace(ENV, outbound=outbound), flow_id="FW1", revision=1)

    assert events(result)[-2:] == [("tell", "failed"), ("also", "sent")]
    assert asked == ["whatsapp_out", "sms_out"]


def test_send_and_wait_takes_delivery_failure_when_refused() -> None:
    flow = flow_of(state("ask", "send-and-wait-for-reply",
                         {"incomingMessage": None, "timeout": None, "deliveryFailure": None},
                         body="Reply YES"), trigger_event="incomingMessage")
    outbound, _ = refusing("sms_out")

    result = engine().start(flow, Trigger("incomingMessage", SMS),
                            replace(ENV, outbound=outbound), flow_id="FW1", revision=1)

    assert ("ask", "deliveryFailure") in events(result)
    assert result.status == "ended"
