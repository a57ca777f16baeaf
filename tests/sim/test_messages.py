"""SMS and WhatsApp: inbound webhooks with <Message> replies, REST sends, status callbacks."""

from __future__ import annotations

from sim.client import SimClient
from sim.server import SimulatorHandle
from tests.sim.conftest import CALLER, MASTER_SID, rest
from tests.sim.fake_app import FakeApp


def test_a_text_to_a_number_posts_the_sms_url_and_message_replies_go_back(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/sms"] = ("<Response><Message>Thanks, we got it.</Message>"
                          "<Message><Body>An agent will reply soon.</Body></Message></Response>")

    sid = phone.sms(CALLER, number, "Is the shop open?")
    [hit] = app.wait_for("/sms")
    thread = phone.wait_for(lambda: (m := phone.messages(with_=CALLER)) and len(m) == 3 and m)

    assert hit.signature_valid
    assert hit.params["MessageSid"] == hit.params["SmsSid"] == sid and sid.startswith("SM")
    assert hit.params["AccountSid"] == MASTER_SID
    assert hit.params["From"] == CALLER and hit.params["To"] == number
    assert hit.params["Body"] == "Is the shop open?" and hit.params["NumMedia"] == "0"
    assert [(m["direction"], m["body"]) for m in thread] == [
        ("inbound", "Is the shop open?"), ("outbound-reply", "Thanks, we got it."),
        ("outbound-reply", "An agent will reply soon.")]
    assert thread[1]["from"] == number and thread[1]["to"] == CALLER


def test_whatsapp_addresses_work_like_numbers(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/sms"] = "<Response><Message>Hola</Message></Response>"

    phone.sms(f"whatsapp:{CALLER}", f"whatsapp:{number}", "hi")
    [hit] = app.wait_for("/sms")
    reply = phone.wait_for(lambda: [m for m in phone.messages(to=f"whatsapp:{CALLER}")
                                    if m["direction"] == "outbound-reply"])

    assert hit.params["From"] == f"whatsapp:{CALLER}"
    assert hit.params["WaId"] == CALLER.lstrip("+")
    assert reply[0]["from"] == f"whatsapp:{number}"


def test_rest_message_is_recorded_outbound_and_reports_sent_then_delivered(
        simulator: SimulatorHandle, phone: SimClient, app: FakeApp, number: str) -> None:
    created = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Messages.json", {
        "To": CALLER, "From": number, "Body": "Your callback is booked.",
        "StatusCallback": app.url("/sms-status")})
    assert created.status_code == 201, created.text
    body = created.json()
    hits = app.wait_for("/sms-status", count=2)

    assert body["sid"].startswith("SM") and body["status"] == "queued"
    assert body["direction"] == "outbound-api"
    assert [h.params["MessageStatus"] for h in hits] == ["sent", "delivered"]
    assert all(h.params["MessageSid"] == body["sid"] and h.signature_valid for h in hits)
    [sent] = phone.messages(to=CALLER)
    assert sent["body"] == "Your callback is booked." and sent["status"] == "delivered"
    listed = rest(simulator, "GET", f"/Accounts/{MASTER_SID}/Messages.json?To={CALLER}")
    assert [m["sid"] for m in listed.json()["messages"]] == [body["sid"]]


def test_rest_message_from_a_number_the_account_does_not_own_is_refused(
        simulator: SimulatorHandle, number: str) -> None:
    refused = rest(simulator, "POST", f"/Accounts/{MASTER_SID}/Messages.json", {
        "To": CALLER, "From": "+14155559999", "Body": "spoofed"})

    assert refused.status_code == 400
    assert refused.json()["code"] == 21606


def test_a_failing_sms_webhook_is_recorded_on_the_message(
        phone: SimClient, app: FakeApp, number: str) -> None:
    app.routes["/sms"] = (500, "no")

    sid = phone.sms(CALLER, number, "hello?")
    failed = phone.wait_for(lambda: [m for m in phone.messages(from_=CALLER)
                                     if m["sid"] == sid and m["error_code"]])

    assert failed[0]["error_code"] == 11200
