"""Reports on DynamoDB Local: the real CRM, aggregate and tenant repositories, a clock the
test moves, and helpers that drive an interaction through the moments the webhooks record."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from chalicelib.config import Settings
from chalicelib.domain.identity import Tenant
from tests.integration.calls.conftest import desk  # noqa: F401  (the HTTP fixture)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class NoAgents:
    agents: list[Any] = field(default_factory=list)

    def list_agents(self, tenant_id: str) -> list[Any]:
        return list(self.agents)


@dataclass
class World:
    tenant: Tenant
    clock: Clock
    crm: Any
    recorder: Any
    reports: Any
    metrics: Any
    ids: list[str] = field(default_factory=list)

    @property
    def tenant_id(self) -> str:
        return self.tenant.tenant_id

    def call(self, at: float, *, caller: str = "+14155550100", ivr: float = 10.0,
             queue: str | None = "support", wait: float = 0.0, agent: str | None = None,
             talk: float = 0.0, hold: float = 0.0, wrapup: float = 0.0,
             left_for: str | None = None, transferred: bool = False) -> str:
        """One inbound call through each recorded moment, in order, as the webhooks do."""
        t, sid = self.tenant_id, "CA" + uuid.uuid4().hex
        self.ids.append(sid)
        self.clock.now = at
        self.crm.record_started(t, sid, caller, "+15550000000", "voice", "inbound")
        self.clock.now += ivr
        if queue is None:
            self.crm.record_ended(t, sid, "completed", int(ivr))
            return sid
        self.crm.record_queued(t, sid, queue, "WT" + sid[2:])
        self.clock.now += wait
        if agent is None:
            if left_for is not None:
                self.crm.record_outcome(t, sid, left_for)
                self.clock.now += 20
            self.crm.record_ended(t, sid, "completed", None)
            if left_for is None:
                self.crm.record_outcome(t, sid, "abandoned")
            return sid
        self.crm.record_answered(t, sid, agent)
        if hold:
            self.crm.record_holds(t, sid, 1, hold)
        if transferred:
            self.crm.record_transfer(t, sid, agent, {"queue": "billing"}, "queue", "cold")
        self.clock.now += talk + hold
        self.crm.record_ended(t, sid, "completed", int(talk + hold))
        self.clock.now += wrapup
        self.crm.record_wrapup(t, sid, agent, "resolved", "")
        return sid

    def raw(self) -> list[Any]:
        from chalicelib.adapters.dynamo.crm_repository import CrmRepository

        repo = CrmRepository()
        return [repo.get_interaction(self.tenant_id, i) for i in self.ids]


@pytest.fixture
def world(settings: Settings, tenant_id: str) -> World:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.services.crm import CrmService
    from chalicelib.services.reports.reading import AggregateReading
    from chalicelib.services.reports.recorder import MetricsRecorder
    from chalicelib.services.reports.service import ReportsService

    tenants = TenantRepository(settings)
    tenant = Tenant(tenant_id=tenant_id, name="Aqua Pure", timezone="America/New_York",
                    twilio_account_sid="AC" + uuid.uuid4().hex,
                    twilio_auth_token="tok", created_at=time.time())
    tenants.save(tenant)
    clock = Clock(time.time())
    metrics = MetricsRepository(settings)
    recorder = MetricsRecorder(metrics, tenants, lookup=CrmRepository(), clock=clock)
    crm = CrmService(CrmRepository(), clock=clock, metrics=recorder)
    reports = ReportsService(AggregateReading(metrics), InteractionHistory(), NoAgents(),
                             tenants, clock=clock)
    return World(tenant, clock, crm, recorder, reports, metrics)
