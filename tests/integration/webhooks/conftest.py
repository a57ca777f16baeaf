"""The real app, through signed HTTP, on DynamoDB Local, with the carrier's REST side
replaced by recording fakes: every call placed, ended or changed and every SMS sent is
logged, so a test can count effects. Shared by the exactly-once proof and the fault tests.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from chalice.test import Client
from twilio.request_validator import RequestValidator

from chalicelib.config import Settings
from chalicelib.domain.errors import Unavailable
from chalicelib.domain.identity import PhoneNumber, Role, Tenant, User

ROOT = __import__("pathlib").Path(__file__).resolve().parents[3]
ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class RecordingTelephony:
    """Twilio's REST side for routing: every operation logged (thread-safe). ``fault``
    makes the next operations fail: "5xx" (Twilio answers 503) or "timeout"."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, dict[str, Any]]] = []
        self.fault: str | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def _record(self, op: str, tenant_id: str, **args: Any) -> str:
        with self._lock:
            if self.fault == "5xx":
                raise Unavailable(f"{op}: Twilio answered 503")
            if self.fault == "timeout":
                raise Unavailable(f"{op}: Twilio could not be reached (ReadTimeout)")
            sid = f"CAfake{next(self._ids):08d}"
            self.log.append((op, tenant_id, {**args, "sid": sid}))
            return sid

    def of(self, tenant_id: str) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            return [(op, args) for op, t, args in self.log if t == tenant_id]

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        return self._record("place_call", tenant_id, to=to, url=url)

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        self._record("end_call", tenant_id, call_sid=call_sid)

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        return "in-progress"

    def conference_sid(self, tenant_id: str, name: str) -> str | None:
        return "CF" + name[-30:]

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)

        def operation(tenant_id: str, *args: Any, **kwargs: Any) -> str:
            return self._record(name, tenant_id, args=list(args), **kwargs)

        return operation


class RecordingCarrier:
    """The messaging sender: every SMS logged by tenant."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fault: str | None = None
        self._lock = threading.Lock()

    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = (), status_callback: str | None = None
                     ) -> str:
        with self._lock:
            if self.fault:
                raise Unavailable("send message: the carrier failed (503)")
            self.sent.append((tenant.tenant_id, to, body))
            return f"SM{uuid.uuid4().hex}"

    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str:
        raise AssertionError("flows place no calls on the webhook path")

    def of(self, tenant_id: str) -> list[tuple[str, str]]:
        with self._lock:
            return [(to, body) for t, to, body in self.sent if t == tenant_id]


@dataclass
class Business:
    """A tenant with a number, the default voice IVR and SMS flows, and two queues."""

    tenant: Tenant
    number: str
    settings: Settings
    client: Client
    telephony: RecordingTelephony
    carrier: RecordingCarrier
    caller: str = "+14155550123"
    answers: list[str] = field(default_factory=list)
    last_seconds: float = 0.0

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    def call_params(self, call_sid: str, **extra: str) -> dict[str, str]:
        return {"CallSid": call_sid, "AccountSid": self.tenant.twilio_account_sid,
                "From": self.caller, "To": self.number, "CallStatus": "in-progress",
                "Direction": "inbound", "ApiVersion": "2010-04-01", **extra}

    def post(self, path: str, params: dict[str, str]) -> tuple[int, str]:
        """POST ``path`` (query included) as Twilio would, signed with the tenant's token."""
        url = self.settings.public_url(path)
        signature = RequestValidator(self.tenant.twilio_auth_token).compute_signature(
            url, params)
        started = time.perf_counter()
        response = self.client.http.post(path, body=urlencode(params), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature})
        self.last_seconds = time.perf_counter() - started  # printed by tests, never asserted
        return response.status_code, response.body.decode()

    def answer(self, path: str, params: dict[str, str]) -> str:
        status, body = self.post(path, params)
        assert status == 200, (path, status, body)
        return body

    # --- arranging state through the services ---------------------------------------
    def agent(self, name: str, *, available: bool = True, **profile: Any) -> str:
        from chalicelib.wiring import get_agent_desk, get_routing_admin, get_tenant_repository

        user_id = f"u_{name}_{uuid.uuid4().hex[:6]}"
        get_tenant_repository().add_user(User(
            tenant_id=self.tenant_id, user_id=user_id, email=f"{user_id}@example.com",
            name=name, role=Role.AGENT, password_hash="x", mobile=profile.get("mobile")))
        get_routing_admin().put_agent_routing(self.tenant_id, user_id, profile)
        if available:
            get_agent_desk().set_activity(self.tenant_id, user_id, "available")
        return user_id

    def enqueue(self, call_sid: str, queue: str = "support") -> str:
        from chalicelib.wiring import get_crm_service, get_routing_service

        get_crm_service().record_started(self.tenant_id, call_sid, self.caller, self.number,
                                         "voice", "inbound")
        task = get_routing_service().enqueue_call(
            tenant_id=self.tenant_id, call_sid=call_sid, interaction_id=call_sid,
            queue=queue, caller=self.caller, business_number=self.number)
        return task.task_id

    def task(self, task_id: str) -> Any:
        from chalicelib.wiring import get_routing_service

        return get_routing_service().task(self.tenant_id, task_id)

    def offer_of(self, agent_id: str) -> str:
        from chalicelib.wiring import get_agent_desk

        offers = get_agent_desk().offers(self.tenant_id, agent_id)
        assert offers, f"{agent_id} has no offer"
        return offers[0].reservation.reservation_id

    # --- what the tenant's tables and the carrier hold -----------------------------
    def snapshot(self) -> dict[str, Any]:
        """Every item of every tenant-keyed table, the outbox items, the REST log."""
        from chalicelib.adapters.dynamo import base
        from chalicelib.adapters.dynamo.models.outbox import OutboxModel

        tables: dict[str, Any] = {}
        for model in base.REGISTRY:
            if model._hash_keyname != "tenant_id":
                continue
            items = [_plain(item) for item in model.query(self.tenant_id,
                                                          consistent_read=True)]
            tables[model.Meta.base_name] = sorted(items, key=lambda i: json.dumps(
                i, sort_keys=True, default=str))
        outbox = [_plain(item) for item in OutboxModel.scan(
            OutboxModel.tenant_id == self.tenant_id, consistent_read=True)]
        tables["outbox"] = sorted(outbox, key=lambda i: str(i["key"]))
        tables["rest"] = self.telephony.of(self.tenant_id)
        tables["sms"] = self.carrier.of(self.tenant_id)
        return tables


