"""The artifact under test: built once per session by the code `./dev package` runs (or
taken from HOTLINE_ARTIFACT_DIR, where `./dev test` has just built it), unpacked into an
empty folder, and run in an isolated interpreter on DynamoDB Local and the simulator."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.ddblocal import DynamoDBLocal, local_aws_environ
from devtools.package import TEMPLATE, Artifact, build
from devtools.stack import LOCAL_JWT_SECRET, PLATFORM_ACCOUNT_SID, PLATFORM_AUTH_TOKEN
from tests.artifact.harness import (
    FakeSecretsManager,
    IsolatedHandler,
    base_environ,
    create_tables,
    function_environment,
    unpack,
)

STAGE = "dev"
PUBLIC_BASE_URL = "https://artifact.example.com/api"
PREBUILT = "HOTLINE_ARTIFACT_DIR"


@pytest.fixture(scope="session")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Artifact:
    prebuilt = os.environ.get(PREBUILT)
    if prebuilt:
        built = Artifact(STAGE, Path(prebuilt), 0.0)
        if not built.app_zip.is_file() or not built.template.is_file():
            pytest.fail(f"{PREBUILT}={prebuilt} holds no package: its build failed")
        stage = json.loads(built.template.read_text())["Parameters"]["Stage"]["Default"]
        assert stage == STAGE, f"{PREBUILT} holds stage {stage}, the test runs {STAGE}"
        return built
    return build(STAGE, tmp_path_factory.mktemp("package"), log=lambda _line: None)


@pytest.fixture(scope="session")
def template(artifact: Artifact) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((artifact.out_dir / TEMPLATE).read_text())
    return loaded


@pytest.fixture(scope="session")
def carrier() -> Iterator[Any]:
    from sim.server import start_simulator

    handle = start_simulator(port=0, account_sid=PLATFORM_ACCOUNT_SID,
                             auth_token=PLATFORM_AUTH_TOKEN, time_scale=0.1)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(scope="session")
def secrets_manager(template: dict[str, Any]) -> Iterator[FakeSecretsManager]:
    """The stage's secret, `hotline-dev`, as infra/hotline.json creates it and the
    operator fills it in (docs/deploy.md)."""
    secret_id = function_environment(template, {"PublicBaseUrl": ""})["HOTLINE_SECRET_ID"]
    fake = FakeSecretsManager({secret_id: {
        "TWILIO_ACCOUNT_SID": PLATFORM_ACCOUNT_SID, "TWILIO_AUTH_TOKEN": PLATFORM_AUTH_TOKEN,
        "HOTLINE_JWT_SECRET": LOCAL_JWT_SECRET}})
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="session")
def handler(artifact: Artifact, template: dict[str, Any], dynamodb_local: DynamoDBLocal,
            carrier: Any, secrets_manager: FakeSecretsManager,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedHandler]:
    """The packaged handler, in `python -I -S`, configured as the template configures it:
    no secret in its environment, the stage's secret read from Secrets Manager."""
    roots = unpack(artifact, tmp_path_factory.mktemp("unpacked"))
    create_tables(template, STAGE, dynamodb_local.endpoint)
    env = {**base_environ(),
           **function_environment(template, {"PublicBaseUrl": PUBLIC_BASE_URL}),
           **local_aws_environ(dynamodb_local.endpoint),
           "AWS_ENDPOINT_URL_SECRETS_MANAGER": secrets_manager.url,
           "TWILIO_API_BASE": carrier.url,
           # DynamoDB Local answers its first requests slowly on a busy machine
           "HOTLINE_DYNAMODB_TIMEOUT": "3"}
    running = IsolatedHandler(roots, env, tmp_path_factory.mktemp("logs") / "handler.log")
    try:
        yield running
    finally:
        running.close()
