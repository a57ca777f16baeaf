"""The transfer picker's directory, and the tenant's call settings."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.routing.model import Activity
from chalicelib.services.calls.base import SHOW_MONITORING, CallContext


class VoiceDirectory:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    def directory(self, who: Principal) -> dict[str, Any]:
        """Queues, and the other agents with whether they can take a call now."""
        routing = self.ctx.routing
        queues = sorted(routing.config.get(who.tenant_id).queues)
        agents = [{"agent_id": a.agent_id, "name": a.name or a.agent_id,
                   "activity": a.activity.value,
                   "available": a.activity is Activity.AVAILABLE and a.has_room("voice")}
                  for a in routing.store.list_agents(who.tenant_id) if a.agent_id != who.user_id]
        return {"queues": [{"name": q} for q in queues],
                "agents": sorted(agents, key=lambda a: (not a["available"], a["name"]))}

    def settings(self, who: Principal) -> dict[str, Any]:
        return {SHOW_MONITORING: self.ctx.shows_monitoring(who.tenant_id)}

    def update_settings(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        who.require(Role.ADMIN)
        unknown = sorted(set(body) - {SHOW_MONITORING})
        if unknown:
            raise InvalidInput(f"unknown setting {unknown[0]!r}", path=unknown[0])
        value = body.get(SHOW_MONITORING)
        if not isinstance(value, bool):
            raise InvalidInput(f"{SHOW_MONITORING} must be true or false", path=SHOW_MONITORING)
        tenant = self.ctx.tenants.get(who.tenant_id)
        if tenant is None:
            raise NotFound("your business was not found")
        self.ctx.tenants.update_profile(who.tenant_id, {**tenant.profile,
                                                        SHOW_MONITORING: value})
        return {SHOW_MONITORING: value}
