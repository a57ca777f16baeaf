"""Voice tokens: the real mode's access token decodes with the tenant's API key secret;
the key and TwiML App are made once; local mode names the simulator."""

from __future__ import annotations

import time

import jwt
import pytest

from chalicelib.adapters.twilio.voice_token import access_token
from chalicelib.domain.calls.voice import VoiceCredentials
from chalicelib.domain.identity import Principal, Role, Tenant, User
from chalicelib.services.calls.ports import CallUrls
from chalicelib.services.calls.voice_token import VoiceTokens

ACCOUNT = "AC" + "a" * 32
SECRET = "s3cr3t-" + "x" * 25
CREDS = VoiceCredentials("SK" + "b" * 32, SECRET, "AP" + "c" * 32)


class FakeTenants:
    def __init__(self) -> None:
        self.tenant = Tenant("tn_1", "Aqua", "UTC", ACCOUNT, "tok")
        self.voice: VoiceCredentials | None = None
        self.saves = 0

    def get(self, tenant_id: str) -> Tenant | None:
        return self.tenant if tenant_id == "tn_1" else None

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        return None

    def voice_credentials(self, tenant_id: str) -> VoiceCredentials | None:
        return self.voice

    def save_voice_credentials(self, tenant_id: str, creds: VoiceCredentials
                               ) -> VoiceCredentials:
        self.saves += 1
        if self.voice is None:
            self.voice = creds
        return self.voice

    def update_profile(self, tenant_id: str, profile: dict[str, object],
                       timezone: str | None = None) -> None:
        raise AssertionError("not used")


class FakeSetup:
    def __init__(self, creds: VoiceCredentials = CREDS) -> None:
        self.made: list[str] = []
        self.creds = creds
        self.discarded: list[VoiceCredentials] = []

    def create(self, tenant: Tenant, voice_url: str) -> VoiceCredentials:
        self.made.append(voice_url)
        return self.creds

    def discard(self, tenant: Tenant, credentials: VoiceCredentials) -> None:
        self.discarded.append(credentials)


AGENT = Principal("tn_1", "us_alice", Role.AGENT)


def tokens(sim_url: str | None = None) -> tuple[VoiceTokens, FakeTenants, FakeSetup]:
    tenants, setup = FakeTenants(), FakeSetup()
    urls = CallUrls(lambda path: "https://hotline.example.com" + path)
    return VoiceTokens(tenants, setup, urls, access_token, sim_url=sim_url, ttl=600), \
        tenants, setup


def test_the_token_decodes_with_the_key_secret_with_identity_grant_app_and_expiry() -> None:
    service, _, _ = tokens()
    before = int(time.time())
    answer = service.token(AGENT)
    assert answer["mode"] == "twilio" and answer["identity"] == "us_alice"
    assert answer["expires_in"] == 600
    claims = jwt.decode(answer["token"], SECRET, algorithms=["HS256"])
    assert claims["iss"] == CREDS.api_key_sid and claims["sub"] == ACCOUNT
    assert claims["grants"]["identity"] == "us_alice"
    voice = claims["grants"]["voice"]
    assert voice["incoming"] == {"allow": True}
    assert voice["outgoing"]["application_sid"] == CREDS.twiml_app_sid
    assert before + 600 <= claims["exp"] <= int(time.time()) + 600


def test_a_token_signed_with_another_secret_does_not_decode() -> None:
    service, _, _ = tokens()
    token = service.token(AGENT)["token"]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-" + "y" * 20, algorithms=["HS256"])


def test_the_key_and_twiml_app_are_made_on_first_use_only() -> None:
    service, tenants, setup = tokens()
    service.token(AGENT)
    service.token(AGENT)
    assert setup.made == ["https://hotline.example.com/twilio/voice/client"]
    assert tenants.saves == 1 and tenants.voice == CREDS


def test_local_mode_names_the_simulator_and_the_account() -> None:
    service, _, setup = tokens(sim_url="http://127.0.0.1:8001")
    assert service.token(AGENT) == {"identity": "us_alice", "mode": "sim",
                                    "sim_url": "http://127.0.0.1:8001",
                                    "account_sid": ACCOUNT}
    assert setup.made == []


def test_signup_makes_the_key_and_app_in_local_mode_too() -> None:
    service, tenants, setup = tokens(sim_url="http://127.0.0.1:8001")
    assert service.provision(tenants.tenant) == {}
    assert tenants.voice == CREDS and len(setup.made) == 1


def test_a_key_and_app_that_lost_the_race_to_be_stored_are_deleted() -> None:
    # given another request stored the tenant's key and App a moment ago
    service, tenants, setup = tokens()
    spare = VoiceCredentials("SK" + "d" * 32, "other-" + "z" * 26, "AP" + "e" * 32)
    setup.creds = spare
    tenants.voice = None
    stored_first = CREDS

    def save(tenant_id: str, creds: VoiceCredentials) -> VoiceCredentials:
        tenants.voice = stored_first
        return stored_first

    tenants.save_voice_credentials = save  # type: ignore[method-assign]
    # when this request's own make loses the conditional write
    assert service.ensure(tenants.tenant) == CREDS
    # then its spare key and App are deleted from the subaccount
    assert setup.discarded == [spare]


def test_signup_makes_the_key_and_app_in_real_mode() -> None:
    service, tenants, setup = tokens()
    service.provision(tenants.tenant)
    assert tenants.voice == CREDS and len(setup.made) == 1
