"""A shared number through HTTP with valid X-Twilio-Signatures: the menu greets the
caller, the chosen key forwards the call to that business's own number with the caller's
number as caller ID, and the number's owner records nothing of the call."""

from __future__ import annotations

import json
import time
import uuid
import xml.etree.ElementTree as ET

import pytest

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.adapters.dynamo.flow_repository import ExecutionRepository, FlowRepository
from chalicelib.adapters.dynamo.shared_numbers_repository import SharedNumberRepository
from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.shared_numbers import SharedLine
from tests.integration.conftest import ALWAYS_OPEN, ROOT

CALLER = "+14155550123"


def _business(settings, name: str) -> SharedLine:
    tenant_id = "tn_" + uuid.uuid4().hex[:10]
    repo = TenantRepository(settings)
    repo.save(Tenant(tenant_id=tenant_id, name=name, timezone="UTC",
                     twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="x",
                     created_at=time.time(), profile={"hours": ALWAYS_OPEN}))
    number = "+1628" + str(uuid.uuid4().int)[:7]
    repo.save_number(PhoneNumber(number, tenant_id, flow_id="voice-ivr"))
    return SharedLine(tenant_id, "", number, name)


@pytest.fixture
def menu(settings, line) -> list[SharedLine]:
    """The line's number shared between two businesses: 1 → Aqua Water, 2 → Bright Dental."""
    water = _business(settings, "Aqua Water")
    dental = _business(settings, "Bright Dental")
    lines = [SharedLine(water.tenant_id, "1", water.number, water.name),
             SharedLine(dental.tenant_id, "2", dental.number, dental.name)]
    SharedNumberRepository().set_menu(line.number, lines, "Thanks for calling City Hotline.")
    return lines


def _post(client, line, path: str, params: dict) -> ET.Element:
    body, headers = line.signed(path, params)
    response = client.http.post(path, body=body, headers=headers)
    assert response.status_code == 200, response.body
    return ET.fromstring(response.body)


def _path(line, url: str) -> str:
    return url[len(line.settings.public_base_url):]


def _says(root: ET.Element) -> str:
    return " ".join(el.text or "" for el in root.iter("Say"))


def test_the_caller_hears_the_menu_and_the_owner_records_nothing(client, line, menu):
    # given a shared number; when a call arrives
    call = "CA" + uuid.uuid4().hex
    root = _post(client, line, "/twilio/voice", line.call_params(call))
    # then the greeting and each business's key are said inside a one-digit Gather
    gather = root.find("Gather")
    assert gather is not None and gather.get("numDigits") == "1"
    assert _says(gather) == ("Thanks for calling City Hotline. For Aqua Water, press 1. "
                             "For Bright Dental, press 2.")
    assert _path(line, gather.get("action")) == "/twilio/voice/shared/choice?n=1"
    assert root.find("Redirect").text == gather.get("action")  # no key: counts as wrong
    # and the number's owner has no CRM row and no flow execution for the call
    assert CrmRepository().get_interaction(line.tenant.tenant_id, call) is None
    assert ExecutionRepository(line.settings).get(line.tenant.tenant_id, call) is None


def test_a_key_forwards_the_call_to_that_business_own_number_with_the_caller_id(
        client, line, menu):
    call = "CA" + uuid.uuid4().hex
    root = _post(client, line, "/twilio/voice/shared/choice?n=1",
                 line.call_params(call, Digits="2"))
    dial = root.find("Dial")
    assert dial is not None and dial.get("callerId") == CALLER
    assert dial.find("Number").text == menu[1].number
    assert _path(line, dial.get("action")) == "/twilio/voice/shared/after?d=2"
    assert CrmRepository().get_interaction(line.tenant.tenant_id, call) is None
    assert CrmRepository().get_interaction(menu[1].tenant_id, call) is None


def test_a_wrong_key_repeats_the_menu_then_says_goodbye(client, line, menu):
    call = "CA" + uuid.uuid4().hex
    again = _post(client, line, "/twilio/voice/shared/choice?n=1",
                  line.call_params(call, Digits="7"))
    assert _says(again).startswith("Sorry, that is not one of the options. For Aqua Water")
    assert _path(line, again.find("Gather").get("action")) == "/twilio/voice/shared/choice?n=2"
    silent = _post(client, line, "/twilio/voice/shared/choice?n=2", line.call_params(call))
    assert _path(line, silent.find("Gather").get("action")) == "/twilio/voice/shared/choice?n=3"
    last = _post(client, line, "/twilio/voice/shared/choice?n=3",
                 line.call_params(call, Digits="9"))
    assert last.find("Gather") is None and last.find("Hangup") is not None
    assert "Goodbye" in _says(last)


