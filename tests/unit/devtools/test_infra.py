"""The CloudFormation template is generated from the models and must be current."""

from __future__ import annotations

import json

from devtools.infra import TEMPLATE, build, render


def test_committed_template_matches_the_models() -> None:
    assert TEMPLATE.read_text() == render(), (
        "infra/hotline.json is stale: run `.venv/bin/python -m devtools.infra`")


def test_every_table_is_on_demand_with_its_keys_defined() -> None:
    template = build()
    tables = [r["Properties"] for r in template["Resources"].values()
              if r["Type"] == "AWS::DynamoDB::Table"]
    assert tables
    for table in tables:
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        defined = {a["AttributeName"] for a in table["AttributeDefinitions"]}
        keys = {k["AttributeName"] for k in table["KeySchema"]}
        for index in table.get("GlobalSecondaryIndexes", []):
            keys |= {k["AttributeName"] for k in index["KeySchema"]}
        assert keys == defined


def test_idempotency_records_expire_by_ttl() -> None:
    resources = json.loads(render())["Resources"]
    assert resources["IdempotencyTable"]["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": "expires_at", "Enabled": True}
