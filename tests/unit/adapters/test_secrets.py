"""A deployed stage reads its secrets from Secrets Manager: lazily, once, and it refuses
a missing or malformed secret by name. Faults are injected with botocore's Stubber."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.stub import Stubber

from chalicelib.adapters.secrets import SecretsManagerSource
from chalicelib.config import ConfigError, Settings
from chalicelib.domain.errors import Unavailable
from tests.conftest import TEST_ENV

SECRET_ID = "hotline-dev"
DEPLOYED_ENV = {"HOTLINE_STAGE": "dev", "PUBLIC_BASE_URL": "https://abc.example.com/api",
                "AWS_REGION": "eu-west-1", "HOTLINE_SECRET_ID": SECRET_ID}
GOOD_SECRET = {"TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "platform-token",
               "HOTLINE_JWT_SECRET": "k" * 48}


class Clients:
    """Hands out one stubbed Secrets Manager client and counts who asked for it."""

    def __init__(self) -> None:
        session = botocore.session.get_session()
        self.client = session.create_client(
            "secretsmanager", region_name="eu-west-1",
            aws_access_key_id="test", aws_secret_access_key="test")
        self.stub = Stubber(self.client)
        self.regions: list[str] = []

    def factory(self, region: str) -> Any:
        self.regions.append(region)
        return self.client

    def source(self, secret_id: str, region: str) -> SecretsManagerSource:
        return SecretsManagerSource(secret_id, region, client_factory=self.factory)

    def answers(self, secret_string: str) -> None:
        self.stub.add_response(
            "get_secret_value",
            {"ARN": f"arn:aws:secretsmanager:eu-west-1:123456789012:secret:{SECRET_ID}-AbCdEf",
             "Name": SECRET_ID, "SecretString": secret_string},
            {"SecretId": SECRET_ID})


@pytest.fixture
def clients() -> Iterator[Clients]:
    clients = Clients()
    with clients.stub:
        yield clients


def deployed(clients: Clients, **extra: str) -> Settings:
    return Settings.from_environ({**DEPLOYED_ENV, **extra}, secret_source=clients.source)


def test_environment_secrets_never_call_secrets_manager(clients: Clients) -> None:
    # given a local environment that has every secret, and names a secret as well
    settings = Settings.from_environ({**TEST_ENV, "HOTLINE_SECRET_ID": SECRET_ID},
                                     secret_source=clients.source)
    # when every secret is read
    values = (settings.twilio_account_sid, settings.twilio_auth_token, settings.jwt_secret)
    # then they are the environment's, and no client was ever built or called
    assert values == (TEST_ENV["TWILIO_ACCOUNT_SID"], TEST_ENV["TWILIO_AUTH_TOKEN"],
                      TEST_ENV["HOTLINE_JWT_SECRET"])
    assert clients.regions == []
    clients.stub.assert_no_pending_responses()


def test_deployed_stage_reads_its_secret_on_first_use_only(clients: Clients) -> None:
    # given a deployed stage's environment, with the secret's name and no secrets
    clients.answers(json.dumps(GOOD_SECRET))
    settings = deployed(clients)
    # then start-up itself calls nothing
    assert clients.regions == []
    # when a secret is first needed, then the secret is read once, in the stage's region
    assert settings.twilio_auth_token == "platform-token"
    assert settings.jwt_secret == "k" * 48
    assert settings.twilio_account_sid == GOOD_SECRET["TWILIO_ACCOUNT_SID"]
    assert clients.regions == ["eu-west-1"]
    clients.stub.assert_no_pending_responses()


def test_concurrent_first_requests_read_the_secret_once(clients: Clients) -> None:
    clients.answers(json.dumps(GOOD_SECRET))
    settings = deployed(clients)
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(settings.twilio_auth_token))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["platform-token"] * 8
    assert clients.regions == ["eu-west-1"]


def test_a_secret_in_the_environment_wins_over_the_stored_one(clients: Clients) -> None:
    clients.answers(json.dumps({**GOOD_SECRET, "TWILIO_ACCOUNT_SID": "AC" + "9" * 32}))
    settings = deployed(clients, TWILIO_ACCOUNT_SID="AC" + "2" * 32)
    assert settings.twilio_account_sid == "AC" + "2" * 32
    assert clients.regions == []
    assert settings.twilio_auth_token == "platform-token"
    assert clients.regions == ["eu-west-1"]


def test_missing_secret_stops_start_up_naming_it(clients: Clients,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    clients.stub.add_client_error("get_secret_value", "ResourceNotFoundException",
                                  "Secrets Manager can't find the specified secret.", 400)
    settings = deployed(clients)
    with pytest.raises(ConfigError, match=f"secret {SECRET_ID} does not exist"):
        _ = settings.jwt_secret
    # and the operator finds the secret's name in the function's log
    assert any(SECRET_ID in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


def test_unreadable_secret_names_it_and_the_refusal(clients: Clients) -> None:
    clients.stub.add_client_error("get_secret_value", "AccessDeniedException", "no", 400)
    with pytest.raises(ConfigError, match=f"secret {SECRET_ID} cannot be read: AccessDenied"):
        _ = deployed(clients).twilio_auth_token


@pytest.mark.parametrize(("stored", "message"), [
    ("TWILIO_AUTH_TOKEN=abc", f"secret {SECRET_ID} is not JSON"),
    (json.dumps(["AC1", "token"]), f"secret {SECRET_ID} must be a JSON object"),
    (json.dumps({**GOOD_SECRET, "TWILIO_AUTH_TOKEN": 42}),
     f"secret {SECRET_ID}: TWILIO_AUTH_TOKEN must be strings"),
    (json.dumps({"TWILIO_ACCOUNT_SID": "", "HOTLINE_JWT_SECRET": "k" * 48}),
     f"TWILIO_ACCOUNT_SID is missing in secret {SECRET_ID}"),
    (json.dumps({k: v for k, v in GOOD_SECRET.items() if k != "TWILIO_AUTH_TOKEN"}),
     f"TWILIO_AUTH_TOKEN is missing in secret {SECRET_ID}"),
    (json.dumps({**GOOD_SECRET, "HOTLINE_JWT_SECRET": "short"}),
     f"HOTLINE_JWT_SECRET in secret {SECRET_ID} must be at least 32"),
    (json.dumps({**GOOD_SECRET, "TWILIO_ACCOUNT_SID": "platform-token"}),
     f"TWILIO_ACCOUNT_SID in secret {SECRET_ID} must be an account SID"),
])
def test_malformed_secret_stops_start_up_naming_it(clients: Clients, stored: str,
                                                   message: str) -> None:
    clients.answers(stored)
    with pytest.raises(ConfigError, match=message):
        _ = deployed(clients).twilio_account_sid


def test_throttled_read_is_unavailable_and_the_next_request_tries_again(
        clients: Clients) -> None:
    # given Secrets Manager throttles the first read
    clients.stub.add_client_error("get_secret_value", "ThrottlingException", "slow down", 400)
    clients.answers(json.dumps(GOOD_SECRET))
    settings = deployed(clients)
    # then the first request sees a dependency that is unavailable, not a broken config
    with pytest.raises(Unavailable, match=SECRET_ID):
        _ = settings.twilio_auth_token
    # and the next one reads the secret
    assert settings.twilio_auth_token == "platform-token"
    clients.stub.assert_no_pending_responses()
