"""GET /api/flows/{id}/revisions/{n}: the flow page reads the live definition to draw it."""

from __future__ import annotations

import json
import uuid

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


def test_a_published_revision_comes_back_with_its_definition_while_the_draft_moves_on(
        client, settings, tenant_id):
    # given a flow published once, then a draft edited after it
    token = _token(settings, tenant_id)
    _call(client, "post", "/api/flows", token, {"name": "Main", "flow_id": "main",
                                                "definition": IVR})
    _call(client, "post", "/api/flows/main/publish", token)
    edited = json.loads(json.dumps(IVR))
    edited["states"][1]["properties"]["say"] = "Hello from the draft."
    _call(client, "put", "/api/flows/main", token, {"definition": edited})
    # when the page reads revision 1
    status, body = _call(client, "get", "/api/flows/main/revisions/1", token)
    # then it gets the definition that is live, not the draft
    assert status == 200
    assert body["revision"]["revision"] == 1
    assert body["revision"]["definition"] == IVR


def test_a_revision_that_does_not_exist_or_is_not_a_number_is_refused(
        client, settings, tenant_id):
    token = _token(settings, tenant_id)
    _call(client, "post", "/api/flows", token, {"name": "Main", "flow_id": "main",
                                                "definition": IVR})
    assert _call(client, "get", "/api/flows/main/revisions/7", token)[0] == 404
    status, error = _call(client, "get", "/api/flows/main/revisions/seven", token)
    assert status == 400 and error["path"] == "revision"


def test_an_agent_cannot_read_a_revision(client, settings, tenant_id):
    owner = _token(settings, tenant_id)
    _call(client, "post", "/api/flows", owner, {"name": "Main", "flow_id": "main",
                                                "definition": IVR})
    _call(client, "post", "/api/flows/main/publish", owner)
    assert _call(client, "get", "/api/flows/main/revisions/1",
                 _token(settings, tenant_id, Role.AGENT))[0] == 403


def test_another_tenants_revision_is_not_found(client, settings, tenant_id):
    owner = _token(settings, tenant_id)
    _call(client, "post", "/api/flows", owner, {"name": "Mine", "flow_id": "mine",
                                                "definition": IVR})
    _call(client, "post", "/api/flows/mine/publish", owner)
    other = _token(settings, "tn_" + uuid.uuid4().hex[:8])
    assert _call(client, "get", "/api/flows/mine/revisions/1", other)[0] == 404
