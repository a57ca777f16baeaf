"""Typed settings, read once from the environment, failing fast with a clear message."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache


class ConfigError(RuntimeError):
    """A setting is missing or malformed."""


_MISSING = object()


class _Reader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self._env = environ

    def text(self, name: str, default: object = _MISSING) -> str:
        value = self._env.get(name)
        if value is None or value == "":
            if default is _MISSING:
                raise ConfigError(f"{name} is missing, and has no default")
            return str(default)
        return value

    def optional(self, name: str) -> str | None:
        value = self._env.get(name)
        return value or None

    def whole(self, name: str, default: int) -> int:
        raw = self._env.get(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc

    def number(self, name: str, default: float) -> float:
        raw = self._env.get(name)
        if raw is None or raw == "":
            return default
        try:
            return float(raw)
        except ValueError as exc:
            raise ConfigError(f"{name} must be a number, got {raw!r}") from exc


def _flag(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1/0, true/false, yes/no or on/off, got {raw!r}")


@dataclass(frozen=True)
class Settings:
    stage: str
    public_base_url: str
    table_prefix: str
    aws_region: str
    dynamodb_endpoint: str | None
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_api_base: str | None
    jwt_secret: str
    jwt_ttl_seconds: int
    reservation_timeout_seconds: int
    dynamodb_timeout_seconds: float
    dynamodb_max_retries: int
    http_timeout_seconds: float
    # SSRF guard: flows may reach loopback (a test server on 127.0.0.1) only when a local
    # run turns this on; private, link-local and metadata addresses stay blocked anyway.
    allow_loopback_http: bool

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = _Reader(os.environ if environ is None else environ)
        stage = env.text("HOTLINE_STAGE", "local")
        base = env.text("PUBLIC_BASE_URL").rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ConfigError(f"PUBLIC_BASE_URL must start with http:// or https://, got {base!r}")
        secret = env.text("HOTLINE_JWT_SECRET")
        if len(secret) < 32:
            raise ConfigError("HOTLINE_JWT_SECRET must be at least 32 characters long")
        return cls(
            stage=stage,
            public_base_url=base,
            table_prefix=env.text("HOTLINE_TABLE_PREFIX", f"hotline-{stage}"),
            aws_region=env.text("AWS_REGION", env.text("AWS_DEFAULT_REGION", "us-east-1")),
            dynamodb_endpoint=env.optional("AWS_ENDPOINT_URL_DYNAMODB"),
            twilio_account_sid=env.text("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=env.text("TWILIO_AUTH_TOKEN"),
            twilio_api_base=env.optional("TWILIO_API_BASE"),
            jwt_secret=secret,
            jwt_ttl_seconds=env.whole("HOTLINE_JWT_TTL_SECONDS", 8 * 3600),
            reservation_timeout_seconds=env.whole("HOTLINE_RESERVATION_TIMEOUT", 15),
            dynamodb_timeout_seconds=env.number("HOTLINE_DYNAMODB_TIMEOUT", 0.8),
            dynamodb_max_retries=env.whole("HOTLINE_DYNAMODB_RETRIES", 1),
            http_timeout_seconds=env.number("HOTLINE_HTTP_TIMEOUT", 4.0),
            allow_loopback_http=_flag(env.text("HOTLINE_ALLOW_LOOPBACK_HTTP", "0"),
                                      "HOTLINE_ALLOW_LOOPBACK_HTTP"),
        )

    def public_url(self, path: str) -> str:
        """The URL Twilio uses for ``path``: the public base (stage prefix included) plus path."""
        return self.public_base_url + (path if path.startswith("/") else "/" + path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environ()
