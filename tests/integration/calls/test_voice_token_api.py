"""The voice token through HTTP in real mode, and the tenant's voice credentials stored
once on DynamoDB Local (the first writer wins)."""

from __future__ import annotations

import jwt

from chalicelib.domain.calls.voice import VoiceCredentials
from tests.integration.calls.conftest import Desk

FIRST = VoiceCredentials("SK" + "1" * 32, "first-secret-" + "a" * 20, "AP" + "1" * 32)
SECOND = VoiceCredentials("SK" + "2" * 32, "second-secret-" + "b" * 20, "AP" + "2" * 32)


def test_credentials_are_stored_once_and_the_first_writer_wins(desk: Desk) -> None:
    from chalicelib.wiring import get_tenant_repository

    repo = get_tenant_repository()
    tenant_id = desk.tenant.tenant_id
    assert repo.voice_credentials(tenant_id) is None
    assert repo.save_voice_credentials(tenant_id, FIRST) == FIRST
    assert repo.save_voice_credentials(tenant_id, SECOND) == FIRST
    assert repo.voice_credentials(tenant_id) == FIRST


def test_the_token_route_signs_with_the_tenants_key_for_the_logged_in_agent(
        desk: Desk) -> None:
    from chalicelib.wiring import get_tenant_repository

    get_tenant_repository().save_voice_credentials(desk.tenant.tenant_id, FIRST)
    status, body = desk.post("/api/voice/token", as_="alice")
    assert status == 200 and body["mode"] == "twilio" and body["identity"] == "alice"
    claims = jwt.decode(body["token"], FIRST.api_key_secret, algorithms=["HS256"])
    assert claims["sub"] == desk.tenant.twilio_account_sid
    assert claims["grants"]["identity"] == "alice"
    assert claims["grants"]["voice"]["outgoing"]["application_sid"] == FIRST.twiml_app_sid
    assert claims["exp"] - claims["nbf" if "nbf" in claims else "iat"] <= body["expires_in"]


def test_the_token_route_needs_a_session(desk: Desk) -> None:
    response = desk.client.http.post("/api/voice/token", body="{}",
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 401
