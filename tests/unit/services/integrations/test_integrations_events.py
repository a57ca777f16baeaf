"""Which CRM interactions count as completed for the interaction.completed webhook."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.crm import Interaction
from chalicelib.services.integrations.events import completed

BASE = Interaction(tenant_id="tn_1", interaction_id="int_1", contact_id="ct_1",
                   contact_phone="+14155550100", channel="voice", direction="inbound",
                   status="in-progress", started_at=1000.0, business_number="+14155550199")


@pytest.mark.parametrize(("changes", "done"), [
    ({}, False),  # a call still in progress
    ({"ended_at": 1100.0}, True),  # nobody answered: it ended, so it is complete
    ({"ended_at": 1100.0, "answered_at": 1010.0, "agent_id": "u_1"}, False),  # wrap-up due
    ({"ended_at": 1100.0, "answered_at": 1010.0, "agent_id": "u_1",
      "wrapped_up_at": 1150.0}, True),
    ({"channel": "sms"}, False),  # a thread still open
    ({"channel": "sms", "agent_id": "u_1", "wrapped_up_at": 1150.0}, True),
    ({"channel": "chat", "agent_id": "u_1", "wrapped_up_at": 1150.0}, True),
    ({"channel": "voice", "wrapped_up_at": 1150.0}, False),  # a call completes on its end
])
def test_a_call_completes_when_it_ends_and_a_thread_when_it_is_wrapped_up(
        changes: dict[str, object], done: bool) -> None:
    assert completed(replace(BASE, **changes)) is done  # type: ignore[arg-type]
