"""The CRM on DynamoDB Local: contacts by number, interactions with first-writer timings."""

from __future__ import annotations

import pytest

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.domain.errors import NotFound
from chalicelib.services.crm import CrmService


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_call_journey_records_wait_talk_agent_and_wrapup(settings, tenant_id):
    clock = Clock()
    crm = CrmService(CrmRepository(), clock)
    crm.record_started(tenant_id, "CA1", "+15550001111", "+15559990000", "voice", "inbound")
    clock.now = 1_010.0
    crm.record_queued(tenant_id, "CA1", "support", "tk_1")
    clock.now = 1_025.0
    crm.record_answered(tenant_id, "CA1", "u_agent")
    clock.now = 1_085.0
    crm.record_ended(tenant_id, "CA1", "completed", 85)
    crm.record_wrapup(tenant_id, "CA1", "u_agent", "resolved", "Ordered 3 jugs")

    contact = crm.find_contact(tenant_id, "+1 555 000 1111")
    [found] = crm.interactions_of(tenant_id, contact.contact_id)
    view = found.to_public()
    assert view["queue_wait_seconds"] == 15.0
    assert view["talk_seconds"] == 60.0
    assert view["agent_id"] == "u_agent"
    assert view["disposition"] == "resolved"
    assert view["status"] == "completed" and view["outcome"] == "completed"
    assert contact.interaction_count == 1


def test_repeated_callbacks_keep_the_first_timings(settings, tenant_id):
    clock = Clock()
    crm = CrmService(CrmRepository(), clock)
    crm.record_started(tenant_id, "CA2", "+15550002222", None, "voice", "inbound")
    crm.record_answered(tenant_id, "CA2", "u_a")
    clock.now = 2_000.0
    again = crm.record_answered(tenant_id, "CA2", "u_b")
    assert again.answered_at == 1_000.0 and again.agent_id == "u_a"


def test_abandoned_call_in_queue_is_recorded_as_abandoned(settings, tenant_id):
    crm = CrmService(CrmRepository(), Clock())
    crm.record_started(tenant_id, "CA3", "+15550003333", None, "voice", "inbound")
    crm.record_queued(tenant_id, "CA3", "support", "tk_3")
    assert crm.record_ended(tenant_id, "CA3", "completed", 40).final_outcome == "abandoned"


def test_the_same_interaction_is_recorded_once(settings, tenant_id):
    crm = CrmService(CrmRepository(), Clock())
    crm.record_started(tenant_id, "CA4", "+15550004444", None, "voice", "inbound")
    crm.record_started(tenant_id, "CA4", "+15550004444", None, "voice", "inbound")
    assert crm.find_contact(tenant_id, "+15550004444").interaction_count == 1


def test_unknown_interaction_and_contact_are_not_found(settings, tenant_id):
    crm = CrmService(CrmRepository(), Clock())
    with pytest.raises(NotFound):
        crm.record_answered(tenant_id, "CA-missing", "u")
    with pytest.raises(NotFound):
        crm.find_contact(tenant_id, "+15550009999")


def test_wrapup_needs_a_disposition(settings, tenant_id):
    from chalicelib.domain.errors import InvalidInput

    crm = CrmService(CrmRepository(), Clock())
    crm.record_started(tenant_id, "CA5", "+15550005555", None, "voice", "inbound")
    with pytest.raises(InvalidInput, match="disposition"):
        crm.record_wrapup(tenant_id, "CA5", "u", "  ", "")


def test_agent_connecting_after_the_caller_hung_up_leaves_the_call_abandoned(settings,
                                                                           tenant_id):
    clock = Clock()
    crm = CrmService(CrmRepository(), clock)
    crm.record_started(tenant_id, "CA6", "+15550006666", None, "voice", "inbound")
    crm.record_queued(tenant_id, "CA6", "support", "tk_6")
    clock.now = 1_020.0
    crm.record_ended(tenant_id, "CA6", "completed", 20)
    clock.now = 1_021.0
    late = crm.record_answered(tenant_id, "CA6", "u_late")
    assert late.final_outcome == "abandoned"
    assert late.answered_at is None and late.talk_seconds is None
    assert late.queue_wait_seconds == 20.0
