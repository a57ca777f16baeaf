"""An owner and their session on DynamoDB Local, for the JSON API tests."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import PLATFORM_TENANT, Principal, Role, Tenant, User


@dataclass
class Session:
    client: Client
    token: str
    user: User

    def send(self, method: str, path: str, raw: str | bytes | None = None,
             body: Any = None, token: bool = True) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = self.client.http.request(method, path, headers=headers, body=data)
        try:
            return response.status_code, json.loads(response.body or b"null")
        except ValueError:
            return response.status_code, response.body


@pytest.fixture
def owner(settings: Settings, tenant_id: str, client: Client) -> Session:
    repo = TenantRepository(settings)
    tenant = Tenant(tenant_id=tenant_id, name="Aqua", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time())
    user = User(tenant_id=tenant_id, user_id="u_owner",
                email=f"owner-{uuid.uuid4().hex[:8]}@example.com", name="Olivia",
                role=Role.OWNER, password_hash="not-used", created_at=time.time())
    repo.create_with_owner(tenant, user)
    token = TokenSigner(settings.jwt_secret, 3600).issue(
        Principal(tenant_id, user.user_id, Role.OWNER))
    return Session(client=client, token=token, user=user)


@pytest.fixture
def operator(settings: Settings, client: Client) -> Session:
    """The platform's operator: a user under the reserved platform tenant."""
    user = User(tenant_id=PLATFORM_TENANT, user_id=f"u_operator_{uuid.uuid4().hex[:8]}",
                email=f"operator-{uuid.uuid4().hex[:8]}@example.com", name="Ops",
                role=Role.OPERATOR, password_hash="not-used", created_at=time.time())
    TenantRepository(settings).add_user(user)
    token = TokenSigner(settings.jwt_secret, 3600).issue(
        Principal(PLATFORM_TENANT, user.user_id, Role.OPERATOR))
    return Session(client=client, token=token, user=user)
