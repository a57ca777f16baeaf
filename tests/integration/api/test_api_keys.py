"""API keys through HTTP on DynamoDB Local: created with a role and shown once, stored
hashed, authorising the API as that role would, never managing keys or reaching the
operator's API, and refused (401) once revoked."""

from __future__ import annotations

import hashlib

import pytest

from chalicelib.adapters.dynamo.models.integrations import IntegrationModel
from tests.integration.api.conftest import Session


def with_key(owner: Session, token: str) -> Session:
    return Session(client=owner.client, token=token, user=owner.user)


def create_key(owner: Session, role: str, name: str = "CRM sync") -> dict:
    status, body = owner.send("POST", "/api/keys", body={"name": name, "role": role})
    assert status == 201, body
    return body


def test_a_created_key_is_shown_once_listed_without_its_secret_and_stored_hashed(owner):
    # when the owner creates a key
    created = create_key(owner, "supervisor")
    token = created["key"]
    key_id = created["id"]
    # then the token is hk_<id>_<secret>, and the list shows its prefix but never the secret
    assert token.startswith(f"hk_{key_id}_") and created["role"] == "supervisor"
    status, listed = owner.send("GET", "/api/keys")
    assert status == 200
    (row,) = [k for k in listed["keys"] if k["id"] == key_id]
    assert row["prefix"] == token[:12] and row["name"] == "CRM sync"
    assert row["last_used_at"] is None and row["revoked_at"] is None
    assert "key" not in row and token.split("_", 2)[2] not in str(listed)
    # and at rest only the secret's SHA-256 is kept
    item = IntegrationModel.get(owner.user.tenant_id, f"key#{key_id}")
    secret = token.split("_", 2)[2]
    assert item.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(item.serialize())


def test_a_key_authorises_the_api_as_its_role_and_records_its_use(owner):
    # given an agent key and a supervisor key
    agent = with_key(owner, create_key(owner, "agent")["key"])
    supervisor = with_key(owner, create_key(owner, "supervisor")["key"])
    # when each calls the API
    assert agent.send("POST", "/api/contacts", body={"phone": "+14155550111"})[0] == 200
    assert agent.send("GET", "/api/contacts")[0] == 200
    # then the agent's key gets 403 where an agent would, the supervisor's is let in
    status, body = agent.send("GET", "/api/export/contacts")
    assert status == 403 and "supervisor" in body["message"]
    assert supervisor.send("GET", "/api/export/contacts")[0] == 200
    # and the key's last use is recorded
    listed = owner.send("GET", "/api/keys")[1]["keys"]
    assert all(k["last_used_at"] is not None for k in listed)


def test_even_an_admin_key_cannot_manage_keys_nor_reach_the_operator_api(owner):
    admin = with_key(owner, create_key(owner, "admin")["key"])
    assert admin.send("GET", "/api/keys")[0] == 403
    assert admin.send("POST", "/api/keys", body={"name": "x", "role": "admin"})[0] == 403
    assert admin.send("GET", "/api/operator/tenants")[0] == 403
    assert admin.send("GET", "/api/webhooks")[0] == 200  # admins manage webhooks


def test_a_revoked_key_is_refused_at_once(owner):
    created = create_key(owner, "admin")
    key = with_key(owner, created["key"])
    assert key.send("GET", "/api/contacts")[0] == 200
    # when the owner revokes it
    status, body = owner.send("DELETE", f"/api/keys/{created['id']}")
    assert (status, body["revoked"]) == (200, True)
    # then it is 401 on the next request, and a second revoke is 404
    status, body = key.send("GET", "/api/contacts")
    assert status == 401 and "revoked" in body["message"]
    assert owner.send("DELETE", f"/api/keys/{created['id']}")[0] == 404
    (row,) = [k for k in owner.send("GET", "/api/keys")[1]["keys"] if k["id"] == created["id"]]
    assert row["revoked_at"] is not None


@pytest.mark.parametrize("token", ["hk_nosuchkey_abcdef", "hk_bad", "hk_abc_"])
def test_an_unknown_or_malformed_key_is_401(owner, token):
    status, body = with_key(owner, token).send("GET", "/api/contacts")
    assert status == 401 and body["error"] == "unauthorized"


def test_a_wrong_secret_for_a_real_key_id_is_401(owner):
    created = create_key(owner, "admin")
    forged = f"hk_{created['id']}_{'a' * 40}"
    assert with_key(owner, forged).send("GET", "/api/contacts")[0] == 401


def test_bad_key_requests_name_the_field(owner):
    status, body = owner.send("POST", "/api/keys", body={"name": "x", "role": "owner"})
    assert status == 400 and body["path"] == "role"
    status, body = owner.send("POST", "/api/keys", body={"role": "agent"})
    assert status == 400 and "name" in body["message"]
