"""Secrets Manager: the deployed stage's Twilio credentials and session key.

The secret (``hotline-<stage>``, created by infra/hotline.json) holds one JSON object:

    {"TWILIO_ACCOUNT_SID": "AC…", "TWILIO_AUTH_TOKEN": "…", "HOTLINE_JWT_SECRET": "…"}

It is read with botocore (already loaded for PynamoDB; boto3 is not needed), with short
timeouts and one retry, so a first request that needs it still answers inside Twilio's
15 s. Provider errors are translated here: a secret that is missing, unreadable or not
that JSON object is a ``ConfigError`` naming it; throttling or a timeout is
``Unavailable`` (the next request tries again).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from chalicelib.config import ConfigError
from chalicelib.domain.errors import Unavailable

_NOT_FOUND = {"ResourceNotFoundException"}
_REFUSED = {"AccessDeniedException", "DecryptionFailure", "InvalidRequestException",
            "InvalidParameterException", "UnrecognizedClientException"}
CONNECT_TIMEOUT, READ_TIMEOUT, MAX_ATTEMPTS = 1.0, 2.0, 2


def secretsmanager_client(region: str) -> Any:
    """A bounded botocore client for Secrets Manager in ``region``."""
    import botocore.session
    from botocore.config import Config

    config = Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                    retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return botocore.session.get_session().create_client(
        "secretsmanager", region_name=region, config=config)


class SecretsManagerSource:
    """Reads one secret's JSON object; the client is built on first use."""

    def __init__(self, secret_id: str, region: str,
                 client_factory: Callable[[str], Any] = secretsmanager_client) -> None:
        self.secret_id = secret_id
        self._region = region
        self._client_factory = client_factory

    def load(self) -> Mapping[str, str]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self._client_factory(self._region).get_secret_value(SecretId=self.secret_id)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _NOT_FOUND:
                raise ConfigError(f"secret {self.secret_id} does not exist in Secrets Manager "
                                  f"({self._region}); create it or fix HOTLINE_SECRET_ID") from exc
            if code in _REFUSED:
                raise ConfigError(f"secret {self.secret_id} cannot be read: {code}") from exc
            raise Unavailable(f"Secrets Manager did not answer for {self.secret_id}: "
                              f"{code}") from exc
        except BotoCoreError as exc:
            raise Unavailable(f"Secrets Manager did not answer for {self.secret_id}: "
                              f"{exc}") from exc
        return parse(self.secret_id, answer.get("SecretString"))


def parse(secret_id: str, text: object) -> dict[str, str]:
    """The secret's JSON object of strings, or a ConfigError naming the secret."""
    if not isinstance(text, str):
        raise ConfigError(f"secret {secret_id} has no SecretString: store a JSON object")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"secret {secret_id} is not JSON: store a JSON object") from exc
    if not isinstance(doc, dict):
        raise ConfigError(f"secret {secret_id} must be a JSON object, got "
                          f"{type(doc).__name__}")
    wrong = sorted(key for key, value in doc.items() if not isinstance(value, str))
    if wrong:
        raise ConfigError(f"secret {secret_id}: {', '.join(wrong)} must be strings")
    return dict(doc)
