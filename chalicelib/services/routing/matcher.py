"""Matching: the head of a queue meets the agents who can serve it.

One pass reads a page of the queue's pending tasks (one Query) and the agents with free
capacity on each channel it needs (one Query per channel), then offers tasks one at a
time, each in one transaction: the task must still be pending at its version, and every
agent still available at its version. A lost race re-reads only what changed. The cost
does not depend on how many tasks wait behind the page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from chalicelib.domain.errors import Conflict, HotlineError
from chalicelib.domain.routing.changes import AgentWrite, TaskWrite
from chalicelib.domain.routing.lifecycle import decline, reserve
from chalicelib.domain.routing.model import (
    Agent,
    QueueConfig,
    ReservationStatus,
    StaleState,
    Task,
    TaskStatus,
)
from chalicelib.domain.routing.strategies import Overflow, choose, eligible, only_part_timers
from chalicelib.services.routing.ports import RoutingStore, RoutingUrls, Telephony

log = logging.getLogger("hotline.routing")

MOBILE_EXTRA_SECONDS = 30


@dataclass
class _Pools:
    """Agents with room, per channel, read once per pass and kept current as we offer."""

    store: RoutingStore
    tenant_id: str
    by_channel: dict[str, list[Agent]]

    def get(self, channel: str) -> list[Agent]:
        if channel not in self.by_channel:
            self.by_channel[channel] = self.store.ready_agents(self.tenant_id, channel)
        return self.by_channel[channel]

    def update(self, agents: list[Agent]) -> None:
        fresh = {a.agent_id: a for a in agents}
        for channel, pool in self.by_channel.items():
            self.by_channel[channel] = [fresh.get(a.agent_id, a) for a in pool
                                        if fresh.get(a.agent_id, a).has_room(channel)]

    def drop(self, agent_ids: set[str]) -> None:
        for channel, pool in self.by_channel.items():
            self.by_channel[channel] = [a for a in pool if a.agent_id not in agent_ids]


def end_quietly(telephony: Telephony, tenant_id: str, call_sid: str | None) -> None:
    """Hang up a leg that is no longer needed; a failure is logged, never raised."""
    if not call_sid:
        return
    try:
        telephony.end_call(tenant_id, call_sid)
    except HotlineError as exc:
        log.warning("could not end call %s: %s", call_sid, exc.message)


class Matcher:
    def __init__(self, store: RoutingStore, telephony: Telephony, urls: RoutingUrls, *,
                 reservation_timeout: int = 15, page_size: int = 25, attempts: int = 3,
                 max_missed: int = 3) -> None:
        self.store = store
        self.telephony = telephony
        self.urls = urls
        self.reservation_timeout = reservation_timeout
        self.page_size = page_size
        self.attempts = attempts
        self.max_missed = max_missed

    def timeout_for(self, queue: QueueConfig, via: str) -> float:
        base = queue.reservation_timeout_seconds or self.reservation_timeout
        return float(base + (MOBILE_EXTRA_SECONDS if via == "mobile" else 0))

    def match_queue(self, tenant_id: str, queue: QueueConfig, now: float,
                    max_offers: int = 3) -> list[Task]:
        """Offer up to ``max_offers`` tasks from the head of ``queue``; return them."""
        page = self.store.pending_page(tenant_id, queue.name, self.page_size)
        if not page:
            return []
        pools = _Pools(self.store, tenant_id, {})
        overflow: bool | None = None
        offered: list[Task] = []
        for task in page:
            if len(offered) >= max_offers:
                break
            if task.not_before is not None and task.not_before > now:
                continue
            for _ in range(self.attempts):
                pool = pools.get(task.channel)
                candidates = [a for a in pool if eligible(a, task, queue, now, overflow=True)]
                if only_part_timers(candidates):
                    if overflow is None:
                        overflow = self._overflowing(tenant_id, queue, now)
                    if not overflow:
                        candidates = []
                chosen = choose(candidates, queue.strategy, now, queue.ring_all_limit)
                if not chosen:
                    break
                try:
                    reserved = self._offer(task, chosen, queue, now, pools)
                except StaleState as exc:
                    if f"task:{task.task_id}" in exc.stale:
                        break  # taken or changed by someone else: on to the next task
                    self._refresh(pools, tenant_id, exc.stale)
                    continue
                offered.append(reserved)
                break
        return offered

    def _overflowing(self, tenant_id: str, queue: QueueConfig, now: float) -> bool:
        oldest = self.store.oldest_enqueued_at(tenant_id, queue.name)
        cap = (queue.overflow_queue_length or 0) + 1
        waiting, _ = self.store.count_waiting(tenant_id, queue.name, cap)
        wait = 0.0 if oldest is None else max(0.0, now - oldest)
        return Overflow(oldest_wait_seconds=wait, waiting=waiting).active(queue)

    def _refresh(self, pools: _Pools, tenant_id: str, stale: tuple[str, ...]) -> None:
        ids = {label.split(":", 1)[1] for label in stale if label.startswith("agent:")}
        fresh = self.store.get_agents(tenant_id, ids)
        pools.drop(ids - set(fresh))
        pools.update(list(fresh.values()))

    def _offer(self, task: Task, chosen: list[Agent], queue: QueueConfig, now: float,
               pools: _Pools) -> Task:
        reserved, agents = reserve(task, chosen, now, lambda via: self.timeout_for(queue, via))
        committed = self.store.commit(
            [TaskWrite(reserved, was=TaskStatus.PENDING)],
            [AgentWrite(a, must_be_available=True) for a in agents], now=now)
        pools.update(list(committed.agents.values()))
        offered = committed.tasks[task.task_id]
        log.info("offered task %s to %s", task.task_id, ", ".join(a.agent_id for a in chosen))
        for reservation in offered.pending_reservations():
            if reservation.via == "mobile":
                offered = self.ring_mobile(offered, reservation.reservation_id,
                                           committed.agents[reservation.agent_id], queue, now)
        return offered

    def ring_mobile(self, task: Task, reservation_id: str, agent: Agent, queue: QueueConfig,
                    now: float) -> Task:
        """A part-timer's offer is a call to their mobile, with a whisper: press 1."""
        tenant_id = task.tenant_id
        try:
            call_sid = self.telephony.place_call(
                tenant_id, to=str(agent.mobile), from_=task.business_number or "",
                url=self.urls.whisper(tenant_id, reservation_id),
                status_callback=self.urls.agent_status(tenant_id, reservation_id),
                timeout=int(self.timeout_for(queue, "desktop")))
        except HotlineError as exc:
            log.warning("could not ring %s's mobile for %s: %s", agent.agent_id,
                        task.task_id, exc.message)
            return self._withdraw(task, reservation_id, agent, now)
        for _ in range(self.attempts):
            current = self.store.get_task(tenant_id, task.task_id)
            reservation = current.reservation(reservation_id) if current else None
            if current is None or reservation is None or not reservation.is_pending:
                end_quietly(self.telephony, tenant_id, call_sid)
                return current or task
            ringing = replace(reservation, call_sid=call_sid)
            updated = replace(current, reservations=tuple(
                ringing if r.reservation_id == reservation_id else r
                for r in current.reservations))
            try:
                return self.store.commit([TaskWrite(updated, was=current.status)],
                                         now=now).tasks[task.task_id]
            except StaleState:
                continue
        return task

    def _withdraw(self, task: Task, reservation_id: str, agent: Agent, now: float) -> Task:
        """The offer could not be made (the carrier failed): give the task back."""
        for _ in range(self.attempts):
            current = self.store.get_task(task.tenant_id, task.task_id)
            fresh = self.store.get_agent(task.tenant_id, agent.agent_id)
            if current is None or fresh is None:
                return task
            reservation = current.reservation(reservation_id)
            if reservation is None or not reservation.is_pending:
                return current
            try:
                back, released = decline(current, reservation_id, fresh, now,
                                         ReservationStatus.REJECTED, self.max_missed)
                return self.store.commit([TaskWrite(back, was=current.status)],
                                         [AgentWrite(released)], now=now).tasks[task.task_id]
            except StaleState:
                continue
            except Conflict:
                return current
        return task
