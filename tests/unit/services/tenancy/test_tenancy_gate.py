"""The tenant gate (services/tenancy/gate.py) with in-memory tenants and spend."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.domain.errors import NotFound, Unavailable
from chalicelib.domain.identity import PLATFORM_TENANT, Principal, Role, Tenant
from chalicelib.domain.tenancy import (
    ALL_ON,
    DEFAULT_MESSAGES,
    PermissionOff,
    SpendingCapReached,
    TenantInactive,
)
from chalicelib.services.tenancy import INBOUND_OFF, TenantGate, VisitorRefused

NOW = 1_800_000_000.0


class Tenants:
    def __init__(self, *tenants: Tenant) -> None:
        self.rows = {t.tenant_id: t for t in tenants}
        self.reads = 0

    def get(self, tenant_id: str) -> Tenant | None:
        self.reads += 1
        return self.rows.get(tenant_id)


class Spend:
    def __init__(self, spent: float = 0.0, fail: bool = False) -> None:
        self.amount = spent
        self.fail = fail
        self.asked: list[tuple[str, float]] = []

    def spent(self, tenant_id: str, now: float) -> float:
        self.asked.append((tenant_id, now))
        if self.fail:
            raise Unavailable("usage table throttled")
        return self.amount


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def tenant(**terms: object) -> Tenant:
    base = Tenant(tenant_id="tn_a", name="Aqua", timezone="UTC", twilio_account_sid="AC1",
                  twilio_auth_token="tok")
    return replace(base, **terms)  # type: ignore[arg-type]


def gate(*tenants: Tenant, spend: Spend | None = None,
         monotonic: Clock | None = None) -> TenantGate:
    return TenantGate(Tenants(*tenants), spend=lambda: spend, clock=lambda: NOW,
                      monotonic=monotonic or Clock())


WHO = Principal("tn_a", "u_1", Role.AGENT)


# --- API writes -----------------------------------------------------------------------
def test_an_active_tenants_writes_pass() -> None:
    gate(tenant()).require_writable(WHO)


def test_a_suspended_tenants_writes_are_refused_with_the_reason() -> None:
    with pytest.raises(TenantInactive) as raised:
        gate(tenant(status="suspended")).require_writable(WHO)

    assert raised.value.reason == "suspended"


def test_an_expired_tenants_writes_are_refused() -> None:
    with pytest.raises(TenantInactive, match="expired"):
        gate(tenant(valid_until=NOW - 60)).require_writable(WHO, NOW)


def test_the_operator_and_a_vanished_tenant_are_not_judged_by_the_gate() -> None:
    the_gate = gate(tenant(status="closed"))

    the_gate.require_writable(Principal(PLATFORM_TENANT, "op", Role.OPERATOR))
    the_gate.require_writable(Principal("tn_gone", "u", Role.OWNER))


def test_writes_read_the_tenant_once_per_ttl_then_again() -> None:
    tenants = Tenants(tenant())
    monotonic = Clock()
    the_gate = TenantGate(tenants, ttl=5.0, clock=lambda: NOW, monotonic=monotonic)

    for _ in range(10):
        the_gate.require_writable(WHO)
    assert tenants.reads == 1

    tenants.rows["tn_a"] = tenant(status="suspended")
    monotonic.t = 5.5
    with pytest.raises(TenantInactive):
        the_gate.require_writable(WHO)
    assert tenants.reads == 2


# --- outbound ---------------------------------------------------------------------------
def test_outbound_checks_activity_first_then_the_permission_then_the_cap() -> None:
    spend = Spend(spent=500.0)
    everything_wrong = tenant(status="suspended", permissions={**ALL_ON, "sms_out": False},
                              spending_cap=10.0)
    only_off_and_capped = replace(everything_wrong, status="active")
    only_capped = replace(only_off_and_capped, permissions=dict(ALL_ON))

    with pytest.raises(TenantInactive):
        gate(everything_wrong, spend=spend).require_outbound(everything_wrong, "sms_out")
    with pytest.raises(PermissionOff) as off:
        gate(spend=spend).require_outbound(only_off_and_capped, "sms_out")
    with pytest.raises(SpendingCapReached) as capped:
        gate(spend=spend).require_outbound(only_capped, "sms_out")

    assert off.value.permission == "sms_out"
    assert (capped.value.cap, capped.value.spent) == (10.0, 500.0)
    assert spend.asked == [("tn_a", NOW)]


def test_outbound_under_the_cap_or_without_one_passes_and_reads_spend_only_with_a_cap() -> None:
    spend = Spend(spent=9.99)

    gate(spend=spend).require_outbound(tenant(), "voice_out")
    assert spend.asked == []
    gate(spend=spend).require_outbound(tenant(spending_cap=10.0), "voice_out")
    assert len(spend.asked) == 1


def test_outbound_by_tenant_id_reads_the_tenant_and_refuses_an_unknown_one() -> None:
    the_gate = gate(tenant(permissions={**ALL_ON, "voice_out": False}))

    with pytest.raises(PermissionOff, match="voice_out"):
        the_gate.require_outbound("tn_a", "voice_out")
    with pytest.raises(NotFound):
        the_gate.require_outbound("tn_nobody", "voice_out")


def test_a_spend_that_cannot_be_read_does_not_block_the_business(
        caplog: pytest.LogCaptureFixture) -> None:
    gate(spend=Spend(fail=True)).require_outbound(tenant(spending_cap=1.0), "sms_out")

    assert "could not be read" in caplog.text


def test_outbound_refusal_is_the_reason_as_text_for_a_flow_widget(
        caplog: pytest.LogCaptureFixture) -> None:
    the_gate = gate()

    reason = the_gate.outbound_refusal(tenant(permissions={**ALL_ON, "sms_out": False}),
                                       "sms_out")

    assert reason is not None and "sms_out" in reason
    assert "sms_out refused" in caplog.text
    assert the_gate.outbound_refusal(tenant(), "sms_out") is None


# --- inbound ----------------------------------------------------------------------------
def test_an_active_tenant_with_the_medium_on_takes_the_contact() -> None:
    assert gate().inbound(tenant(), "voice_in") is None


def test_an_inactive_tenant_answers_with_its_own_message_or_the_default() -> None:
    the_gate = gate()

    assert the_gate.inbound(tenant(status="suspended", messages={"suspended": "Paused."}),
                            "voice_in") == "Paused."
    assert the_gate.inbound(tenant(status="closed"), "sms_in") == DEFAULT_MESSAGES["closed"]
    assert the_gate.inbound(tenant(valid_until=NOW), "whatsapp_in") == \
        DEFAULT_MESSAGES["expired"]


def test_an_inactive_tenant_replies_to_texts_even_with_its_medium_off() -> None:
    suspended = tenant(status="suspended", permissions={**ALL_ON, "sms_in": False,
                                                        "sms_out": False})

    assert gate().inbound(suspended, "sms_in") == DEFAULT_MESSAGES["suspended"]


def test_a_medium_that_is_off_gets_its_polite_refusal() -> None:
    off = tenant(permissions={**ALL_ON, "voice_in": False, "sms_in": False})

    assert gate().inbound(off, "voice_in") == INBOUND_OFF["voice_in"]
    assert gate().inbound(off, "sms_in") == INBOUND_OFF["sms_in"]
    assert gate().inbound(off, "whatsapp_in") is None


def test_a_text_whose_reply_medium_is_off_too_gets_no_reply() -> None:
    off = tenant(permissions={**ALL_ON, "whatsapp_in": False, "whatsapp_out": False})

    assert gate().inbound(off, "whatsapp_in") == ""


def test_chat_visitors_are_refused_with_a_message_the_widget_shows() -> None:
    with pytest.raises(VisitorRefused) as inactive:
        gate().visitor_refusal(tenant(status="suspended",
                                      messages={"suspended": "Closed for a while."}))
    with pytest.raises(VisitorRefused) as off:
        gate().visitor_refusal(tenant(permissions={**ALL_ON, "chat": False}))

    assert (inactive.value.error_code, inactive.value.message) == \
        ("tenant_inactive", "Closed for a while.")
    assert (off.value.error_code, off.value.message) == ("permission_off", INBOUND_OFF["chat"])
    gate().visitor_refusal(tenant())  # an active tenant with chat on: no error
