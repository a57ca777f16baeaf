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
