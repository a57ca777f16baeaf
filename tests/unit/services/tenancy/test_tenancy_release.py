"""A closed tenant's numbers go back after its grace (services/tenancy/release.py), once."""

from __future__ import annotations

from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.services.tenancy import ClosedTenantNumbers

DAY = 86400.0
CLOSED_AT = 1_800_000_000.0


class Store:
    def __init__(self, tenants: list[Tenant], numbers: list[PhoneNumber]) -> None:
        self.tenants = tenants
        self.numbers = {n.number: n for n in numbers}
        self.scans = 0

    def closed_tenants(self) -> list[Tenant]:
        self.scans += 1
        return [t for t in self.tenants if t.status == "closed"]

    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]:
        return [n for n in self.numbers.values() if n.tenant_id == tenant_id]

    def remove_number(self, number: str, tenant_id: str) -> bool:
        found = self.numbers.get(number)
        if found is None or found.tenant_id != tenant_id:
            return False
        del self.numbers[number]
        return True


class Outbox:
    def __init__(self) -> None:
        self.items: dict[str, tuple[str, str, str]] = {}

    def defer(self, event: str, tenant_id: str, account_sid: str, number: str) -> bool:
        key = f"{event}#release:{number}"
        if key in self.items:
            return False
        self.items[key] = (tenant_id, account_sid, number)
        return True


class Clock:
    t = 0.0

    def __call__(self) -> float:
        return self.t


def closed(tenant_id: str, grace: int = 30, status: str = "closed") -> Tenant:
    return Tenant(tenant_id=tenant_id, name=tenant_id, timezone="UTC",
                  twilio_account_sid=f"AC{tenant_id}", twilio_auth_token="tok",
                  status=status, closed_at=CLOSED_AT, release_grace_days=grace)


def world() -> tuple[Store, Outbox]:
    store = Store([closed("tn_a", grace=30), closed("tn_b", grace=3),
                   closed("tn_c", status="suspended")],
                  [PhoneNumber("+15550000001", "tn_a"), PhoneNumber("+15550000002", "tn_b"),
                   PhoneNumber("+15550000003", "tn_b"), PhoneNumber("+15550000004", "tn_c")])
    return store, Outbox()


def test_only_closed_tenants_past_their_grace_lose_their_numbers() -> None:
    store, outbox = world()
    sweep = ClosedTenantNumbers(store, outbox.defer, monotonic=Clock())

    released = sweep.sweep(CLOSED_AT + 3 * DAY, force=True)

    assert released == 2
    assert sorted(outbox.items.values()) == [("tn_b", "ACtn_b", "+15550000002"),
                                             ("tn_b", "ACtn_b", "+15550000003")]
    assert sorted(store.numbers) == ["+15550000001", "+15550000004"]


def test_a_second_sweep_releases_nothing_twice() -> None:
    store, outbox = world()
    sweep = ClosedTenantNumbers(store, outbox.defer, monotonic=Clock())

    sweep.sweep(CLOSED_AT + 31 * DAY, force=True)
    again = sweep.sweep(CLOSED_AT + 32 * DAY, force=True)

    assert again == 0
    assert len(outbox.items) == 3
    assert sorted(store.numbers) == ["+15550000004"]


def test_a_release_recorded_before_a_crash_is_not_recorded_again() -> None:
    store, outbox = world()
    outbox.defer("closed#tn_b", "tn_b", "ACtn_b", "+15550000002")  # a Lambda died here

    ClosedTenantNumbers(store, outbox.defer, monotonic=Clock()).sweep(
        CLOSED_AT + 3 * DAY, force=True)

    assert len(outbox.items) == 2
    assert "+15550000002" not in store.numbers


def test_the_scan_runs_at_most_once_per_period() -> None:
    store, outbox = world()
    clock = Clock()
    sweep = ClosedTenantNumbers(store, outbox.defer, every=3600.0, monotonic=clock)

    sweep.sweep(CLOSED_AT)
    sweep.sweep(CLOSED_AT)
    clock.t = 3599.0
    sweep.sweep(CLOSED_AT)
    assert store.scans == 1
    clock.t = 3600.0
    sweep.sweep(CLOSED_AT)
    assert store.scans == 2
