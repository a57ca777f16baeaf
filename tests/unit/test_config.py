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


def test_malformed_number_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="HOTLINE_RESERVATION_TIMEOUT must be a whole number"):
        Settings.from_environ({**TEST_ENV, "HOTLINE_RESERVATION_TIMEOUT": "soon"})


def test_public_base_url_must_be_http() -> None:
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL must start with"):
        Settings.from_environ({**TEST_ENV, "PUBLIC_BASE_URL": "hotline.example.com"})


def test_short_jwt_secret_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 32"):
        Settings.from_environ({**TEST_ENV, "HOTLINE_JWT_SECRET": "short"})
