"""Outbound calls from the desktop, as Flex places them: the agent's browser rings first;
when the agent answers, the customer is called into the task's conference with the
tenant's number as caller ID. The call is a task (held on the agent's voice capacity,
so no inbound call is offered meanwhile) and a CRM interaction like an inbound call."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from chalicelib.domain.errors import Conflict, HotlineError, InvalidInput, NotFound, Unavailable
from chalicelib.domain.identity import Principal
from chalicelib.domain.routing.changes import AgentWrite, TaskWrite
from chalicelib.domain.routing.model import (
    Reservation,
    ReservationStatus,
    Task,
    TaskKind,
    TaskStatus,
    new_task_id,
    reservation_id_for,
)
from chalicelib.services.calls.base import CallContext, log
from chalicelib.services.calls.conference import ConferenceLegs
from chalicelib.services.routing.ports import RoutingUrls

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
OUTBOUND_QUEUE = "outbound"
RING_SECONDS = 30


class OutboundCalls:
    def __init__(self, ctx: CallContext, legs: ConferenceLegs,
                 routing_urls: RoutingUrls,
                 outbound: Callable[[str, str], None] | None = None) -> None:
        self.outbound = outbound  # the tenant gate: active, voice_out, spending cap
        self.ctx = ctx
        self.legs = legs
        self.routing_urls = routing_urls

    def call(self, who: Principal, body: dict[str, Any]) -> Task:
        to = str(body.get("to") or "").strip()
        if not E164.match(to):
            raise InvalidInput("to must be an E.164 number like +14155550123", path="to")
        contact_id = body.get("contact_id")
        if contact_id is not None and not isinstance(contact_id, str):
            raise InvalidInput("contact_id must be a string", path="contact_id")
        tenant_id, agent_id = who.tenant_id, who.user_id
        if self.outbound is not None:
            self.outbound(tenant_id, "voice_out")  # 403 naming what refuses it
        store = self.ctx.routing.store
        agent = store.get_agent(tenant_id, agent_id)
        if agent is None:
            raise NotFound("you have no routing profile yet; ask an admin to set one up")
        if agent.load("voice") >= max(1, agent.capacity.get("voice", 1)):
            raise Conflict("you are already on a call")
        number = self.ctx.caller_id(tenant_id)
        now = self.ctx.now()
        task_id = new_task_id()
        reservation = Reservation(reservation_id_for(task_id, 1), agent_id,
                                  ReservationStatus.ACCEPTED, now, now, ended_at=now)
        attributes: dict[str, Any] = {"direction": "outbound", "to": to}
        if contact_id:
            attributes["contact_id"] = contact_id
        task = Task(tenant_id=tenant_id, task_id=task_id, channel="voice", kind=TaskKind.CALL,
                    status=TaskStatus.ASSIGNED, queue=OUTBOUND_QUEUE,
                    entry_queue=OUTBOUND_QUEUE, priority=0, enqueued_at=now,
                    attributes=attributes, interaction_id=task_id, caller=to,
                    business_number=number, reservations=(reservation,),
                    assigned_agent=agent_id, assigned_at=now)
        busy = replace(agent, holds={**agent.holds, task_id: "voice"}, last_assigned_at=now)
        store.commit([TaskWrite(task, was=None)], [AgentWrite(busy)], now=now)
        self.ctx.routing.record("outbound started", lambda: self.ctx.crm.record_started(
            tenant_id, task_id, to, number, "voice", "outbound"))
        try:
            leg = self.ctx.carrier.place_call(
                tenant_id, to=f"client:{agent_id}", from_=number,
                url=self.routing_urls.agent_connect(tenant_id, reservation.reservation_id),
                status_callback=self.routing_urls.agent_status(tenant_id,
                                                               reservation.reservation_id),
                timeout=RING_SECONDS)
        except HotlineError as exc:
            log.warning("could not ring %s for an outbound call: %s", agent_id, exc.message)
            self.legs.never_connected(task, "failed")
            raise Unavailable("could not ring your desktop; try again") from exc
        placed = self.ctx.routing.update_task(tenant_id, task_id, lambda t: replace(
            t, agent_call_sid=leg) if not t.agent_call_sid else None)
        return placed or task
