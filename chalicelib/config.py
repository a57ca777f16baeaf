"""Typed settings, read once from the environment, failing fast with a clear message.

The three secrets (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, HOTLINE_JWT_SECRET) come from
the environment when it has them (a local run, the tests). A deployed stage has none in
its environment and names its Secrets Manager secret in HOTLINE_SECRET_ID instead; that
secret is read on the first access to one of them, once per container, so a webhook
that needs none of them never waits for Secrets Manager.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol


class ConfigError(RuntimeError):
    """A setting is missing or malformed."""


_MISSING = object()
log = logging.getLogger("hotline.config")
SECRET_ID = "HOTLINE_SECRET_ID"
SECRET_KEYS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "HOTLINE_JWT_SECRET")
JWT_MIN_LENGTH = 32


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


class SecretSource(Protocol):
    """Where a deployed stage keeps its secrets (Secrets Manager in AWS)."""

    secret_id: str

    def load(self) -> Mapping[str, str]: ...


def _secrets_manager(secret_id: str, region: str) -> SecretSource:
    from chalicelib.adapters.secrets import SecretsManagerSource

    return SecretsManagerSource(secret_id, region)


class Secrets:
    """The secret settings: the environment's, else the source's, loaded on first use."""

    def __init__(self, environ_values: Mapping[str, str],
                 source: SecretSource | None = None) -> None:
        self._env = dict(environ_values)
        self._source = source
        self._loaded: dict[str, str] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_reader(cls, env: _Reader, region: str,
                    source_factory: Callable[[str, str], SecretSource]) -> Secrets:
        present = {key: value for key in SECRET_KEYS if (value := env.optional(key))}
        secret_id = env.optional(SECRET_ID)
        if secret_id is None or len(present) == len(SECRET_KEYS):
            values = {key: env.text(key) for key in SECRET_KEYS}
            _check_secrets(values, "")
            return cls(values)
        _check_secrets(present, "")
        return cls(present, source_factory(secret_id, region))

    def get(self, key: str) -> str:
        if key in self._env:
            return self._env[key]
        return self._from_source()[key]

    def _from_source(self) -> dict[str, str]:
        with self._lock:
            if self._loaded is None:
                assert self._source is not None
                try:
                    self._loaded = _picked(self._source, [k for k in SECRET_KEYS
                                                          if k not in self._env])
                except ConfigError as exc:  # the operator's fix: say it where they look
                    log.error("configuration: %s", exc)
                    raise
            return self._loaded


def _picked(source: SecretSource, keys: list[str]) -> dict[str, str]:
    values = source.load()
    where = f" in secret {source.secret_id}"
    picked = {}
    for key in keys:
        value = values.get(key)
        if not value:
            raise ConfigError(f"{key} is missing{where}: the secret must hold "
                              f"{', '.join(SECRET_KEYS)}")
        picked[key] = value
    _check_secrets(picked, where)
    if not picked.get("TWILIO_ACCOUNT_SID", "AC").startswith("AC"):
        raise ConfigError(f"TWILIO_ACCOUNT_SID{where} must be an account SID (AC…)")
    return picked


def _check_secrets(values: Mapping[str, str], where: str) -> None:
    jwt = values.get("HOTLINE_JWT_SECRET")
    if jwt is not None and len(jwt) < JWT_MIN_LENGTH:
        raise ConfigError(f"HOTLINE_JWT_SECRET{where} must be at least "
                          f"{JWT_MIN_LENGTH} characters long")


@dataclass(frozen=True)
class Settings:
    stage: str
    public_base_url: str
    table_prefix: str
    aws_region: str
    dynamodb_endpoint: str | None
    secrets: Secrets = field(repr=False, compare=False)
    twilio_api_base: str | None
    jwt_ttl_seconds: int
    reservation_timeout_seconds: int
    dynamodb_timeout_seconds: float
    dynamodb_max_retries: int
    http_timeout_seconds: float
    # SSRF guard: flows may reach loopback (a test server on 127.0.0.1) only when a local
    # run turns this on; private, link-local and metadata addresses stay blocked anyway.
    allow_loopback_http: bool
    # The sender of the mail Hotline sends (password reset links; docs/accounts.md).
    mail_from: str = "Hotline <no-reply@hotline.invalid>"
    # Self-service signups allowed per source address per hour (an operator onboarding
    # many shops from one office raises it).
    signups_per_source_hour: int = 5

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None,
                     secret_source: Callable[[str, str], SecretSource] = _secrets_manager,
                     ) -> Settings:
        """Settings from ``environ`` (os.environ by default); ``secret_source`` builds the
        source of HOTLINE_SECRET_ID from its id and the region (Secrets Manager)."""
        env = _Reader(os.environ if environ is None else environ)
        stage = env.text("HOTLINE_STAGE", "local")
        base = env.text("PUBLIC_BASE_URL").rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ConfigError(f"PUBLIC_BASE_URL must start with http:// or https://, got {base!r}")
        region = env.text("AWS_REGION", env.text("AWS_DEFAULT_REGION", "us-east-1"))
        return cls(
            stage=stage,
            public_base_url=base,
            table_prefix=env.text("HOTLINE_TABLE_PREFIX", f"hotline-{stage}"),
            aws_region=region,
            dynamodb_endpoint=env.optional("AWS_ENDPOINT_URL_DYNAMODB"),
            secrets=Secrets.from_reader(env, region, secret_source),
            twilio_api_base=env.optional("TWILIO_API_BASE"),
            jwt_ttl_seconds=env.whole("HOTLINE_JWT_TTL_SECONDS", 8 * 3600),
            reservation_timeout_seconds=env.whole("HOTLINE_RESERVATION_TIMEOUT", 15),
            dynamodb_timeout_seconds=env.number("HOTLINE_DYNAMODB_TIMEOUT", 0.8),
            dynamodb_max_retries=env.whole("HOTLINE_DYNAMODB_RETRIES", 1),
            http_timeout_seconds=env.number("HOTLINE_HTTP_TIMEOUT", 4.0),
            allow_loopback_http=_flag(env.text("HOTLINE_ALLOW_LOOPBACK_HTTP", "0"),
                                      "HOTLINE_ALLOW_LOOPBACK_HTTP"),
            mail_from=env.text("HOTLINE_MAIL_FROM", "Hotline <no-reply@hotline.invalid>"),
            signups_per_source_hour=env.whole("HOTLINE_SIGNUPS_PER_SOURCE_HOUR", 5),
        )

    @property
    def twilio_account_sid(self) -> str:
        return self.secrets.get("TWILIO_ACCOUNT_SID")

    @property
    def twilio_auth_token(self) -> str:
        return self.secrets.get("TWILIO_AUTH_TOKEN")

    @property
    def jwt_secret(self) -> str:
        return self.secrets.get("HOTLINE_JWT_SECRET")

    def public_url(self, path: str) -> str:
        """The URL Twilio uses for ``path``: the public base (stage prefix included) plus path."""
        return self.public_base_url + (path if path.startswith("/") else "/" + path)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environ()
