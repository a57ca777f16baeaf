"""Sessions of two tenants on DynamoDB Local, for the contacts API."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.config import Settings
from chalicelib.domain.identity import Principal, Role
from tests.integration.sessions import session_token


@dataclass
class Api:
    client: Client
    token: str
    principal: Principal

    def send(self, method: str, path: str, body: Any = None, raw: str | None = None,
             content_type: str = "application/json") -> tuple[int, Any]:
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {self.token}"}
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        response = self.client.http.request(method, path, headers=headers, body=data)
        kind = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
        if kind.startswith("text/csv"):
            return response.status_code, response.body.decode()
        return response.status_code, json.loads(response.body or b"null")

    def get(self, path: str) -> Any:
        status, body = self.send("GET", path)
        assert status == 200, body
        return body


@pytest.fixture
def session_for(settings: Settings, client: Client) -> Callable[[str, Role], Api]:
    def make(tenant_id: str, role: Role = Role.ADMIN) -> Api:
        who = Principal(tenant_id, "u_" + uuid.uuid4().hex[:8], role)
        return Api(client, session_token(settings, who), who)

    return make


@pytest.fixture
def admin(session_for: Callable[[str, Role], Api], tenant_id: str) -> Api:
    return session_for(tenant_id, Role.ADMIN)


@pytest.fixture
def stranger(session_for: Callable[[str, Role], Api]) -> Api:
    """An admin of another tenant."""
    return session_for("tn_" + uuid.uuid4().hex[:12], Role.ADMIN)
