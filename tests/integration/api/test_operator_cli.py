"""`./dev operator create <stage>` writes a login to the stage's tables that opens the
operator API (DynamoDB Local standing in for the stage's tables)."""

from __future__ import annotations

import uuid

from chalice.test import Client

from chalicelib.adapters.dynamo import base
from chalicelib.config import Settings
from devtools import operator_cli
from tests.integration.api.conftest import Session


def _environ(settings: Settings, password: str) -> dict[str, str]:
    return {"HOTLINE_TABLE_PREFIX": settings.table_prefix,
            "AWS_ENDPOINT_URL_DYNAMODB": settings.dynamodb_endpoint or "",
            "AWS_REGION": settings.aws_region, operator_cli.PASSWORD_ENV: password}


def test_the_command_creates_an_operator_who_logs_in_to_the_operator_api(
        settings: Settings, client: Client, capsys) -> None:  # type: ignore[no-untyped-def]
    email = f"ops-{uuid.uuid4().hex[:8]}@platform.example"
    args = operator_cli.build_parser().parse_args(
        ["create", "test", "--email", email, "--name", "Pat", "--force"])
    try:
        # when the operator is created with the password from the environment
        assert operator_cli.create(args, _environ(settings, "a-long-operator-secret")) == 0
        assert f"Operator login  {email}" in capsys.readouterr().out
        # then a second one without --force is refused, naming the first
        again = operator_cli.build_parser().parse_args(
            ["create", "test", "--email", "other-" + email])
        assert operator_cli.create(again, _environ(settings, "a-long-operator-secret")) == 1
        assert "already has an operator" in capsys.readouterr().err
    finally:
        base.bind(settings)  # the tests' own timeouts again
    # and the new login opens the operator's API
    session = Session(client=client, token="", user=None)  # type: ignore[arg-type]
    status, answer = session.send("POST", "/api/login", token=False,
                                  body={"email": email, "password": "a-long-operator-secret"})
    assert status == 200 and answer["user"]["role"] == "operator"
    session.token = answer["token"]
    status, listed = session.send("GET", "/api/operator/tenants")
    assert status == 200 and isinstance(listed["tenants"], list)