def _plain(item: Any) -> dict[str, Any]:
    return {k: v for k, v in item.attribute_values.items()}


def shape(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without its ids, times and numbers: what two businesses arranged the
    same way and sent the same event must agree on."""
    out: dict[str, Any] = {}
    for table, items in snapshot.items():
        if table in ("rest", "sms"):
            out[table] = sorted(op if isinstance(op, str) else "sms" for op, _ in items)
            continue
        out[table] = sorted((tuple(sorted(k for k, v in item.items() if v not in (None, ""))),
                             str(item.get("status")), item.get("version"),
                             item.get("interaction_count"), item.get("outcome"))
                            for item in items)
    return out


def path_of(url: str, settings: Settings) -> str:
    """The app path (with query) of one of Hotline's own callback URLs."""
    base = settings.public_url("/")[:-1]
    assert url.startswith(base), url
    return url[len(base):].replace("&amp;", "&")


def query_of(path: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(path).query))


@pytest.fixture
def fakes() -> tuple[RecordingTelephony, RecordingCarrier]:
    return RecordingTelephony(), RecordingCarrier()


@pytest.fixture
def app_client(settings: Settings, fakes: tuple[RecordingTelephony, RecordingCarrier],
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    """The app, its REST side recorded. A retry waits up to 10 s for a concurrent first
    delivery's answer (3 s in production): this machine is shared and slow."""
    from app import app
    from chalicelib import wiring
    from chalicelib.adapters.twilio import carrier as carrier_module
    from chalicelib.services.webhook_claim import WebhookClaims

    telephony, carrier = fakes
    wiring.reset()
    monkeypatch.setattr(wiring, "get_routing_telephony", lambda: telephony)
    monkeypatch.setattr(carrier_module, "TwilioCarrier", lambda *a, **k: carrier)
    claims = WebhookClaims(wiring.get_idempotency_repository(), wait_seconds=10.0)
    monkeypatch.setattr(wiring, "get_webhook_claims", lambda: claims)
    with Client(app, stage_name="local") as client:
        yield client
    wiring.reset()


@pytest.fixture
def business_factory(settings: Settings, app_client: Client,
                     fakes: tuple[RecordingTelephony, RecordingCarrier]
                     ) -> Callable[[], Business]:
    def make() -> Business:
        return new_business(settings, app_client, *fakes)

    return make


def new_business(settings: Settings, client: Client, telephony: RecordingTelephony,
                 carrier: RecordingCarrier) -> Business:
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.wiring import get_routing_admin

    tenant_id = f"tn_{uuid.uuid4().hex[:12]}"
    tenant = Tenant(tenant_id=tenant_id, name="Aqua Pure", timezone="UTC",
                    twilio_account_sid="AC" + uuid.uuid4().hex,
                    twilio_auth_token="tok-" + uuid.uuid4().hex, created_at=time.time(),
                    profile={"hours": ALWAYS_OPEN})
    repo = TenantRepository(settings)
    repo.save(tenant)
    flows = FlowRepository(settings)
    for flow_id in ("voice-ivr", "sms-autoreply"):
        doc = json.loads((ROOT / "flows" / f"{flow_id}.json").read_text())
        flows.create(tenant_id, flow_id, flow_id, doc)
        flows.publish(tenant_id, flow_id, doc, expected_revision=0)
    number = "+1415" + str(uuid.uuid4().int)[:7]
    repo.save_number(PhoneNumber(number=number, tenant_id=tenant_id, flow_id="voice-ivr",
                                 sms_flow_id="sms-autoreply"))
    admin = get_routing_admin()
    for queue in ("support", "orders"):
        admin.put_queue(tenant_id, queue, {"overflow_after_seconds": 0,
                                           "overflow_queue_length": 0})
    return Business(tenant, number, settings, client, telephony, carrier)
