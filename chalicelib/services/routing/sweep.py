"""The sweep: every task whose timer is due gets looked at, without a scan.

Tasks carry their next deadline in a sparse, sharded ``timers`` index: an offer's
expiry, a workflow target's timeout, the queue's overflow moment, a callback's retry
time, the end of wrap-up, and a liveness check for a caller who should have left the
queue. Each due task is handled with the same conditional transitions as everything
else, so two sweeps (or a sweep and a webhook) can race safely: the loser re-reads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from chalicelib.domain.errors import Conflict, HotlineError, NotFound
from chalicelib.domain.routing import lifecycle
from chalicelib.domain.routing.model import ReservationStatus, Task, TaskKind, TaskStatus
from chalicelib.services.routing.service import RoutingService

log = logging.getLogger("hotline.routing.sweep")

LIVE_CALL_STATUSES = frozenset({"queued", "ringing", "in-progress"})


@dataclass
class SweepReport:
    examined: int = 0
    timed_out: int = 0
    escalated: int = 0
    wrapped_up: int = 0
    abandoned: int = 0
    rematched: int = 0
    errors: list[str] = field(default_factory=list)


class RoutingSweep:
    def __init__(self, routing: RoutingService, per_shard: int = 50) -> None:
        self.routing = routing
        self.store = routing.store
        self.per_shard = per_shard

    def run(self, now: float | None = None) -> SweepReport:
        """One pass over every timer shard; safe to run concurrently with anything."""
        at = self.routing.clock() if now is None else now
        report = SweepReport()
        for shard in range(self.store.timer_shards):
            for tenant_id, task_id in self.store.due_tasks(shard, at, self.per_shard):
                report.examined += 1
                try:
                    self.handle_due(tenant_id, task_id, at, report)
                except (Conflict, NotFound) as exc:
                    log.info("task %s changed while sweeping: %s", task_id, exc.message)
                except HotlineError as exc:
                    log.warning("sweeping task %s failed: %s", task_id, exc.message)
                    report.errors.append(f"{task_id}: {exc.message}")
        return report

    def handle_due(self, tenant_id: str, task_id: str, now: float,
                   report: SweepReport | None = None) -> Task | None:
        report = report or SweepReport()
        task = self.store.get_task(tenant_id, task_id)
        if task is None:
            return None
        if task.status is TaskStatus.RESERVED:
            return self._expire_offers(task, now, report)
        if task.status is TaskStatus.WRAPPING:
            if task.wrapup_until is not None and task.wrapup_until <= now and task.assigned_agent:
                report.wrapped_up += 1
                done = self.routing.complete(tenant_id, task_id, task.assigned_agent)
                if task.interaction_id:  # reports: the wrap-up ended when its time ran out
                    interaction_id = str(task.interaction_id)
                    self.routing.record("wrap-up expired", lambda: self.routing.crm.
                                        record_wrapup_expired(tenant_id, interaction_id))
                return done
            return self._touch(task)
        if task.status is TaskStatus.PENDING:
            return self._pending(task, now, report)
        return self._touch(task)

    def _expire_offers(self, task: Task, now: float, report: SweepReport) -> Task | None:
        latest: Task | None = task
        for reservation in task.pending_reservations():
            if reservation.expires_at > now:
                continue
            try:
                latest = self.routing.decline(task.tenant_id, reservation.reservation_id,
                                              reservation.agent_id, ReservationStatus.TIMEOUT)
                report.timed_out += 1
            except Conflict as exc:
                log.info("offer %s settled meanwhile: %s", reservation.reservation_id,
                         exc.message)
        return latest

    def _pending(self, task: Task, now: float, report: SweepReport) -> Task | None:
        tenant_id = task.tenant_id
        escalated = lifecycle.escalate(task, now)
        if escalated is not None:
            report.escalated += 1
            log.info("task %s escalates to target %d (%s)", task.task_id,
                     escalated.target_index, escalated.queue)
            moved = self.routing.update_task(
                tenant_id, task.task_id,
                lambda t: lifecycle.escalate(t, now) if t.version == task.version else None)
            self.routing.rematch(tenant_id, [escalated.queue], [])
            return moved
        check = lifecycle.liveness_check(task)
        if task.kind is TaskKind.CALL and check is not None and check <= now and task.call_sid:
            if self._caller_gone(task):
                report.abandoned += 1
                return self.routing.abandon(tenant_id, task.task_id)
            return self.routing.update_task(
                tenant_id, task.task_id,
                lambda t: replace(t, attempts=t.attempts + 1) if t.version == task.version
                else None)
        touched = self._touch(task)
        report.rematched += 1
        self.routing.rematch(tenant_id, [task.queue], [])
        return touched

    def _caller_gone(self, task: Task) -> bool:
        """Past the maximum wait the caller should have left: ask the carrier."""
        try:
            status = self.routing.telephony.call_status(task.tenant_id, str(task.call_sid))
        except HotlineError as exc:
            log.warning("could not check call %s: %s", task.call_sid, exc.message)
            return False
        return status not in LIVE_CALL_STATUSES

    def _touch(self, task: Task) -> Task | None:
        """Rewrite an unchanged task so its timer moves on to its next deadline."""
        return self.routing.touch(task)
