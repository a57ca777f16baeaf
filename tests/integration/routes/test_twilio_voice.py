"""POST /twilio/voice and /twilio/voice/status through the real app on DynamoDB Local."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

from chalicelib.adapters.dynamo.crm_repository import CrmRepository


def _sid() -> str:
    return "CA" + uuid.uuid4().hex


def _says(twiml: str) -> str:
    root = ET.fromstring(twiml)
    return " ".join((el.text or "") for el in root.iter("Say"))


def test_signed_incoming_call_hears_the_flows_welcome_and_menu(client, line):
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    response = client.http.post("/twilio/voice", body=body, headers=headers)
    assert response.status_code == 200
    twiml = response.body.decode()
    root = ET.fromstring(twiml)
    assert "Thanks for calling Aqua Pure" in _says(twiml)
    gather = root.find("Gather")
    assert gather is not None and "/twilio/voice/flow?" in gather.get("action", "")
    assert "press 2" in ET.tostring(gather, encoding="unicode").lower()
    stored = CrmRepository().get_interaction(line.tenant.tenant_id, call)
    assert stored is not None and stored.contact_phone == "+14155550123"


def test_unsigned_request_is_forbidden(client, line):
    body, headers = line.signed("/twilio/voice", line.call_params(_sid()))
    del headers["X-Twilio-Signature"]
    assert client.http.post("/twilio/voice", body=body, headers=headers).status_code == 403


def test_forged_signature_is_forbidden(client, line):
    body, headers = line.signed("/twilio/voice", line.call_params(_sid()), token="guess")
    assert client.http.post("/twilio/voice", body=body, headers=headers).status_code == 403


def test_duplicate_webhook_has_one_effect_and_the_same_answer(client, line):
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    first = client.http.post("/twilio/voice", body=body, headers=headers).body
    second = client.http.post("/twilio/voice", body=body, headers=headers).body
    assert first == second
    contact_id = CrmRepository().get_interaction(line.tenant.tenant_id, call).contact_id
    contact = CrmRepository().get_contact(line.tenant.tenant_id, contact_id)
    assert contact is not None and contact.interaction_count == 1


def test_number_of_no_tenant_gets_polite_twiml_not_a_500(client, line):
    params = line.call_params(_sid())
    params["To"] = "+19995550000"
    body, headers = line.signed("/twilio/voice", params)
    response = client.http.post("/twilio/voice", body=body, headers=headers)
    assert response.status_code == 200
    assert "not in service" in _says(response.body.decode())


def test_missing_call_sid_gets_polite_twiml(client, line):
    params = line.call_params(_sid())
    del params["CallSid"]
    body, headers = line.signed("/twilio/voice", params)
    response = client.http.post("/twilio/voice", body=body, headers=headers)
    assert response.status_code == 200
    assert "Sorry" in _says(response.body.decode())


def test_malformed_form_body_is_a_400_with_twiml(client, line):
    response = client.http.post("/twilio/voice", body="%%%&&&=",
                                headers={"Content-Type": "application/x-www-form-urlencoded",
                                         "X-Twilio-Signature": "x"})
    assert response.status_code in (400, 403)
    assert response.status_code != 500


def test_callback_for_an_unknown_call_gets_polite_twiml(client, line):
    body, headers = line.signed("/twilio/voice/flow?s=1&w=menu",
                                line.call_params(_sid(), Digits="2"))
    response = client.http.post("/twilio/voice/flow?s=1&w=menu", body=body, headers=headers)
    assert response.status_code == 200
    assert "Sorry" in _says(response.body.decode())


def test_menu_without_a_valid_choice_prompts_again(client, line):
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    first = ET.fromstring(client.http.post("/twilio/voice", body=body, headers=headers).body)
    action = first.find("Gather").get("action")
    path = action[len(line.settings.public_base_url):]
    body, headers = line.signed(path, line.call_params(call, Digits="9"))
    again = client.http.post(path, body=body, headers=headers)
    root = ET.fromstring(again.body)
    assert root.find("Gather") is not None


def test_final_status_callback_is_recorded_once(client, line):
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    client.http.post("/twilio/voice", body=body, headers=headers)
    status = line.call_params(call, CallStatus="completed", CallDuration="12")
    body, headers = line.signed("/twilio/voice/status", status)
    for _ in range(2):
        response = client.http.post("/twilio/voice/status", body=body, headers=headers)
        assert response.status_code == 200
    stored = CrmRepository().get_interaction(line.tenant.tenant_id, call)
    assert stored.status == "completed" and stored.duration_seconds == 12


def _step(client, line, call, twiml: bytes, digits: str) -> ET.Element:
    action = ET.fromstring(twiml).find("Gather").get("action")
    path = action[len(line.settings.public_base_url):]
    body, headers = line.signed(path, line.call_params(call, Digits=digits))
    return ET.fromstring(client.http.post(path, body=body, headers=headers).body)


def test_queue_the_tenant_lacks_takes_the_flows_failed_to_enqueue_path(client, line):
    # This tenant has no routing queues at all: "support" is unknown to the router.
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    first = client.http.post("/twilio/voice", body=body, headers=headers).body
    root = _step(client, line, call, first, "2")
    spoken = " ".join(el.text or "" for el in root.iter("Say"))
    assert root.find("Enqueue") is None
    assert "no one can take your call right now" in spoken
    assert root.find("Record") is not None  # the flow offers voicemail instead


def test_retried_menu_answer_replays_the_same_twiml(client, line):
    call = _sid()
    body, headers = line.signed("/twilio/voice", line.call_params(call))
    first = client.http.post("/twilio/voice", body=body, headers=headers).body
    once = ET.tostring(_step(client, line, call, first, "9"))
    again = ET.tostring(_step(client, line, call, first, "9"))
    assert once == again
