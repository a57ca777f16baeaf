"""FlowAdminService on DynamoDB Local: nothing invalid is published; rollback; binding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.flows.model import FlowInvalid

pytestmark = pytest.mark.ddb

ROOT = Path(__file__).resolve().parents[3]
IVR = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())
BROKEN = json.loads((ROOT / "tests" / "fixtures" / "studio-flows" / "real" /
                     "callback-and-voicemail.json").read_text())
AUTODIALER = json.loads((ROOT / "tests" / "fixtures" / "studio-flows" / "real" /
                         "autodialer.json").read_text())


@pytest.fixture
def service(settings):
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.services.flows import FlowAdminService

    return FlowAdminService(FlowRepository(settings), lambda tenant_id: "AC" + "1" * 32)


def test_create_validate_publish_and_list(service, tenant_id):
    record, issues = service.create(tenant_id, "Main IVR", IVR, flow_id="ivr")

    assert issues == [] and record.published_revision == 0
    assert service.validate(tenant_id, "ivr") == []
    assert service.publish(tenant_id, "ivr", "u1") == 1
    assert [(f.flow_id, f.published_revision) for f in service.list_flows(tenant_id)] == [
        ("ivr", 1)]
    assert [r.published_by for r in service.revisions(tenant_id, "ivr")] == ["u1"]


def test_an_invalid_draft_is_saved_with_its_issues_but_never_published(service, tenant_id):
    service.create(tenant_id, "Imported", IVR, flow_id="imp")
    _, issues = service.save_draft(tenant_id, "imp", BROKEN)

    assert {(i.code, i.severity) for i in issues} == {("placeholder", "error"),
                                                      ("metadata-sid", "warning")}
    with pytest.raises(FlowInvalid) as caught:
        service.publish(tenant_id, "imp")
    assert [(i.code, i.path) for i in caught.value.issues] == [
        ("placeholder", "$.states[1].properties.waitUrl")]
    assert service.revisions(tenant_id, "imp") == []


def test_a_studio_export_with_account_sids_publishes_with_warnings(service, tenant_id):
    service.create(tenant_id, "Autodialer", AUTODIALER, flow_id="dialer")

    revision, warnings = service.publish_with_warnings(tenant_id, "dialer", "u1")

    assert revision == 1
    assert [(w.code, w.state, w.path) for w in warnings] == [
        ("metadata-sid", "enqueue", "$.states[3].properties.workflow_sid")]
    assert service.get(tenant_id, "dialer").published_revision == 1


def test_rollback_publishes_an_old_revision_as_a_new_one(service, tenant_id):
    service.create(tenant_id, "Main IVR", IVR, flow_id="ivr")
    service.publish(tenant_id, "ivr")
    changed = json.loads(json.dumps(IVR))
    changed["states"][1]["properties"]["say"] = "Hello there."
    service.save_draft(tenant_id, "ivr", changed)
    service.publish(tenant_id, "ivr")

    assert service.rollback(tenant_id, "ivr", 1, "u2") == 3

    revisions = service.revisions(tenant_id, "ivr")
    assert [r.revision for r in revisions] == [3, 2, 1]
    assert revisions[0].note == "rollback to revision 1"
    assert revisions[0].definition == IVR


def test_binding_needs_a_published_flow_and_a_known_channel(service, tenant_id):
    from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel

    number = "+1444" + tenant_id[-7:]
    PhoneNumberModel(number, tenant_id=tenant_id).save()
    service.create(tenant_id, "SMS", IVR, flow_id="bot")

    with pytest.raises(Conflict):
        service.bind_number(tenant_id, number, "bot", "sms")
    service.publish(tenant_id, "bot")
    with pytest.raises(InvalidInput):
        service.bind_number(tenant_id, number, "bot", "fax")
    service.bind_number(tenant_id, number, "bot", "whatsapp")

    assert PhoneNumberModel.get(number).sms_flow_id == "bot"
    with pytest.raises(NotFound):
        service.bind_number(tenant_id, "+19999999999", "bot", "voice")


def test_definitions_must_be_objects(service, tenant_id):
    with pytest.raises(InvalidInput):
        service.create(tenant_id, "Bad", ["not", "a", "flow"])
    with pytest.raises(InvalidInput):
        service.create(tenant_id, "", IVR)
