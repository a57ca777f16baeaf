"""Shared fixtures: DynamoDB Local (real, in memory), settings, tables."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from devtools.ddblocal import DynamoDBLocal, free_port, local_aws_environ

TEST_ENV = {
    "HOTLINE_STAGE": "test",
    "PUBLIC_BASE_URL": "https://hotline.example.com/api",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
    "TWILIO_AUTH_TOKEN": "platform-test-token",
    "HOTLINE_JWT_SECRET": "test-secret-test-secret-test-secret-0123",
}


@pytest.fixture(scope="session")
def dynamodb_local() -> Iterator[DynamoDBLocal]:
    """One real DynamoDB Local per test session, in memory."""
    ddb = DynamoDBLocal(port=free_port())
    ddb.start()
    saved = dict(os.environ)
    os.environ.update(local_aws_environ(ddb.endpoint))
    try:
        yield ddb
    finally:
        ddb.stop()
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="session")
def test_environ(dynamodb_local: DynamoDBLocal) -> dict[str, str]:
    """The app's environment for integration tests: their own DynamoDB Local and tables."""
    return {**TEST_ENV, **local_aws_environ(dynamodb_local.endpoint),
            "HOTLINE_TABLE_PREFIX": f"t{uuid.uuid4().hex[:8]}"}


@pytest.fixture(scope="session")
def settings(test_environ: dict[str, str]):  # type: ignore[no-untyped-def]
    """Settings for the test stage, pointed at DynamoDB Local, with every table created."""
    from chalicelib.adapters.dynamo.tables import create_all
    from chalicelib.config import Settings

    os.environ.update(test_environ)
    settings = Settings.from_environ(test_environ)
    create_all(settings)
    return settings


_APP_PREFIXES = ("HOTLINE_", "TWILIO_", "PUBLIC_BASE_URL", "AWS_")


def activate(environ: dict[str, str]) -> None:
    """Point the process (settings, lazily built services, models) at ``environ``.

    Integration tests and the e2e stack each have their own database; whichever test runs
    next re-activates its own, so test layers never leak into each other.
    """
    from chalicelib import wiring
    from chalicelib.adapters.dynamo import base
    from chalicelib.config import Settings

    for key in [k for k in os.environ if k.startswith(_APP_PREFIXES) and k not in environ]:
        del os.environ[key]
    os.environ.update(environ)
    wiring.reset()
    base.bind(Settings.from_environ(environ))


@pytest.fixture
def tenant_id() -> str:
    """A fresh tenant id: every key begins with it, so tests never see each other's data."""
    return "tn_" + uuid.uuid4().hex[:12]
