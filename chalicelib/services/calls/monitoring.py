"""Supervisors on live calls: the list of calls, and listen / whisper / barge.

The supervisor's browser is called into the call's conference (Participants create):
muted to listen, coaching the agent (``CallSidToCoach``: only the agent hears them) to
whisper, or as a full participant to barge. Changing mode updates that participant.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.calls import state as calls
from chalicelib.domain.calls.state import CallPhase, Monitor, MonitorMode
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.routing.model import TaskStatus
from chalicelib.services.calls.base import CallContext, state_of


def monitor_view(monitor: Monitor | None) -> dict[str, Any]:
    if monitor is None:
        return {"monitor": None}
    return {"monitor": {"supervisor_id": monitor.supervisor_id, "mode": monitor.mode.value,
                        "started_at": monitor.started_at, "call_sid": monitor.call_sid}}


class Monitoring:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    def monitor(self, who: Principal, task_id: str, body: dict[str, Any]) -> dict[str, Any]:
        who.require(Role.SUPERVISOR)
        mode = calls.parse_monitor_mode(body.get("mode"))
        tenant_id = who.tenant_id
        task, state = self.ctx.live_call(tenant_id, task_id)
        if not state.agent_sid:
            raise Conflict("the agent's leg is not on the call")
        now = self.ctx.now()
        visible = self.ctx.shows_monitoring(tenant_id)
        calls.monitor(state, who.user_id, mode, now, visible)  # refuses early
        conference_sid = self.ctx.conference_sid(task, state)
        whisper = mode is MonitorMode.WHISPER
        coach = state.agent_sid if whisper else None
        current = state.monitor
        if current is None or not current.call_sid:
            leg = self.ctx.carrier.add_participant(
                tenant_id, conference_sid, from_=self.ctx.caller_id(tenant_id, task),
                to=f"client:{who.user_id}", label="supervisor",
                status_callback=self.ctx.urls.participant_status(tenant_id, task_id, "monitor"),
                muted=mode is MonitorMode.LISTEN, coaching=whisper, call_sid_to_coach=coach)
        else:
            leg = current.call_sid
            self.ctx.carrier.update_participant(
                tenant_id, conference_sid, leg, muted=mode is MonitorMode.LISTEN,
                coaching=whisper, call_sid_to_coach=coach)
        saved = self.ctx.save(tenant_id, task_id, lambda s: calls.monitor_placed(
            calls.monitor(s, who.user_id, mode, now, visible), leg))
        if task.interaction_id:
            interaction = task.interaction_id
            self.ctx.routing.record("monitoring", lambda: self.ctx.crm.record_monitoring(
                tenant_id, interaction, who.user_id, mode.value))
        saved_state = state_of(saved)
        return monitor_view(saved_state.monitor if saved_state else None)

    def stop(self, who: Principal, task_id: str) -> dict[str, Any]:
        who.require(Role.SUPERVISOR)
        task = self.ctx.routing.store.get_task(who.tenant_id, task_id)
        state = state_of(task) if task is not None else None
        if task is None:
            raise NotFound(f"task {task_id} not found")
        if state is None:
            raise Conflict("nobody is monitoring this call")
        calls.stop_monitor(state, who.user_id)
        self.ctx.end_quietly(who.tenant_id, state.monitor.call_sid if state.monitor else None)
        if task.status is TaskStatus.ASSIGNED:
            self.ctx.save(who.tenant_id, task_id, lambda s: calls.stop_monitor(s, who.user_id)
                          if s.monitor else s)
        return monitor_view(None)

    def live_calls(self, who: Principal) -> dict[str, Any]:
        """Every live agent call of the tenant: agent, caller, queue, duration, monitor."""
        who.require(Role.SUPERVISOR)
        tenant_id = who.tenant_id
        store = self.ctx.routing.store
        agents = {a.agent_id: a for a in store.list_agents(tenant_id)}
        held = [tid for a in agents.values() for tid, ch in a.holds.items() if ch == "voice"]
        now = self.ctx.now()
        found = []
        for task in store.get_tasks(tenant_id, held):
            state = state_of(task)
            if task.status is not TaskStatus.ASSIGNED or state is None \
                    or state.phase is CallPhase.ENDED or not task.assigned_agent:
                continue
            agent = agents.get(task.assigned_agent)
            started = task.connected_at or task.assigned_at or now
            found.append({
                "task_id": task.task_id, "agent_id": task.assigned_agent,
                "agent_name": agent.name if agent else task.assigned_agent,
                "caller": task.caller, "queue": task.queue, "direction": state.direction,
                "state": state.phase.value, "started_at": started,
                "duration_seconds": round(max(0.0, now - started), 1),
                "on_hold": state.on_hold,
                "monitor": ({"supervisor_id": state.monitor.supervisor_id,
                             "mode": state.monitor.mode.value} if state.monitor else None)})
        return {"calls": sorted(found, key=lambda c: c["started_at"])}
