"""The operator's tenant service against an in-memory store: views, terms, refusals."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Tenant
from chalicelib.domain.tenancy import PERMISSIONS
from chalicelib.services.operator.tenants import TenantOperations

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC).timestamp()
KEEP = object()


class FakeStore:
    """Tenants in memory; ``update_terms`` applies a change as the repository does."""

    def __init__(self, *tenants: Tenant) -> None:
        self.tenants = {t.tenant_id: t for t in tenants}
        self.raw_permissions: dict[str, dict[str, bool] | None] = {
            t.tenant_id: None for t in tenants}
        self.numbers: dict[str, list[PhoneNumber]] = {}
        self.users: dict[str, int] = {}
        self.writes: list[tuple[str, dict[str, object]]] = []
        self.race_once = False  # another writer changes permissions before our first write

    def get(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def all_tenants(self) -> list[Tenant]:
        return list(self.tenants.values())

    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]:
        return self.numbers.get(tenant_id, [])

    def count_users(self, tenant_id: str) -> int:
        return self.users.get(tenant_id, 0)

    def user_counts(self) -> dict[str, int]:
        return dict(self.users)

    def numbers_by_tenant(self) -> dict[str, list[str]]:
        return {t: [n.number for n in ns] for t, ns in self.numbers.items()}

    def stored_permissions(self, tenant_id: str) -> dict[str, bool] | None:
        return self.raw_permissions[tenant_id]

    def update_terms(self, tenant_id: str, changes: Mapping[str, object], *,
                     closed_at: float, permissions_were: object = KEEP) -> None:
        if self.race_once:
            self.race_once = False
            self.raw_permissions[tenant_id] = {"chat": False}
        if permissions_were is not KEEP and permissions_were != self.raw_permissions[tenant_id]:
            raise Conflict("permissions changed")
        self.writes.append((tenant_id, dict(changes)))
        tenant = self.tenants[tenant_id]
        values: dict[str, Any] = dict(changes)
        if "permissions" in values:
            self.raw_permissions[tenant_id] = dict(values["permissions"])  # type: ignore[arg-type]
        if values.get("status") == "closed":
            values["closed_at"] = tenant.closed_at or closed_at
        elif "status" in values:
            values["closed_at"] = None
        self.tenants[tenant_id] = dataclasses.replace(tenant, **values)


def _tenant(tenant_id: str = "t_aqua", **terms: Any) -> Tenant:
    return Tenant(tenant_id=tenant_id, name="Aqua", timezone="America/New_York",
                  twilio_account_sid="AC1", twilio_auth_token="secret", created_at=NOW - 86400,
                  **terms)


def _service(*tenants: Tenant) -> tuple[TenantOperations, FakeStore]:
    store = FakeStore(*tenants)
    return TenantOperations(store, lambda: NOW), store


def test_list_shows_every_tenant_but_the_platform_with_numbers_and_user_counts() -> None:
    # given two tenants and the platform's own row
    service, store = _service(_tenant("t_a"), _tenant("t_b"), _tenant(PLATFORM_TENANT))
    store.numbers["t_a"] = [PhoneNumber("+14155550100", "t_a")]
    store.users["t_a"] = 3
    # when the operator lists tenants
    listed = service.tenants()["tenants"]
    # then the platform is not among them, and each view has numbers and a user count
    assert [t["id"] for t in listed] == ["t_a", "t_b"]
    assert listed[0]["numbers"] == ["+14155550100"] and listed[0]["users"] == 3
    assert listed[1]["numbers"] == [] and listed[1]["users"] == 0


def test_a_view_carries_terms_and_standing_and_nothing_of_the_tenants_customers() -> None:
    service, _ = _service(_tenant(valid_until=NOW + 3600, spending_cap=50.0))
    view = service.read("t_aqua")
    assert set(view) == {"id", "name", "timezone", "status", "valid_until", "permissions",
                         "plan", "spending_cap", "release_grace_days", "seats", "closed_at",
                         "standing", "numbers", "users", "created_at"}
    assert view["valid_until"] == "2026-11-30T13:00:00Z"
    assert view["standing"]["active"] is True and view["spending_cap"] == 50.0
    assert view["permissions"] == {p: True for p in PERMISSIONS}
    assert "twilio_auth_token" not in str(view) and "secret" not in str(view)


def test_reading_an_unknown_tenant_or_the_platform_is_not_found() -> None:
    service, _ = _service(_tenant())
    with pytest.raises(NotFound):
        service.read("t_nobody")
    with pytest.raises(NotFound):
        service.read(PLATFORM_TENANT)


def test_suspending_a_tenant_makes_its_standing_inactive_with_the_reason() -> None:
    service, store = _service(_tenant())
    view = service.change("t_aqua", {"status": "suspended"})
    assert view["status"] == "suspended"
    assert view["standing"]["active"] is False and view["standing"]["reason"] == "suspended"
    assert store.writes == [("t_aqua", {"status": "suspended"})]


def test_closing_stamps_closed_at_once_and_reopening_clears_it() -> None:
    # given a tenant closed an hour ago
    service, store = _service(_tenant(status="closed", closed_at=NOW - 3600))
    # when it is closed again, the first closing time stays
    assert service.change("t_aqua", {"status": "closed"})["closed_at"] == "2026-11-30T11:00:00Z"
    # and when it is reactivated, closed_at is gone
    view = service.change("t_aqua", {"status": "active"})
    assert view["closed_at"] is None and store.tenants["t_aqua"].closed_at is None


def test_closing_an_open_tenant_stamps_now_and_the_release_follows_the_grace() -> None:
    service, _ = _service(_tenant())
    view = service.change("t_aqua", {"status": "closed", "release_grace_days": 10})
    assert view["closed_at"] == "2026-11-30T12:00:00Z"
    assert view["standing"]["numbers_released_at"] == "2026-12-10T12:00:00Z"


def test_a_bare_date_means_valid_through_that_day_in_the_tenants_time_zone() -> None:
    service, store = _service(_tenant())
    view = service.change("t_aqua", {"valid_until": "2026-12-31"})
    # midnight after Dec 31 in New York is 05:00 UTC on Jan 1
    assert view["valid_until"] == "2027-01-01T05:00:00Z"
    assert store.tenants["t_aqua"].valid_until == datetime(2027, 1, 1, 5, tzinfo=UTC).timestamp()


def test_a_validity_in_the_past_makes_the_tenant_expired_and_null_removes_it() -> None:
    service, store = _service(_tenant())
    view = service.change("t_aqua", {"valid_until": "2026-11-01T00:00:00Z"})
    assert view["standing"]["reason"] == "expired"
    view = service.change("t_aqua", {"valid_until": None})
    assert view["valid_until"] is None and view["standing"]["active"] is True
    assert store.writes[-1] == ("t_aqua", {"valid_until": None})


@pytest.mark.parametrize(("body", "path"), [
    ({"valid_until": "next tuesday"}, "valid_until"),
    ({"valid_until": 5}, "valid_until"),
    ({"valid_until": "9999-12-31"}, "valid_until"),
    ({"status": "paused"}, "status"),
    ({"permissions": {"fax_out": True}}, "permissions.fax_out"),
    ({"permissions": {"sms_out": "no"}}, "permissions.sms_out"),
    ({"spending_cap": -1}, "spending_cap"),
    ({"release_grace_days": 1.5}, "release_grace_days"),
    ({"seats": -2}, "seats"),
    ({"plan": "gold"}, "plan"),
    ({"plan": {"name": "x", "monthly_fee": "lots"}}, "plan"),
    ({"colour": "red"}, "colour"),
])
def test_bad_terms_are_refused_naming_the_field_and_nothing_is_written(
        body: dict[str, Any], path: str) -> None:
    service, store = _service(_tenant())
    with pytest.raises(InvalidInput) as refused:
        service.change("t_aqua", body)
    assert refused.value.path == path
    assert store.writes == []


def test_switching_one_permission_keeps_the_others() -> None:
    # given a tenant whose WhatsApp out is already off
    service, store = _service(_tenant())
    service.change("t_aqua", {"permissions": {"whatsapp_out": False}})
    # when SMS out is switched off too
    view = service.change("t_aqua", {"permissions": {"sms_out": False}})
    # then both are off, every other medium is on, and the full map is stored
    off = {name for name, on in view["permissions"].items() if not on}
    assert off == {"whatsapp_out", "sms_out"}
    assert store.raw_permissions["t_aqua"] == view["permissions"]


def test_a_permission_edit_that_races_another_rereads_and_keeps_both() -> None:
    # given another operator switches chat off just before our write
    service, store = _service(_tenant())
    store.race_once = True
    # when we switch voice out off
    view = service.change("t_aqua", {"permissions": {"voice_out": False}})
    # then our compare-and-set lost once, re-read, and both edits survive
    assert view["permissions"]["voice_out"] is False and view["permissions"]["chat"] is False
    assert len(store.writes) == 1


def test_plan_cap_grace_and_seats_are_written_together_in_one_update() -> None:
    service, store = _service(_tenant())
    plan = {"name": "Shops", "currency": "USD", "monthly_fee": 20, "monthly_minimum": 25,
            "prices": {"voice_in_minutes": 0.01}, "included": {"voice_in_minutes": 500}}
    view = service.change("t_aqua", {"plan": plan, "spending_cap": 80, "seats": 5,
                                     "release_grace_days": 14})
    assert view["plan"] == plan and view["spending_cap"] == 80 and view["seats"] == 5
    assert view["release_grace_days"] == 14
    assert store.writes == [("t_aqua", {"plan": plan, "spending_cap": 80, "seats": 5,
                                        "release_grace_days": 14})]
    # and null plan and cap go back to the default plan and no cap
    view = service.change("t_aqua", {"plan": None, "spending_cap": None})
    assert view["plan"] is None and view["spending_cap"] is None


def test_an_empty_change_writes_nothing() -> None:
    service, store = _service(_tenant())
    assert service.change("t_aqua", {})["id"] == "t_aqua"
    assert store.writes == []


def test_a_spending_cap_is_kept_in_cents() -> None:
    service, store = _service(_tenant())
    assert service.change("t_aqua", {"spending_cap": 80.129})["spending_cap"] == 80.13
    assert service.change("t_aqua", {"spending_cap": 1e-300})["spending_cap"] == 0.0
    assert store.writes[-1] == ("t_aqua", {"spending_cap": 0.0})
