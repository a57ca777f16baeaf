"""Integration fixtures: a tenant with a number and the default voice flow published,
and the Chalice app's test client, on DynamoDB Local."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from chalice.test import Client
from twilio.request_validator import RequestValidator

from chalicelib.config import Settings
from chalicelib.domain.identity import PhoneNumber, Tenant

ROOT = Path(__file__).resolve().parents[2]
ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass
class Line:
    tenant: Tenant
    number: str
    settings: Settings

    def signed(self, path: str, params: dict[str, str], token: str | None = None
               ) -> tuple[str, dict[str, str]]:
        """Body and headers as Twilio would send them to ``path`` (query included)."""
        url = self.settings.public_url(path)
        signature = RequestValidator(token or self.tenant.twilio_auth_token).compute_signature(
            url, params)
        return urlencode(params), {"Content-Type": "application/x-www-form-urlencoded",
                                   "X-Twilio-Signature": signature}

    def call_params(self, call_sid: str, caller: str = "+14155550123",
                    **extra: str) -> dict[str, str]:
        return {"CallSid": call_sid, "AccountSid": self.tenant.twilio_account_sid,
                "From": caller, "To": self.number, "CallStatus": "ringing",
                "Direction": "inbound", "ApiVersion": "2010-04-01", **extra}


@pytest.fixture(autouse=True)
def own_environment(settings: Settings, test_environ: dict[str, str]) -> None:
    """Every integration test runs against the integration tables, whatever ran before."""
    from tests.conftest import activate

    activate(test_environ)


@pytest.fixture
def line(settings: Settings, tenant_id: str) -> Line:
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    account = "AC" + uuid.uuid4().hex
    tenant = Tenant(tenant_id=tenant_id, name="Aqua Pure", timezone="America/New_York",
                    twilio_account_sid=account, twilio_auth_token="tok-" + uuid.uuid4().hex,
                    created_at=time.time(), profile={"hours": ALWAYS_OPEN})
    repo = TenantRepository(settings)
    repo.save(tenant)
    number = "+1415" + str(uuid.uuid4().int)[:7]
    flows = FlowRepository(settings)
    doc = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())
    flows.create(tenant_id, "voice-ivr", "IVR", doc)
    flows.publish(tenant_id, "voice-ivr", doc, expected_revision=0)
    repo.save_number(PhoneNumber(number=number, tenant_id=tenant_id, flow_id="voice-ivr"))
    return Line(tenant=tenant, number=number, settings=settings)


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    from app import app
    from chalicelib import wiring

    wiring.reset()
    with Client(app, stage_name="local") as test_client:
        yield test_client
    wiring.reset()
