"""The operator's shared-number service on fakes: which of a business's numbers takes the
forwarded calls, which businesses may sit behind a menu, and what the operator sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.shared_numbers import SharedLine
from chalicelib.services.shared_numbers.admin import SharedNumberAdmin

NOW = 1_800_000_000.0
SHARED = "+14155550100"


@dataclass
class FakeDirectory:
    """Tenants and numbers in memory, with the menu writes of the repository."""

    tenants: dict[str, Tenant] = field(default_factory=dict)
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)

    def add(self, tenant_id: str, name: str, *numbers: str, **terms: object) -> None:
        self.tenants[tenant_id] = Tenant(tenant_id=tenant_id, name=name, timezone="UTC",
                                         twilio_account_sid="AC" + tenant_id,
                                         twilio_auth_token="t", created_at=0.0,
                                         **terms)  # type: ignore[arg-type]
        for number in numbers:
            self.numbers[number] = PhoneNumber(number, tenant_id)

    def number(self, number: str) -> PhoneNumber | None:
        return self.numbers.get(number)

    def get(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]:
        return [n for n in self.numbers.values() if n.tenant_id == tenant_id]

    def all_numbers(self) -> list[PhoneNumber]:
        return sorted(self.numbers.values(), key=lambda n: n.number)

    def set_menu(self, number: str, menu: Sequence[SharedLine], greeting: str) -> None:
        self.numbers[number] = replace(self.numbers[number], shared_menu=tuple(menu),
                                       greeting=greeting)

    def clear_menu(self, number: str) -> None:
        self.numbers[number] = replace(self.numbers[number], shared_menu=(), greeting=None)


@pytest.fixture
def directory() -> FakeDirectory:
    found = FakeDirectory()
    found.add("tn_city", "City Hotline", SHARED)
    found.add("tn_aqua", "Aqua Water", "+14155550199", "+14155550111")
    found.add("tn_late", "Late Co", "+14155550122", valid_until=NOW - 1)
    return found


def admin(directory: FakeDirectory) -> SharedNumberAdmin:
    return SharedNumberAdmin(directory, directory, lambda: NOW)


def test_the_forward_goes_to_the_business_first_number_and_the_menu_is_stored(
        directory: FakeDirectory) -> None:
    view = admin(directory).share(SHARED, {"tenants": [{"tenant_id": "tn_aqua", "digit": "7"}],
                                           "greeting": "  Welcome.  "})
    assert view["tenants"] == [{"tenant_id": "tn_aqua", "digit": "7",
                                "number": "+14155550111", "name": "Aqua Water"}]
    assert view["greeting"] == "Welcome." and view["owner"]["name"] == "City Hotline"
    stored = directory.numbers[SHARED]
    assert stored.is_shared and stored.shared_menu[0].number == "+14155550111"


def test_an_expired_business_cannot_sit_behind_a_number(directory: FakeDirectory) -> None:
    with pytest.raises(InvalidInput) as refused:
        admin(directory).share(SHARED, {"tenants": [{"tenant_id": "tn_late", "digit": "1"}],
                                        "greeting": "Hi."})
    assert refused.value.path == "tenants[0].tenant_id" and "expired" in refused.value.message
    assert not directory.numbers[SHARED].is_shared


def test_the_platform_itself_is_not_a_business(directory: FakeDirectory) -> None:
    with pytest.raises(InvalidInput) as refused:
        admin(directory).share(SHARED, {"tenants": [{"tenant_id": "_platform", "digit": "1"}],
                                        "greeting": "Hi."})
    assert refused.value.path == "tenants[0].tenant_id"


def test_an_unknown_number_is_not_found(directory: FakeDirectory) -> None:
    with pytest.raises(NotFound):
        admin(directory).unshare("+19995550000")


def test_the_list_shows_every_number_with_its_owner_and_routing_only(
        directory: FakeDirectory) -> None:
    service = admin(directory)
    service.share(SHARED, {"tenants": [{"tenant_id": "tn_aqua", "digit": "1"}],
                           "greeting": "Hi."})
    listed = service.list()["numbers"]
    assert [n["number"] for n in listed] == sorted(directory.numbers)
    shared = next(n for n in listed if n["number"] == SHARED)
    assert shared["shared"] is True and shared["tenants"][0]["tenant_id"] == "tn_aqua"
    plain = service.unshare(SHARED)
    assert plain["shared"] is False and plain["greeting"] is None
    assert not directory.numbers[SHARED].is_shared
