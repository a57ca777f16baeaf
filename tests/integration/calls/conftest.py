"""The call API through the real app on DynamoDB Local, with a recording fake carrier in
place of Twilio's REST API (its conference operations as Twilio documents them)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client
from twilio.request_validator import RequestValidator

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import Principal, Role, Tenant, User

BUSINESS = "+15559990000"
CALLER = "+15550001111"
_SIDS = itertools.count(1)


def sid(prefix: str = "CA") -> str:
    return f"{prefix}{next(_SIDS):032x}"


@dataclass
class FakeCarrier:
    """Records every REST operation; legs it places get fresh CallSids."""

    ops: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    conference: str = "CF" + "c" * 32

    def _op(self, name: str, **args: Any) -> None:
        self.ops.append((name, args))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [args for op, args in self.ops if op == name]

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        new = sid()
        self._op("place_call", to=to, from_=from_, url=url, sid=new)
        return new

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        self._op("end_call", call_sid=call_sid)

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        return "in-progress"

    def redirect_call(self, tenant_id: str, call_sid: str, url: str) -> None:
        self._op("redirect_call", call_sid=call_sid, url=url)

    def conference_sid(self, tenant_id: str, name: str) -> str | None:
        return self.conference

    def add_participant(self, tenant_id: str, conference: str, **args: Any) -> str:
        new = sid()
        self._op("add_participant", conference=conference, sid=new, **args)
        return new

    def update_participant(self, tenant_id: str, conference_sid: str, call_sid: str,
                           **changes: Any) -> None:
        self._op("update_participant", conference=conference_sid, call_sid=call_sid,
                 **{k: v for k, v in changes.items() if v is not None})

    def remove_participant(self, tenant_id: str, conference_sid: str, call_sid: str) -> None:
        self._op("remove_participant", conference=conference_sid, call_sid=call_sid)


@dataclass
class Desk:
    client: Client
    settings: Settings
    carrier: FakeCarrier
    tenant: Tenant
    tokens: dict[str, str]

    def post(self, path: str, body: dict[str, Any] | None = None, *, as_: str) -> Any:
        response = self.client.http.post(path, body=json.dumps(body or {}), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.tokens[as_]}"})
        return response.status_code, json.loads(response.body or b"{}")

    def get(self, path: str, *, as_: str) -> Any:
        response = self.client.http.get(path, headers={
            "Authorization": f"Bearer {self.tokens[as_]}"})
        return response.status_code, json.loads(response.body or b"{}")

    def put(self, path: str, body: dict[str, Any], *, as_: str) -> Any:
        response = self.client.http.put(path, body=json.dumps(body), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {self.tokens[as_]}"})
        return response.status_code, json.loads(response.body or b"{}")

    def available(self, agent: str) -> None:
        status, body = self.put("/api/me/activity", {"activity": "available"}, as_=agent)
        assert status == 200, body

    def delete(self, path: str, *, as_: str) -> Any:
        response = self.client.http.delete(path, headers={
            "Authorization": f"Bearer {self.tokens[as_]}"})
        return response.status_code, json.loads(response.body or b"{}")

    def twilio(self, path: str, query: dict[str, str], params: dict[str, str]) -> str:
        """A signed Twilio callback to ``path?query``: its TwiML."""
        full = path + "?" + urlencode(sorted(query.items()))
        url = self.settings.public_url(full)
        form = {"AccountSid": self.tenant.twilio_account_sid, **params}
        signature = RequestValidator(self.tenant.twilio_auth_token).compute_signature(url, form)
        response = self.client.http.post(full, body=urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature})
        assert response.status_code == 200, response.body
        return response.body.decode()

    def routing(self) -> Any:
        from chalicelib.wiring import get_routing_service

        return get_routing_service()

    def incoming_call(self, call_sid: str, queue: str = "support", **attributes: Any) -> Any:
        return self.routing().enqueue_call(
            tenant_id=self.tenant.tenant_id, call_sid=call_sid, interaction_id=call_sid,
            queue=queue, attributes=attributes, caller=CALLER, business_number=BUSINESS)

    def offer(self, agent: str) -> dict[str, Any]:
        status, body = self.get("/api/me/reservations", as_=agent)
        assert status == 200 and body["reservations"], f"{agent} has no offer"
        return dict(body["reservations"][0])

    def answer(self, agent: str) -> tuple[str, str]:
        """Accept the offer and answer on the desktop: (task id, the agent's TwiML)."""
        offer = self.offer(agent)
        status, task = self.post(f"/api/reservations/{offer['id']}/accept", as_=agent)
        assert status == 200, task
        leg = self.carrier.named("place_call")[-1]
        assert leg["to"] == f"client:{agent}"
        twiml = self.twilio("/twilio/voice/agent/connect",
                            {"r": offer["id"], "t": self.tenant.tenant_id},
                            {"CallSid": leg["sid"], "CallStatus": "in-progress",
                             "From": BUSINESS, "To": f"client:{agent}"})
        return task["id"], twiml

    def agent_leg_ended(self, agent_task: str, reservation: str, call_sid: str) -> str:
        return self.twilio("/twilio/voice/agent/status",
                           {"r": reservation, "t": self.tenant.tenant_id},
                           {"CallSid": call_sid, "CallStatus": "completed"})


def _tenant(repo: TenantRepository, tenant_id: str) -> Tenant:
    tenant = Tenant(tenant_id=tenant_id, name="Aqua Pure", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex,
                    twilio_auth_token="tok-" + uuid.uuid4().hex, created_at=time.time(),
                    profile={"number": BUSINESS})
    repo.save(tenant)
    return tenant


@pytest.fixture
def desk(settings: Settings, tenant_id: str, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[Desk]:
    """Tenant A (agents alice and bob, supervisor sue, admin olga) and tenant B (agent xavier,
    supervisor yves), all with routing profiles (offline until a test says otherwise)."""
    from app import app
    from chalicelib import wiring

    wiring.reset()
    carrier = FakeCarrier()
    monkeypatch.setattr(wiring, "get_routing_telephony", lambda: carrier)
    repo = TenantRepository(settings)
    mine, other = _tenant(repo, tenant_id), _tenant(repo, "tn_" + uuid.uuid4().hex[:12])
    signer = TokenSigner(settings.jwt_secret, 3600)
    tokens = {}
    people = [(mine, "alice", Role.AGENT), (mine, "bob", Role.AGENT),
              (mine, "sue", Role.SUPERVISOR), (mine, "olga", Role.ADMIN),
              (other, "xavier", Role.AGENT),
              (other, "yves", Role.SUPERVISOR)]
    admin = wiring.get_routing_admin()
    for tenant in (mine, other):
        admin.put_queue(tenant.tenant_id, "support", {})
        admin.put_queue(tenant.tenant_id, "billing", {})
    for tenant, user_id, role in people:
        repo.add_user(User(tenant_id=tenant.tenant_id, user_id=user_id,
                           email=f"{user_id}-{uuid.uuid4().hex[:6]}@example.com",
                           name=user_id.title(), role=role, password_hash="x",
                           created_at=time.time()))
        admin.put_agent_routing(tenant.tenant_id, user_id, {"name": user_id.title()})
        tokens[user_id] = signer.issue(Principal(tenant.tenant_id, user_id, role))
    with Client(app, stage_name="local") as client:
        yield Desk(client, settings, carrier, mine, tokens)
    wiring.reset()
