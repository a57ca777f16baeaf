"""A real Studio export through /api/flows: the exporting account's SIDs come back as named
warnings from validate and publish, and the flow is published."""

from __future__ import annotations

import json

from chalicelib.domain.identity import Principal, Role
from tests.integration.conftest import ROOT
from tests.integration.sessions import session_token

AUTODIALER = json.loads((ROOT / "tests" / "fixtures" / "studio-flows" / "real" /
                         "autodialer.json").read_text())
WARNING = {"code": "metadata-sid", "severity": "warning", "state": "enqueue",
           "path": "$.states[3].properties.workflow_sid"}


def _call(client, method, path, token):
    response = getattr(client.http, method)(
        path, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        **({"body": json.dumps({"name": "Autodialer", "flow_id": "dialer",
                                "definition": AUTODIALER})} if method == "post"
           and path == "/api/flows" else {}))
    return response.status_code, json.loads(response.body)


def _subset(issue):
    return {k: issue[k] for k in WARNING}


def test_validate_and_publish_answer_the_metadata_warnings_and_publish(client, settings,
                                                                      tenant_id):
    token = session_token(settings, Principal(tenant_id, "u_1", Role.OWNER), 600)
    status, created = _call(client, "post", "/api/flows", token)
    assert status == 200 and [_subset(i) for i in created["issues"]] == [WARNING]

    status, checked = _call(client, "post", "/api/flows/dialer/validate", token)
    assert status == 200 and checked["valid"] is True
    assert [_subset(i) for i in checked["issues"]] == [WARNING]
    assert "WW573b22630835278b6ae66155e7a59fd7" in checked["issues"][0]["message"]

    status, published = _call(client, "post", "/api/flows/dialer/publish", token)
    assert status == 200 and published["revision"] == 1
    assert [_subset(i) for i in published["warnings"]] == [WARNING]
