"""A signup that fails after buying its number gives the number back: checked in the
carrier simulator's own books, through the real Twilio client (DynamoDB Local)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.twilio.carrier import TwilioAccounts
from chalicelib.config import Settings
from chalicelib.domain.errors import Unavailable
from chalicelib.domain.identity import Tenant
from chalicelib.services.onboarding import Onboarding
from sim.server import SimulatorHandle, start_simulator

PLATFORM = ("AC" + "7" * 32, "platform-token-for-release-tests")


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SimulatorHandle]:
    handle = start_simulator(0, tmp_path / "sim", account_sid=PLATFORM[0],
                             auth_token=PLATFORM[1], time_scale=0.05)
    try:
        yield handle
    finally:
        handle.stop()


def _numbers(simulator: SimulatorHandle, account: tuple[str, str]) -> list[str]:
    listed = requests.get(
        f"{simulator.url}/2010-04-01/Accounts/{account[0]}/IncomingPhoneNumbers.json",
        auth=account, timeout=10).json()
    return [n["phone_number"] for n in listed["incoming_phone_numbers"]]


class PlainHasher:
    def hash(self, password: str) -> str:
        return "plain:" + password


def test_a_failed_signup_leaves_no_paid_number_in_the_carriers_books(
        settings: Settings, test_environ: dict[str, str], simulator: SimulatorHandle) -> None:
    # given the real carrier adapter pointed at the simulator, and a provisioner that fails
    carrier_settings = Settings.from_environ({
        **test_environ, "TWILIO_API_BASE": simulator.url, "TWILIO_ACCOUNT_SID": PLATFORM[0],
        "TWILIO_AUTH_TOKEN": PLATFORM[1]})
    accounts, repo = TwilioAccounts(carrier_settings), TenantRepository(settings)
    seen: list[Tenant] = []

    def failing(tenant: Tenant, users: Any) -> dict[str, Any]:
        seen.append(tenant)
        assert _numbers(simulator, (tenant.twilio_account_sid, tenant.twilio_auth_token))
        raise Unavailable("default flows: DynamoDB is throttling")

    email = f"sim-{uuid.uuid4().hex[:8]}@example.com"
    # when the business signs up and provisioning fails after the number was bought
    with pytest.raises(Unavailable):
        Onboarding(carrier_settings, repo, accounts, PlainHasher(), [failing]).sign_up({
            "business_name": "Crystal Springs", "name": "Cam", "email": email,
            "password": "long-enough-pw", "area_code": "415"})
    # then the subaccount holds no number any more, and no tenant was left behind
    [tenant] = seen
    assert _numbers(simulator, (tenant.twilio_account_sid, tenant.twilio_auth_token)) == []
    assert repo.get(tenant.tenant_id) is None
    assert repo.user_by_email(email) is None


class ReleaseRefused(TwilioAccounts):
    """The carrier refuses the signup's own release (a 5xx), as Twilio sometimes does."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.refused = 0

    def release_number(self, account_sid: str, auth_token: str, number: str) -> None:
        self.refused += 1
        raise Unavailable("release number: Twilio answered 503")


def test_a_release_the_carrier_refuses_is_completed_by_the_sweep(
        settings: Settings, test_environ: dict[str, str], simulator: SimulatorHandle) -> None:
    from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository
    from chalicelib.services.outbox import Outbox

    # given a carrier that refuses the first release, and the outbox as the sweep's queue
    carrier_settings = Settings.from_environ({
        **test_environ, "TWILIO_API_BASE": simulator.url, "TWILIO_ACCOUNT_SID": PLATFORM[0],
        "TWILIO_AUTH_TOKEN": PLATFORM[1]})
    accounts, repo = ReleaseRefused(carrier_settings), TenantRepository(settings)
    outbox = Outbox(OutboxRepository())
    outbox.register("release_number", lambda item: accounts.release_number_as_platform(
        item.payload["account_sid"], item.payload["number"]), at_most_once=False)
    seen: list[Tenant] = []

    def failing(tenant: Tenant, users: Any) -> dict[str, Any]:
        seen.append(tenant)
        raise Unavailable("default flows: DynamoDB is throttling")

    def release_later(tenant_id: str, account_sid: str, number: str) -> None:
        outbox.defer(f"signup#{tenant_id}", f"release:{number}", tenant_id, "release_number",
                     {"account_sid": account_sid, "number": number})

    onboarding = Onboarding(carrier_settings, repo, accounts, PlainHasher(), [failing],
                            release_later=release_later)
    # when the signup fails and the carrier refuses to take the number back
    with pytest.raises(Unavailable):
        onboarding.sign_up({"business_name": "Blue Well", "name": "Bo",
                            "email": f"sweep-{uuid.uuid4().hex[:8]}@example.com",
                            "password": "long-enough-pw", "area_code": "415"})
    [tenant] = seen
    account = (tenant.twilio_account_sid, tenant.twilio_auth_token)
    assert accounts.refused == 1
    assert len(_numbers(simulator, account)) == 1
    # then the outbox keeps no tenant secret, and the next sweep releases the number with
    # the platform's credentials on the subaccount
    [item] = [i for i in OutboxRepository().due(outbox.clock() + 1)
              if i.tenant_id == tenant.tenant_id]
    assert set(item.payload) == {"account_sid", "number"}
    report = outbox.sweep()
    assert report.done >= 1
    assert _numbers(simulator, account) == []
    assert all(item.kind != "release_number" or item.tenant_id != tenant.tenant_id
               for item in OutboxRepository().due(outbox.clock() + 3600))
