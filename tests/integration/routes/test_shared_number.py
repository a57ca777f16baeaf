"""A shared number: the outsourcer's menu hands each caller to one of its businesses,
whose own flow then runs, keyed to that business, across later webhooks."""

from __future__ import annotations

import json
import time
import uuid
import xml.etree.ElementTree as ET

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.domain.identity import PhoneNumber, Tenant
from tests.integration.conftest import ALWAYS_OPEN, ROOT


def _publish(settings, tenant_id: str, flow_id: str, doc: dict) -> None:
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository

    flows = FlowRepository(settings)
    flows.create(tenant_id, flow_id, flow_id, doc)
    flows.publish(tenant_id, flow_id, doc, expected_revision=0)


def _says(root: ET.Element) -> str:
    return " ".join(el.text or "" for el in root.iter("Say"))


def _post(client, line, path: str, params: dict) -> ET.Element:
    body, headers = line.signed(path, params)
    response = client.http.post(path, body=body, headers=headers)
    assert response.status_code == 200
    return ET.fromstring(response.body)


def _action_path(line, root: ET.Element) -> str:
    return root.find("Gather").get("action")[len(line.settings.public_base_url):]


def test_caller_is_handed_to_the_chosen_business_and_stays_there(client, line, settings):
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    repo = TenantRepository(settings)
    dental = "tn_" + uuid.uuid4().hex[:10]
    repo.save(Tenant(tenant_id=dental, name="Bright Dental", timezone="UTC",
                     twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="x",
                     created_at=time.time(),
                     profile={"hours": ALWAYS_OPEN, "default_flow_id": "voice-ivr"}))
    _publish(settings, dental, "voice-ivr",
             json.loads((ROOT / "flows" / "voice-ivr.json").read_text()))
    menu = json.loads((ROOT / "flows" / "shared-number-menu.json").read_text())
    for state in menu["states"]:
        for variable in state["properties"].get("variables", []):
            if variable["key"] == "tenant_2":
                variable["value"] = dental
    _publish(settings, line.tenant.tenant_id, "shared-menu", menu)
    repo.save_number(PhoneNumber(number=line.number, tenant_id=line.tenant.tenant_id,
                                 flow_id="shared-menu", shared_tenants=(dental,)))

    call = "CA" + uuid.uuid4().hex
    first = _post(client, line, "/twilio/voice", line.call_params(call))
    assert "For Bright Dental, press 2" in _says(first)
    handed = _post(client, line, _action_path(line, first), line.call_params(call, Digits="2"))
    assert "Thanks for calling Bright Dental" in _says(handed)
    assert f"t={dental}" in handed.find("Gather").get("action")
    again = _post(client, line, _action_path(line, handed), line.call_params(call, Digits="9"))
    assert again.find("Gather") is not None  # Bright Dental's own menu prompts again
    assert CrmRepository().get_interaction(dental, call) is not None


def test_a_callback_naming_a_business_not_behind_the_number_is_refused(client, line):
    call = "CA" + uuid.uuid4().hex
    _post(client, line, "/twilio/voice", line.call_params(call))
    root = _post(client, line, "/twilio/voice/flow?s=3&t=tn_someone_else&w=menu",
                 line.call_params(call, Digits="1"))
    assert "Sorry" in _says(root) and root.find("Hangup") is not None
