"""The routing side of the wallboard: live queues and every agent's state, read in a fixed
number of requests whatever the number of agents (one list of agents, one batch read of
the tasks they hold, two capped queries per queue)."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.routing.model import TaskStatus


class RoutingAdmin(Protocol):
    def queue_stats(self, tenant_id: str) -> list[dict[str, Any]]: ...
    def queues(self, tenant_id: str) -> list[Any]: ...


class RoutingReads(Protocol):
    def list_agents(self, tenant_id: str) -> list[Any]: ...
    def get_tasks(self, tenant_id: str, task_ids: Any) -> list[Any]: ...


CALLS = frozenset({"voice"})


class RoutingBoard:
    def __init__(self, admin: RoutingAdmin, store: RoutingReads) -> None:
        self.admin = admin
        self.store = store

    def queue_stats(self, tenant_id: str) -> list[dict[str, Any]]:
        return self.admin.queue_stats(tenant_id)

    def queues(self, tenant_id: str) -> list[Any]:
        return self.admin.queues(tenant_id)

    def agents(self, tenant_id: str) -> list[Any]:
        return self.store.list_agents(tenant_id)

    def agent_states(self, tenant_id: str) -> list[dict[str, Any]]:
        """Each agent's activity, or ``busy``/``wrap-up`` while holding a task."""
        agents = self.store.list_agents(tenant_id)
        held = self.store.get_tasks(tenant_id, [tid for a in agents for tid in a.holds])
        by_agent: dict[str, list[Any]] = {}
        for task in held:
            if task.assigned_agent:
                by_agent.setdefault(task.assigned_agent, []).append(task)
        out = []
        for agent in sorted(agents, key=lambda a: (a.name or "", a.agent_id)):
            tasks = by_agent.get(agent.agent_id, [])
            assigned = [t for t in tasks if t.status is TaskStatus.ASSIGNED]
            wrapping = [t for t in tasks if t.status is TaskStatus.WRAPPING]
            activity = agent.activity.value
            since = agent.activity_changed_at or None
            if assigned:
                activity = "busy"
                since = min((t.assigned_at or 0) for t in assigned) or since
            elif wrapping:
                activity = "wrap-up"
            out.append({
                "agent_id": agent.agent_id, "name": agent.name, "activity": activity,
                "tasks": len(agent.holds), "since": since,
                "on_call": any(t.channel in CALLS and t.status is TaskStatus.ASSIGNED
                               for t in tasks),
            })
        return out
