"""/api/flows through the real app: roles, tenant isolation, publish only what is valid."""

from __future__ import annotations

import json
import uuid

import pytest

from chalicelib.domain.identity import Principal, Role
from tests.integration.conftest import ROOT
from tests.integration.sessions import session_token

IVR = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())


def _token(settings, tenant_id, role=Role.OWNER):
    return session_token(settings, Principal(tenant_id, f"u_{role.value}", role), 600)


def _call(client, method, path, token, body=None):
    response = getattr(client.http, method)(
        path, body=json.dumps(body) if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return response.status_code, json.loads(response.body) if response.body else None


def test_owner_creates_publishes_and_rolls_back_a_flow(client, settings, tenant_id):
    token = _token(settings, tenant_id)
    status, created = _call(client, "post", "/api/flows", token,
                            {"name": "Main line", "flow_id": "main", "definition": IVR})
    assert status == 200 and created["issues"] == []
    assert _call(client, "post", "/api/flows/main/publish", token)[1] == {"revision": 1,
                                                                       "warnings": []}
    changed = json.loads(json.dumps(IVR))
    changed["description"] = "second"
    assert _call(client, "put", "/api/flows/main", token, {"definition": changed})[0] == 200
    assert _call(client, "post", "/api/flows/main/publish", token)[1] == {"revision": 2,
                                                                       "warnings": []}
    assert _call(client, "post", "/api/flows/main/rollback", token,
                 {"revision": 1})[1] == {"revision": 3}
    revisions = _call(client, "get", "/api/flows/main/revisions", token)[1]["revisions"]
    assert len(revisions) == 3


def test_invalid_draft_is_saved_but_never_published(client, settings, tenant_id):
    token = _token(settings, tenant_id)
    broken = json.loads(json.dumps(IVR))
    broken["states"][1]["transitions"][0]["next"] = "nowhere"
    status, created = _call(client, "post", "/api/flows", token,
                            {"name": "Broken", "flow_id": "broken", "definition": broken})
    assert status == 200
    assert any(i["path"] == "$.states[1].transitions[0].next" for i in created["issues"])
    status, error = _call(client, "post", "/api/flows/broken/publish", token)
    assert status == 400
    assert "nowhere" in error["message"]


def test_agents_cannot_publish(client, settings, tenant_id):
    owner = _token(settings, tenant_id)
    _call(client, "post", "/api/flows", owner, {"name": "X", "flow_id": "x", "definition": IVR})
    status, _ = _call(client, "post", "/api/flows/x/publish",
                      _token(settings, tenant_id, Role.AGENT))
    assert status == 403


def test_another_tenants_flow_is_not_found(client, settings, tenant_id):
    _call(client, "post", "/api/flows", _token(settings, tenant_id),
          {"name": "Mine", "flow_id": "mine", "definition": IVR})
    other = _token(settings, "tn_" + uuid.uuid4().hex[:8])
    assert _call(client, "get", "/api/flows/mine", other)[0] == 404
    assert _call(client, "post", "/api/flows/mine/publish", other)[0] == 404


def test_binding_a_number_of_another_tenant_is_not_found(client, settings, line):
    token = _token(settings, line.tenant.tenant_id)
    status, _ = _call(client, "put", "/api/numbers/+19998887777/flow", token,
                      {"flow_id": "voice-ivr", "channel": "voice"})
    assert status == 404
    status, body = _call(client, "put", f"/api/numbers/{line.number}/flow", token,
                         {"flow_id": "voice-ivr", "channel": "voice"})
    assert status == 200 and body["flow_id"] == "voice-ivr"


@pytest.mark.parametrize("body,path", [({"revision": "1"}, "revision"), ({}, "revision")])
def test_rollback_needs_a_revision_number(client, settings, tenant_id, body, path):
    status, error = _call(client, "post", "/api/flows/any/rollback",
                          _token(settings, tenant_id), body)
    assert status == 400 and error["path"] == path
