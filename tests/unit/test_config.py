"""Settings fail fast with a clear message and take an explicit environ."""

from __future__ import annotations

import pytest

from chalicelib.config import ConfigError, Settings
from tests.conftest import TEST_ENV


def test_complete_environment_gives_typed_settings() -> None:
    settings = Settings.from_environ({**TEST_ENV, "HOTLINE_RESERVATION_TIMEOUT": "20"})
    assert settings.reservation_timeout_seconds == 20
    assert settings.table_prefix == "hotline-test"
    assert settings.public_url("/twilio/voice") == "https://hotline.example.com/api/twilio/voice"


@pytest.mark.parametrize("name", ["PUBLIC_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                                  "HOTLINE_JWT_SECRET"])
def test_missing_required_setting_names_itself(name: str) -> None:
    env = {k: v for k, v in TEST_ENV.items() if k != name}
    with pytest.raises(ConfigError, match=f"{name} is missing, and has no default"):
        Settings.from_environ(env)


def test_signups_per_source_default_to_five_an_hour_and_can_be_raised() -> None:
    assert Settings.from_environ(TEST_ENV).signups_per_source_hour == 5
    raised = Settings.from_environ({**TEST_ENV, "HOTLINE_SIGNUPS_PER_SOURCE_HOUR": "40"})
    assert raised.signups_per_source_hour == 40


def test_malformed_number_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="HOTLINE_RESERVATION_TIMEOUT must be a whole number"):
        Settings.from_environ({**TEST_ENV, "HOTLINE_RESERVATION_TIMEOUT": "soon"})


def test_public_base_url_must_be_http() -> None:
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL must start with"):
        Settings.from_environ({**TEST_ENV, "PUBLIC_BASE_URL": "hotline.example.com"})


def test_short_jwt_secret_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 32"):
        Settings.from_environ({**TEST_ENV, "HOTLINE_JWT_SECRET": "short"})


class FakeSource:
    """A secret source that hands out fixed values and counts its loads."""

    def __init__(self, secret_id: str, values: dict[str, str]) -> None:
        self.secret_id = secret_id
        self.values = values
        self.loads = 0

    def load(self) -> dict[str, str]:
        self.loads += 1
        return self.values


DEPLOYED = {"PUBLIC_BASE_URL": "https://abc.example.com/api", "HOTLINE_SECRET_ID": "hotline-x"}


def test_named_secret_defers_the_secrets_to_their_first_use() -> None:
    # given a deployed environment: no secrets, only the secret's name
    sources: list[FakeSource] = []

    def factory(secret_id: str, region: str) -> FakeSource:
        sources.append(FakeSource(secret_id, {k: TEST_ENV[k] for k in (
            "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "HOTLINE_JWT_SECRET")}))
        return sources[-1]

    # when settings are read, then start-up succeeds and loads nothing
    settings = Settings.from_environ(DEPLOYED, secret_source=factory)
    assert [s.loads for s in sources] == [0]
    # and the first secret needed loads the named secret, once
    assert settings.jwt_secret == TEST_ENV["HOTLINE_JWT_SECRET"]
    assert settings.twilio_auth_token == TEST_ENV["TWILIO_AUTH_TOKEN"]
    assert [(s.secret_id, s.loads) for s in sources] == [("hotline-x", 1)]


def test_short_jwt_secret_in_the_environment_is_refused_even_with_a_named_secret() -> None:
    with pytest.raises(ConfigError, match="HOTLINE_JWT_SECRET must be at least 32"):
        Settings.from_environ({**DEPLOYED, "HOTLINE_JWT_SECRET": "short"},
                              secret_source=lambda sid, region: FakeSource(sid, {}))


def test_settings_never_show_their_secrets() -> None:
    settings = Settings.from_environ(TEST_ENV)
    assert TEST_ENV["TWILIO_AUTH_TOKEN"] not in repr(settings)
    assert TEST_ENV["HOTLINE_JWT_SECRET"] not in repr(settings)
