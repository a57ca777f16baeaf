"""Two businesses and an operator on DynamoDB Local, for the isolation sweep.

Business A owns one object of every kind the API addresses by id: users, a contact, a
flow, a queue, a number, a task an agent holds, a reservation still on offer, and
whatever else the routes name. Every one of A's ids and names carries a random marker,
so a list that leaks A's rows into B's answer shows it. Business B has the same roles,
and its owner's session and an API key are the credentials the sweep turns against A.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalice.test import Client

from chalicelib.adapters.dynamo.flow_repository import FlowRepository
from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Principal, Role, Tenant, User

ROOT = Path(__file__).resolve().parents[3]
ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@dataclass
class Business:
    tenant: Tenant
    marker: str
    number: str
    tokens: dict[str, str] = field(default_factory=dict)  # role or user id -> bearer
    ids: dict[str, str] = field(default_factory=dict)  # route parameter -> this business's id

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id


@dataclass
class World:
    client: Client
    settings: Settings
    a: Business
    b: Business
    operator_token: str

    def send(self, method: str, path: str, token: str | None, body: Any = None
             ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.client.http.request(
            method, path, headers=headers, body=json.dumps(body) if body is not None else "")
        text = (response.body or b"").decode("utf-8", "replace")
        try:
            return response.status_code, json.loads(text or "null")
        except ValueError:
            return response.status_code, text

    def ok(self, method: str, path: str, token: str, body: Any = None) -> Any:
        status, answer = self.send(method, path, token, body)
        assert 200 <= status < 300, (method, path, status, answer)
        return answer


def _signer(settings: Settings) -> TokenSigner:
    return TokenSigner(settings.jwt_secret, 3600)


def _user(tenant_id: str, user_id: str, role: Role, marker: str) -> User:
    return User(tenant_id=tenant_id, user_id=user_id,
                email=f"{user_id}-{marker}@example.com", name=f"{role.value} {marker}",
                role=role, password_hash="not-used", created_at=time.time())


def _session(settings: Settings, user: User) -> str:
    return _signer(settings).issue(Principal(user.tenant_id, user.user_id, user.role))


def business(settings: Settings, client: Client, label: str) -> Business:
    """A tenant with an owner, a supervisor, two agents, a number, a published flow."""
    marker = f"{label}{uuid.uuid4().hex[:10]}"
    repo = TenantRepository(settings)
    tenant = Tenant(tenant_id=f"tn_{marker}", name=f"Shop {marker}", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex,
                    twilio_auth_token="tok-" + uuid.uuid4().hex, created_at=time.time(),
                    profile={"hours": ALWAYS_OPEN})
    owner = _user(tenant.tenant_id, f"u_owner_{marker}", Role.OWNER, marker)
    repo.create_with_owner(tenant, owner)
    found = business_of(settings, tenant, marker, owner)
    for user_id, role in ((f"u_sup_{marker}", Role.SUPERVISOR),
                          (f"u_agent1_{marker}", Role.AGENT),
                          (f"u_agent2_{marker}", Role.AGENT)):
        user = _user(tenant.tenant_id, user_id, role, marker)
        repo.add_user(user)
        found.tokens[user_id] = _session(settings, user)
    found.tokens["supervisor"] = found.tokens[f"u_sup_{marker}"]
    flows = FlowRepository(settings)
    doc = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())
    flow_id = f"flow-{marker}"
    flows.create(tenant.tenant_id, flow_id, f"IVR {marker}", doc)
    flows.publish(tenant.tenant_id, flow_id, doc, expected_revision=0)
    repo.save_number(PhoneNumber(number=found.number, tenant_id=tenant.tenant_id,
                                 flow_id=flow_id))
    found.ids.update({"flow_id": flow_id, "revision": "1", "number": found.number,
                      "month": time.strftime("%Y-%m", time.gmtime()),
                      "user_id": f"u_agent1_{marker}"})
    return found


def business_of(settings: Settings, tenant: Tenant, marker: str, owner: User) -> Business:
    digits = str(uuid.uuid4().int)[:7]
    found = Business(tenant=tenant, marker=marker, number=f"+1415{digits}")
    found.tokens["owner"] = _session(settings, owner)
    return found


def fill(world: World, who: Business) -> None:
    """Give ``who`` a queue, a contact, an assigned task and a pending reservation."""
    from chalicelib import wiring

    owner = who.tokens["owner"]
    queue = f"q-{who.marker}"
    world.ok("PUT", f"/api/queues/{queue}", owner, {"strategy": "longest-idle"})
    agents = [u for u in who.tokens if u.startswith("u_agent")]
    for agent in agents:
        world.ok("PUT", f"/api/agents/{agent}/routing", owner,
                 {"name": f"Agent {who.marker}", "capacity": {"sms": 1}})
    contact = world.ok("POST", "/api/contacts", owner,
                       {"phone": "+1628" + str(uuid.uuid4().int)[:7],
                        "name": f"Customer {who.marker}"})
    who.ids["contact_id"] = contact["id"]
    who.ids["name"] = queue
    routing = wiring.get_routing_service()
    first = routing.enqueue_message(
        tenant_id=who.tenant_id, conversation_id=f"conv1-{who.marker}",
        interaction_id=f"int1-{who.marker}", queue=queue,
        contact="+1628" + str(uuid.uuid4().int)[:7], business_number=who.number)
    world.ok("PUT", "/api/me/activity", who.tokens[agents[0]], {"activity": "available"})
    offers = world.ok("GET", "/api/me/reservations", who.tokens[agents[0]])["reservations"]
    (offer,) = [o for o in offers if o["task"]["id"] == first.task_id]
    world.ok("POST", f"/api/reservations/{offer['id']}/accept", who.tokens[agents[0]])
    who.ids["task_id"] = first.task_id
    routing.enqueue_message(
        tenant_id=who.tenant_id, conversation_id=f"conv2-{who.marker}",
        interaction_id=f"int2-{who.marker}", queue=queue,
        contact="+1628" + str(uuid.uuid4().int)[:7], business_number=who.number)
    world.ok("PUT", "/api/me/activity", who.tokens[agents[1]], {"activity": "available"})
    pending = world.ok("GET", "/api/me/reservations", who.tokens[agents[1]])["reservations"]
    who.ids["reservation_id"] = pending[0]["id"]


def operator_token(settings: Settings) -> str:
    operator = _user(PLATFORM_TENANT, f"u_operator_{uuid.uuid4().hex[:8]}", Role.OPERATOR,
                     "platform")
    TenantRepository(settings).add_user(operator)
    return _session(settings, operator)
