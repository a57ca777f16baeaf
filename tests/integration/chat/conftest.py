"""A business with a support queue, agents with sessions, and its widget key, on
DynamoDB Local; the visitor and the agents talk to the real app through Chalice's client."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import PasswordHasher
from chalicelib.config import Settings
from chalicelib.domain.identity import Principal, Role, Tenant, User
from tests.integration.conftest import ALWAYS_OPEN
from tests.integration.sessions import session_token


@dataclass
class Http:
    client: Client

    def call(self, method: str, path: str, body: Any = None, token: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any, dict[str, str]]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        response = self.client.http.request(method, path, headers=sent,
                                            body=b"" if body is None else json.dumps(body))
        raw = response.body
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        return response.status_code, payload, dict(response.headers)

    def ok(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        status, payload, _ = self.call(method, path, body, token)
        assert 200 <= status < 300, f"{method} {path} -> {status}: {payload}"
        return payload


@dataclass
class Business:
    tenant: Tenant
    widget_key: str
    settings: Settings
    agents: dict[str, str] = field(default_factory=dict)  # user id -> session token

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    def session(self, user_id: str, role: Role = Role.AGENT) -> str:
        return session_token(self.settings, Principal(self.tenant_id, user_id, role))

    def add_agent(self, user_id: str, name: str, available: bool = True) -> str:
        from chalicelib.wiring import get_agent_desk, get_routing_admin

        TenantRepository(self.settings).add_user(User(
            tenant_id=self.tenant_id, user_id=user_id, name=name, role=Role.AGENT,
            email=f"{user_id}-{uuid.uuid4().hex[:6]}@example.com",
            password_hash=PasswordHasher().hash("a-long-password"), created_at=time.time()))
        get_routing_admin().put_agent_routing(self.tenant_id, user_id, {})
        get_agent_desk().set_activity(self.tenant_id, user_id,
                                      "available" if available else "offline")
        self.agents[user_id] = self.session(user_id)
        return self.agents[user_id]


def make_business(settings: Settings, name: str = "Aqua Pure",
                  hours: dict[str, Any] | None = None) -> Business:
    from chalicelib.wiring import get_chat_visitors, get_routing_admin

    tenant_id = "tn_" + uuid.uuid4().hex[:12]
    tenant = Tenant(tenant_id=tenant_id, name=name, timezone="America/New_York",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time(),
                    profile={"hours": ALWAYS_OPEN if hours is None else hours})
    TenantRepository(settings).save(tenant)
    get_routing_admin().put_queue(tenant_id, "support", {})
    return Business(tenant, get_chat_visitors().widget_key(tenant_id), settings)


@pytest.fixture
def http(client: Client) -> Http:
    return Http(client)


@pytest.fixture
def business(http: Http, settings: Settings) -> Business:
    return make_business(settings)
