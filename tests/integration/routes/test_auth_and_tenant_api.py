"""Login, sessions, signup and users through the real app on DynamoDB Local."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import PasswordHasher, TokenSigner
from chalicelib.domain.errors import Conflict
from chalicelib.domain.identity import Principal, Role, Tenant, User
from chalicelib.services.onboarding import Onboarding


def _post(client, path, body, token=None, raw=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.http.post(path, body=raw if raw is not None else json.dumps(body),
                            headers=headers)


def _get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.http.get(path, headers=headers)


@pytest.fixture
def owner(settings, tenant_id):
    repo = TenantRepository(settings)
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    tenant = Tenant(tenant_id=tenant_id, name="Aqua", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time())
    user = User(tenant_id=tenant_id, user_id="u_owner", email=email, name="Olivia",
                role=Role.OWNER, password_hash=PasswordHasher().hash("a-long-password"),
                created_at=time.time())
    repo.create_with_owner(tenant, user)
    return user


def test_login_gives_a_session_that_names_the_user(client, owner):
    response = _post(client, "/api/login", {"email": owner.email.upper(),
                                            "password": "a-long-password"})
    assert response.status_code == 200
    token = json.loads(response.body)["token"]
    me = json.loads(_get(client, "/api/me", token).body)
    assert me["id"] == "u_owner" and me["role"] == "owner"


def test_wrong_password_is_401_with_a_message(client, owner):
    response = _post(client, "/api/login", {"email": owner.email, "password": "nope-nope"})
    assert response.status_code == 401
    assert json.loads(response.body)["message"] == "wrong email or password"


def test_bad_json_is_400_with_a_message(client, owner):
    response = _post(client, "/api/login", None, raw="{not json")
    assert response.status_code == 400
    assert "not valid JSON" in json.loads(response.body)["message"]


def test_missing_field_names_its_path(client):
    response = _post(client, "/api/login", {"email": "a@b.co"})
    assert response.status_code == 400
    assert json.loads(response.body)["path"] == "password"


def test_expired_token_is_401(client, owner, settings):
    token = TokenSigner(settings.jwt_secret, 60).issue(
        Principal(owner.tenant_id, owner.user_id, Role.OWNER), now=1_000)
    response = _get(client, "/api/me", token)
    assert response.status_code == 401
    assert "expired" in json.loads(response.body)["message"]


def test_no_token_is_401(client):
    assert _get(client, "/api/me").status_code == 401


def test_login_is_rate_limited(client, owner):
    codes = [_post(client, "/api/login", {"email": owner.email, "password": "wrong-pass"}
                   ).status_code for _ in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429


def test_signup_validates_before_buying_anything(client):
    response = _post(client, "/api/signup", {"business_name": "Bob's", "name": "Bob",
                                             "email": "not-an-email", "password": "x" * 12})
    assert response.status_code == 400
    assert json.loads(response.body)["path"] == "email"
    response = _post(client, "/api/signup", {"business_name": "Bob's", "name": "Bob",
                                             "email": "bob@example.com", "password": "short"})
    assert json.loads(response.body)["path"] == "password"


class FakeAccounts:
    def __init__(self) -> None:
        self.bought: list[str] = []

    def create_subaccount(self, friendly_name: str) -> tuple[str, str]:
        return "AC" + uuid.uuid4().hex, "sub-token"

    def buy_number(self, account_sid, auth_token, country, area_code, voice_url, sms_url,
                   status_callback) -> str:
        assert voice_url.endswith("/twilio/voice") and sms_url.endswith("/twilio/sms")
        number = "+1415" + str(uuid.uuid4().int)[:7]
        self.bought.append(number)
        return number


def test_signup_creates_tenant_owner_number_and_runs_provisioners(settings):
    repo = TenantRepository(settings)
    provisioned: list[str] = []

    def provision(tenant, users):
        provisioned.append(tenant.tenant_id)
        return {"default_flow_id": "voice-ivr"}

    accounts = FakeAccounts()
    onboarding = Onboarding(settings, repo, accounts, PasswordHasher(), [provision])
    email = f"new-{uuid.uuid4().hex[:6]}@example.com"
    done = onboarding.sign_up({"business_name": "Crystal Springs", "name": "Cam",
                               "email": email, "password": "long-enough-pw",
                               "timezone": "Europe/London"})
    assert provisioned == [done.tenant.tenant_id]
    number = repo.number(done.number)
    assert number is not None and number.flow_id == "voice-ivr"
    assert repo.user_by_email(email).role is Role.OWNER
    with pytest.raises(Conflict, match="already registered"):
        onboarding.sign_up({"business_name": "Again", "name": "Cam", "email": email,
                            "password": "long-enough-pw"})
    assert len(accounts.bought) == 1