def test_a_tampered_attempt_count_is_treated_as_the_last_attempt(client, line, menu):
    root = _post(client, line, "/twilio/voice/shared/choice?n=x",
                 line.call_params("CA" + uuid.uuid4().hex, Digits="5"))
    assert root.find("Gather") is None and root.find("Hangup") is not None


def test_after_the_forward_an_answered_call_just_ends_and_an_unanswered_one_apologises(
        client, line, menu):
    call = "CA" + uuid.uuid4().hex
    done = _post(client, line, "/twilio/voice/shared/after?d=1",
                 line.call_params(call, DialCallStatus="completed"))
    assert _says(done) == "" and done.find("Hangup") is not None
    busy = _post(client, line, "/twilio/voice/shared/after?d=1",
                 line.call_params(call, DialCallStatus="busy"))
    assert "Aqua Water cannot take your call" in _says(busy)


def test_a_forged_signature_is_refused(client, line, menu):
    params = line.call_params("CA" + uuid.uuid4().hex, Digits="1")
    body, headers = line.signed("/twilio/voice/shared/choice?n=1", params, token="wrong")
    response = client.http.post("/twilio/voice/shared/choice?n=1", body=body, headers=headers)
    assert response.status_code == 403


def test_a_flow_hand_off_widget_forwards_to_that_business_own_number(
        client, line, settings):
    # given a number shared the older way: its owner's flow is a menu whose
    # hand-off-to-tenant widget names a business listed in the number's shared_tenants
    dental = _business(settings, "Bright Dental")
    doc = json.loads((ROOT / "flows" / "shared-number-menu.json").read_text())
    for state in doc["states"]:
        for variable in state["properties"].get("variables", []):
            if variable["key"] == "tenant_2":
                variable["value"] = dental.tenant_id
    flows = FlowRepository(settings)
    flows.create(line.tenant.tenant_id, "shared-menu", "menu", doc)
    flows.publish(line.tenant.tenant_id, "shared-menu", doc, expected_revision=0)
    TenantRepository(settings).save_number(PhoneNumber(
        line.number, line.tenant.tenant_id, flow_id="shared-menu",
        shared_tenants=(dental.tenant_id,)))
    call = "CA" + uuid.uuid4().hex
    first = _post(client, line, "/twilio/voice", line.call_params(call))
    assert "For Bright Dental, press 2" in _says(first)
    # when the caller presses 2, the flow's words end with a redirect to the forward
    handed = _post(client, line, _path(line, first.find("Gather").get("action")),
                   line.call_params(call, Digits="2"))
    redirect = handed.find("Redirect")
    assert redirect is not None and handed.find("Gather") is None
    assert _path(line, redirect.text) == f"/twilio/voice/shared/forward?t={dental.tenant_id}"
    # then the forward dials the business's own number with the caller's number
    root = _post(client, line, _path(line, redirect.text), line.call_params(call))
    dial = root.find("Dial")
    assert dial is not None and dial.find("Number").text == dental.number
    assert dial.get("callerId") == CALLER
    # and the business's own CRM is untouched until the call reaches its own number
    assert CrmRepository().get_interaction(dental.tenant_id, call) is None


def test_a_hand_off_to_a_business_not_behind_the_number_says_goodbye(client, line, settings):
    stranger = _business(settings, "Not Here Inc")
    root = _post(client, line, f"/twilio/voice/shared/forward?t={stranger.tenant_id}",
                 line.call_params("CA" + uuid.uuid4().hex))
    assert root.find("Dial") is None and root.find("Hangup") is not None


def test_a_flow_callback_naming_another_business_is_refused(client, line):
    call = "CA" + uuid.uuid4().hex
    _post(client, line, "/twilio/voice", line.call_params(call))
    root = _post(client, line, "/twilio/voice/flow?s=3&t=tn_someone_else&w=menu",
                 line.call_params(call, Digits="1"))
    assert "Sorry" in _says(root) and root.find("Hangup") is not None
