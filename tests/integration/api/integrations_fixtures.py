"""A second business's owner, for the data-interface tests' isolation checks."""

from __future__ import annotations

import time
import uuid

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import Principal, Role, Tenant, User
from tests.integration.api.conftest import Session


@pytest.fixture(name="other_owner")
def other_owner_fixture(settings: Settings, client: Client) -> Session:
    tenant_id = "tn_" + uuid.uuid4().hex[:12]
    tenant = Tenant(tenant_id=tenant_id, name="Brook", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time())
    user = User(tenant_id=tenant_id, user_id="u_owner_b",
                email=f"owner-{uuid.uuid4().hex[:8]}@example.com", name="Bea",
                role=Role.OWNER, password_hash="not-used", created_at=time.time())
    TenantRepository(settings).create_with_owner(tenant, user)
    token = TokenSigner(settings.jwt_secret, 3600).issue(
        Principal(tenant_id, user.user_id, Role.OWNER))
    return Session(client=client, token=token, user=user)
