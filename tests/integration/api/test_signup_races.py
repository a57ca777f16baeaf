"""Signup and profile races on DynamoDB Local, with real threads: no read-then-write."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict, Unavailable
from chalicelib.domain.identity import Principal, Role, Tenant, User
from chalicelib.services.onboarding import Onboarding
from chalicelib.services.tenant_admin import TenantAdmin


class FakeCarrier:
    """Subaccounts and numbers as Twilio keeps them: bought numbers stay until released."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.numbers: dict[str, str] = {}  # number -> account sid
        self.released: list[str] = []

    def create_subaccount(self, friendly_name: str) -> tuple[str, str]:
        return "AC" + uuid.uuid4().hex, "sub-token"

    def buy_number(self, account_sid: str, auth_token: str, country: str,
                   area_code: str | None, voice_url: str, sms_url: str,
                   status_callback: str) -> str:
        number = "+1415" + str(uuid.uuid4().int)[:7]
        with self.lock:
            self.numbers[number] = account_sid
        return number

    def release_number(self, account_sid: str, auth_token: str, number: str) -> None:
        with self.lock:
            assert self.numbers.pop(number) == account_sid
            self.released.append(number)


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain:" + password


def _form(email: str, business: str = "Crystal Springs") -> dict[str, Any]:
    return {"business_name": business, "name": "Cam", "email": email,
            "password": "long-enough-pw", "timezone": "Europe/London"}


def _race(count: int, attempt: Callable[[int], Any]) -> list[Any]:
    """Run ``attempt`` ``count`` times at once; each result or the error it raised."""
    start = threading.Barrier(count)

    def one(index: int) -> Any:
        start.wait()
        try:
            return attempt(index)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def _no_provisioning(tenant: Tenant, users: Any) -> dict[str, Any]:
    return {}


@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_signups_with_one_email_exactly_one_wins(settings: Settings,
                                                                 attempt: int) -> None:
    # given two people signing up with the same email at the same moment
    repo, carrier = TenantRepository(settings), FakeCarrier()
    onboarding = Onboarding(settings, repo, carrier, PlainHasher(), [_no_provisioning])
    email = f"race-{uuid.uuid4().hex[:8]}@example.com"
    # when both submit
    results = _race(2, lambda i: onboarding.sign_up(_form(email, f"Business {i}")))
    # then exactly one business exists for that email, the other is told it is taken
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    assert not unexpected
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1
    assert "already registered" in losers[0].message
    owner = repo.user_by_email(email)
    assert owner is not None and owner.tenant_id == winners[0].tenant.tenant_id
    # and the loser's number went back, if it had bought one
    assert list(carrier.numbers) == [winners[0].number]


def test_two_concurrent_added_users_with_one_email_exactly_one_is_stored(
        settings: Settings, tenant_id: str) -> None:
    repo = TenantRepository(settings)
    onboarding = Onboarding(settings, repo, FakeCarrier(), PlainHasher(), [])
    admin = Principal(tenant_id, "u_admin", Role.ADMIN)
    email = f"agent-{uuid.uuid4().hex[:8]}@example.com"
    results = _race(2, lambda i: onboarding.add_user(admin, {
        "name": f"Agent {i}", "email": email, "password": "long-enough-pw"}))
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "User"]
    assert [u.email for u in repo.list_users(tenant_id)] == [email]


def test_concurrent_profile_updates_of_different_fields_both_survive(
        settings: Settings, tenant_id: str) -> None:
    # given a business with default hours and no holidays
    repo = TenantRepository(settings)
    repo.save(Tenant(tenant_id=tenant_id, name="Aqua", timezone="UTC",
                     twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                     created_at=time.time(),
                     profile={"hours": {"mon": [["08:00", "18:00"]]}, "holidays": [],
                              "number": "+14155550100", "default_flow_id": "voice-ivr"}))
    admin = TenantAdmin(None, repo, None, None)  # type: ignore[arg-type]
    who = Principal(tenant_id, "u_owner", Role.OWNER)
    changes = [{"hours": {"sat": [["10:00", "14:00"]]}}, {"holidays": ["2026-12-25"]},
               {"timezone": "America/Chicago"}]
    # when three admins each change a different field at the same moment
    results = _race(len(changes), lambda i: admin.update(who, changes[i]))
    # then every change is there, and what signup stored beside them is untouched
    assert not [r for r in results if isinstance(r, Exception)]
    tenant = repo.get(tenant_id)
    assert tenant is not None
    assert tenant.profile["hours"] == {"sat": [["10:00", "14:00"]]}
    assert tenant.profile["holidays"] == ["2026-12-25"]
    assert tenant.timezone == "America/Chicago"
    assert tenant.profile["number"] == "+14155550100"
    assert tenant.profile["default_flow_id"] == "voice-ivr"


def test_updating_a_business_that_does_not_exist_is_404(settings: Settings) -> None:
    admin = TenantAdmin(None, TenantRepository(settings), None, None)  # type: ignore[arg-type]
    from chalicelib.domain.errors import NotFound

    with pytest.raises(NotFound):
        admin.update(Principal("tn_missing" + uuid.uuid4().hex[:6], "u", Role.OWNER),
                     {"holidays": []})


def test_a_signup_whose_provisioning_fails_releases_its_number_and_leaves_no_tenant(
        settings: Settings) -> None:
    # given a provisioner that fails after the number is bought and the tenant written
    repo, carrier = TenantRepository(settings), FakeCarrier()

    def failing(tenant: Tenant, users: Any) -> dict[str, Any]:
        raise Unavailable("default flows: DynamoDB is throttling")

    email = f"fail-{uuid.uuid4().hex[:8]}@example.com"
    # when the business signs up
    with pytest.raises(Unavailable):
        Onboarding(settings, repo, carrier, PlainHasher(), [failing]).sign_up(_form(email))
    # then the number it bought is released, and no tenant, user or email claim is left
    assert carrier.numbers == {} and len(carrier.released) == 1
    assert repo.user_by_email(email) is None
    # so the same email can sign up again once the fault is gone
    done = Onboarding(settings, repo, carrier, PlainHasher(), [_no_provisioning]).sign_up(
        _form(email))
    assert list(carrier.numbers) == [done.number]
    assert repo.number(done.number) is not None


def test_a_signup_whose_user_hook_fails_releases_its_number(settings: Settings) -> None:
    repo, carrier = TenantRepository(settings), FakeCarrier()

    def hook(user: User, body: dict[str, Any]) -> None:
        raise RuntimeError("routing profile could not be written")

    email = f"hook-{uuid.uuid4().hex[:8]}@example.com"
    onboarding = Onboarding(settings, repo, carrier, PlainHasher(), [_no_provisioning],
                            user_hooks=[hook])
    with pytest.raises(RuntimeError):
        onboarding.sign_up(_form(email))
    assert carrier.numbers == {} and repo.user_by_email(email) is None
