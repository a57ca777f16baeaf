"""The gate finds the signing account's tenant and refuses anything unsigned or forged."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from chalicelib.config import Settings
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.identity import Tenant
from chalicelib.services.webhook_gate import Webhook, WebhookGate
from tests.conftest import TEST_ENV

SUB_SID = "AC" + "2" * 32
SUB_TOKEN = "tenant-token"


class FakeTenants:
    def __init__(self) -> None:
        self.lookups = 0
        self.tenant = Tenant(tenant_id="tn_1", name="Aqua", timezone="UTC",
                             twilio_account_sid=SUB_SID, twilio_auth_token=SUB_TOKEN)

    def by_account(self, account_sid: str) -> Tenant | None:
        self.lookups += 1
        return self.tenant if account_sid == SUB_SID else None


def _settings() -> Settings:
    return Settings.from_environ(TEST_ENV)


def _signed(token: str, path: str, params: dict[str, str]) -> str:
    return RequestValidator(token).compute_signature(_settings().public_url(path), params)


def test_tenant_signed_webhook_is_verified_and_names_its_tenant() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    params = {"AccountSid": SUB_SID, "CallSid": "CA1", "From": "+15550001111"}
    hook = gate.verify("/twilio/voice", [], params, _signed(SUB_TOKEN, "/twilio/voice", params))
    assert hook.tenant is not None and hook.tenant.tenant_id == "tn_1"


def test_platform_account_webhook_uses_the_platform_token() -> None:
    settings = _settings()
    gate = WebhookGate(settings, FakeTenants())
    params = {"AccountSid": settings.twilio_account_sid, "CallSid": "CA1"}
    sig = _signed(settings.twilio_auth_token, "/twilio/voice", params)
    assert gate.verify("/twilio/voice", [], params, sig).tenant is None


def test_forged_signature_is_forbidden() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    params = {"AccountSid": SUB_SID, "CallSid": "CA1"}
    with pytest.raises(Forbidden):
        gate.verify("/twilio/voice", [], params, _signed("not-the-token", "/twilio/voice", params))


def test_unsigned_request_is_forbidden() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    with pytest.raises(Forbidden):
        gate.verify("/twilio/voice", [], {"AccountSid": SUB_SID, "CallSid": "CA1"}, "")


def test_unknown_account_is_forbidden() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    params = {"AccountSid": "AC" + "9" * 32, "CallSid": "CA1"}
    with pytest.raises(Forbidden):
        gate.verify("/twilio/voice", [], params, _signed(SUB_TOKEN, "/twilio/voice", params))


def test_signature_for_another_path_is_forbidden() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    params = {"AccountSid": SUB_SID, "CallSid": "CA1"}
    with pytest.raises(Forbidden):
        gate.verify("/twilio/sms", [], params, _signed(SUB_TOKEN, "/twilio/voice", params))


def test_warm_gate_reuses_the_tenant_lookup() -> None:
    tenants = FakeTenants()
    gate = WebhookGate(_settings(), tenants)
    params = {"AccountSid": SUB_SID, "CallSid": "CA1"}
    sig = _signed(SUB_TOKEN, "/twilio/voice", params)
    gate.verify("/twilio/voice", [], params, sig)
    gate.verify("/twilio/voice", [], params, sig)
    assert tenants.lookups == 1


def test_idempotency_key_is_the_callback_url_on_the_call() -> None:
    gate = WebhookGate(_settings(), FakeTenants())
    params = {"AccountSid": SUB_SID, "CallSid": "CA9"}
    query = [("w", "menu"), ("s", "4")]
    url = _settings().public_url("/twilio/voice/flow?w=menu&s=4")
    sig = RequestValidator(SUB_TOKEN).compute_signature(url, params)
    hook = gate.verify("/twilio/voice/flow", query, params, sig)
    assert hook.idempotency_key == f"{SUB_SID}#CA9#/twilio/voice/flow?s=4&w=menu"


def test_events_twilio_posts_to_one_url_are_told_apart_by_their_own_fields() -> None:
    # given one callback URL of one call, delivered for two different events
    def key(**fields: str) -> str:
        return Webhook(account_sid=SUB_SID, tenant=None,
                       params={"CallSid": "CA9", **fields}, query={"task": "TK1"},
                       path="/twilio/voice/queue/result").idempotency_key

    # then the queue result, status, digits and recording make them distinct events
    assert key(QueueResult="hangup") != key(QueueResult="bridged")
    assert key(CallStatus="ringing") != key(CallStatus="completed")
    assert key(Digits="1") != key(Digits="2")
    assert key(RecordingSid="RE1") != key(RecordingSid="RE2")
    assert key(QueueTime="12") != key(QueueTime="31")  # two polls of the waitUrl
    # and a retry of one of them is the same event
    assert key(QueueResult="hangup") == key(QueueResult="hangup")


def test_a_long_speech_result_keeps_the_key_short() -> None:
    hook = Webhook(account_sid=SUB_SID, tenant=None,
                   params={"CallSid": "CA9", "SpeechResult": "words " * 1000},
                   path="/twilio/voice/flow")
    assert len(hook.idempotency_key) < 200 and "words" not in hook.idempotency_key


def test_a_long_callback_query_keeps_the_key_short() -> None:
    hook = Webhook(account_sid=SUB_SID, tenant=None, params={"CallSid": "CA9"},
                   query={"w": "x" * 2000}, path="/twilio/voice/flow")
    assert len(hook.idempotency_key) < 200 and "sha256=" in hook.idempotency_key


def test_what_the_caller_typed_or_said_stays_out_of_the_logged_key() -> None:
    # given a caller who keys in a card number, and one who speaks their phone number
    def key(**fields: str) -> str:
        return Webhook(account_sid=SUB_SID, tenant=None, params={"CallSid": "CA9", **fields},
                       query={"w": "menu"}, path="/twilio/voice/flow").idempotency_key

    typed, said = key(Digits="4111111111111111"), key(SpeechResult="four one five 555 0123")
    # then neither value is in the key (it is logged and stored), yet events stay distinct
    assert "4111111111111111" not in typed and "555" not in said
    assert typed == key(Digits="4111111111111111") != key(Digits="4111111111111112")


class CountingSource:
    """A secret source that counts its reads (Secrets Manager on a deployed stage)."""

    secret_id = "hotline-test"

    def __init__(self) -> None:
        self.reads = 0

    def load(self) -> dict[str, str]:
        self.reads += 1
        return {"TWILIO_ACCOUNT_SID": TEST_ENV["TWILIO_ACCOUNT_SID"],
                "TWILIO_AUTH_TOKEN": TEST_ENV["TWILIO_AUTH_TOKEN"],
                "HOTLINE_JWT_SECRET": TEST_ENV["HOTLINE_JWT_SECRET"]}


def _deployed_settings(source: CountingSource) -> Settings:
    environ = {k: v for k, v in TEST_ENV.items()
               if k not in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "HOTLINE_JWT_SECRET")}
    environ["HOTLINE_SECRET_ID"] = source.secret_id
    return Settings.from_environ(environ, secret_source=lambda _id, _region: source)


def test_tenant_webhook_on_a_deployed_stage_never_reads_the_platform_secret() -> None:
    # given a deployed stage whose platform secrets live in Secrets Manager
    source = CountingSource()
    gate = WebhookGate(_deployed_settings(source), FakeTenants())
    params = {"AccountSid": SUB_SID, "CallSid": "CA1", "From": "+15550001111"}
    # when a tenant's subaccount signs a webhook
    hook = gate.verify("/twilio/voice", [], params, _signed(SUB_TOKEN, "/twilio/voice", params))
    # then it is verified with the tenant's token and the secret was never read
    assert hook.tenant is not None
    assert source.reads == 0


def test_platform_webhook_on_a_deployed_stage_reads_the_secret_once() -> None:
    source = CountingSource()
    gate = WebhookGate(_deployed_settings(source), FakeTenants())
    params = {"AccountSid": TEST_ENV["TWILIO_ACCOUNT_SID"], "CallSid": "CA1"}
    sig = _signed(TEST_ENV["TWILIO_AUTH_TOKEN"], "/twilio/voice", params)
    assert gate.verify("/twilio/voice", [], params, sig).tenant is None
    assert gate.verify("/twilio/voice", [], params, sig).tenant is None
    assert source.reads == 1
