"""The routing services wired to DynamoDB Local, with in-memory carrier, CRM and clock."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from chalicelib.adapters.dynamo.routing_config_repository import RoutingConfigRepository
from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
from chalicelib.adapters.twilio.telephony import render_twiml
from chalicelib.domain.identity import Tenant
from chalicelib.domain.routing.model import Agent, Task
from chalicelib.services.routing.admin import RoutingAdminService
from chalicelib.services.routing.desk import AgentDesk
from chalicelib.services.routing.matcher import Matcher
from chalicelib.services.routing.ports import ConfigCache, RoutingUrls
from chalicelib.services.routing.queue_calls import QueueCallService
from chalicelib.services.routing.service import RoutingService
from chalicelib.services.routing.sweep import RoutingSweep
from chalicelib.services.webhook_gate import Webhook
from tests.integration.routing.fakes import (
    FakeClock,
    FakeCrm,
    FakeDirectory,
    FakeFlows,
    FakeTelephony,
    FakeUsers,
)

BUSINESS = "+15559990000"
# The sweep is global (it serves every tenant). Each test's clock starts a day earlier
# than the previous test's, so earlier tests' timers are never due in a later test.
_STARTS = itertools.count()


def fresh_clock() -> FakeClock:
    return FakeClock(1_700_000_000.0 - 86_400.0 * next(_STARTS))


@dataclass
class Routing:
    tenant_id: str
    clock: FakeClock
    telephony: FakeTelephony
    crm: FakeCrm
    flows: FakeFlows
    directory: FakeDirectory
    store: RoutingRepository
    service: RoutingService
    desk: AgentDesk
    admin: RoutingAdminService
    sweep: RoutingSweep
    calls: QueueCallService

    def queue(self, name: str = "support", **settings: Any) -> None:
        self.admin.put_queue(self.tenant_id, name, settings)

    def agent(self, agent_id: str, *, available: bool = True, **profile: Any) -> Agent:
        self.admin.put_agent_routing(self.tenant_id, agent_id, profile)
        if available:
            self.desk.set_activity(self.tenant_id, agent_id, "available")
        return self.desk.me(self.tenant_id, agent_id)

    def call(self, call_sid: str, queue: str = "support", priority: int = 0,
             caller: str = "+15550001111", **attributes: Any) -> Task:
        return self.service.enqueue_call(
            tenant_id=self.tenant_id, call_sid=call_sid, interaction_id=call_sid, queue=queue,
            priority=priority, timeout=None, attributes=attributes, caller=caller,
            business_number=BUSINESS)

    def task(self, task_id: str) -> Task:
        return self.service.task(self.tenant_id, task_id)

    def offer_of(self, agent_id: str) -> str:
        offers = self.desk.offers(self.tenant_id, agent_id)
        assert offers, f"{agent_id} has no offer"
        return offers[0].reservation.reservation_id

    def hook(self, params: Mapping[str, str], **query: str) -> Webhook:
        tenant = self.directory.get(self.tenant_id)
        return Webhook(account_sid="AC" + "1" * 32, tenant=tenant,
                       params={"AccountSid": "AC" + "1" * 32, **params}, query=dict(query),
                       path="/twilio/voice/queue/test")


@pytest.fixture
def routing(settings: Any, tenant_id: str) -> Routing:
    clock, telephony, crm, flows = fresh_clock(), FakeTelephony(), FakeCrm(), FakeFlows()
    directory = FakeDirectory()
    directory.add(tenant_id, "Aqua Pure", BUSINESS)
    store = RoutingRepository(settings)
    urls = RoutingUrls(settings.public_url)
    matcher = Matcher(store, telephony, urls, reservation_timeout=15)
    service = RoutingService(store, ConfigCache(RoutingConfigRepository(), ttl=0), matcher,
                             telephony, crm, clock=clock)
    desk = AgentDesk(service, urls)
    admin = RoutingAdminService(service, FakeUsers())
    calls = QueueCallService(service, desk, directory, urls, render_twiml, lambda: flows)
    return Routing(tenant_id, clock, telephony, crm, flows, directory, store, service, desk,
                   admin, RoutingSweep(service), calls)


def tenant_of(routing: Routing) -> Tenant:
    tenant = routing.directory.get(routing.tenant_id)
    assert tenant is not None
    return tenant
