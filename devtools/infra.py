"""Generate infra/hotline.json, the CloudFormation `chalice package` merges in.

The tables come from the PynamoDB models themselves (keys, indexes, TTL), so the
deployed schema cannot drift from the code; a test checks the committed file is current.
Run: `.venv/bin/python -m devtools.infra` after changing a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "hotline.json"
TTL_ATTRIBUTES = ("expires_at", "ttl")
_TYPES = {"S": "S", "N": "N", "B": "B"}


def _logical_id(base_name: str) -> str:
    return "".join(part.capitalize() for part in base_name.replace("_", "-").split("-")) + "Table"


def _key_schema(hash_key: str, range_key: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return schema


def table_resource(model: Any) -> dict[str, Any]:
    """One AWS::DynamoDB::Table from a PynamoDB model class."""
    attributes = model.get_attributes()
    used: dict[str, str] = {}

    def key(name: str | None) -> str | None:
        if name:
            used[name] = _TYPES[attributes[name].attr_type]
        return name

    hash_key = key(model._hash_keyname)
    range_key = key(model._range_keyname)
    indexes = []
    for index in model._indexes.values():
        meta = index.Meta
        index_hash = index_range = None
        for attr_name, attr in index.Meta.attributes.items():
            if attr.is_hash_key:
                index_hash = key(attr_name)
            elif attr.is_range_key:
                index_range = key(attr_name)
        assert index_hash is not None
        indexes.append({"IndexName": meta.index_name,
                        "KeySchema": _key_schema(index_hash, index_range),
                        "Projection": {"ProjectionType": meta.projection.projection_type}})
    props: dict[str, Any] = {
        "TableName": {"Fn::Sub": f"hotline-${{Stage}}-{model.Meta.base_name}"},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t}
                                 for n, t in sorted(used.items())],
        "KeySchema": _key_schema(hash_key or "", range_key),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True},
    }
    if indexes:
        props["GlobalSecondaryIndexes"] = sorted(indexes, key=lambda i: i["IndexName"])
    ttl = next((name for name in TTL_ATTRIBUTES if name in attributes), None)
    if ttl:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain", "Properties": props}


def _alarm(name: str, metric: str, namespace: str, dims: list[dict[str, Any]],
           threshold: int) -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmName": {"Fn::Sub": f"hotline-${{Stage}}-{name}"},
        "Namespace": namespace, "MetricName": metric, "Dimensions": dims,
        "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": threshold,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching"}}


def build() -> dict[str, Any]:
    from chalicelib.adapters.dynamo import base
    from chalicelib.adapters.dynamo.tables import import_all_models

    import_all_models()
    resources: dict[str, Any] = {}
    for model in sorted(base.REGISTRY, key=lambda m: m.Meta.base_name):
        table_id = _logical_id(model.Meta.base_name)
        resources[table_id] = table_resource(model)
        resources[table_id.replace("Table", "ThrottleAlarm")] = _alarm(
            f"{model.Meta.base_name}-throttled", "ThrottledRequests", "AWS/DynamoDB",
            [{"Name": "TableName", "Value": {"Ref": table_id}}], 1)
    resources["Secrets"] = {"Type": "AWS::SecretsManager::Secret", "Properties": {
        "Name": {"Fn::Sub": "hotline-${Stage}"},
        "Description": "Twilio credentials and the session signing key "
                       "(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, HOTLINE_JWT_SECRET)",
        "GenerateSecretString": {"SecretStringTemplate": "{\"TWILIO_ACCOUNT_SID\": \"\"}",
                                 "GenerateStringKey": "HOTLINE_JWT_SECRET",
                                 "PasswordLength": 48, "ExcludePunctuation": True}}}
    resources["ApiErrorsAlarm"] = _alarm("api-errors", "Errors", "AWS/Lambda",
                                         [{"Name": "FunctionName",
                                           "Value": {"Fn::Sub": "hotline-${Stage}"}}], 5)
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Hotline: DynamoDB tables (from the PynamoDB models), secrets, alarms",
        "Parameters": {"Stage": {"Type": "String", "Default": "prod",
                                 "AllowedPattern": "[a-z0-9-]+"}},
        "Resources": resources,
        "Outputs": {"SecretArn": {"Value": {"Ref": "Secrets"}}},
    }


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=False) + "\n"


def main() -> int:
    TEMPLATE.parent.mkdir(exist_ok=True)
    TEMPLATE.write_text(render())
    print(f"wrote {TEMPLATE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
