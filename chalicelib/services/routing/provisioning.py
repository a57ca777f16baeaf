"""What a new business and a new user get from the router (signup and the demo seed).

``default_queues`` is a signup provisioner: the queues the default flows name
(``support`` and ``orders``) and a workflow with no filters. ``agent_profile`` is a
user hook: every new user gets a routing profile (offline until they go available),
built from the routing fields of the body that created the user.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.identity import Tenant, User
from chalicelib.services.routing.admin import AGENT_FIELDS

DEFAULT_QUEUES = ("support", "orders")


class RoutingProvisioner(Protocol):
    def ensure_queue(self, tenant_id: str, name: str) -> Any: ...
    def ensure_default_workflow(self, tenant_id: str) -> Any: ...
    def ensure_agent(self, tenant_id: str, user_id: str, **profile: Any) -> Any: ...


def default_queues(admin: RoutingProvisioner, tenant: Tenant) -> dict[str, Any]:
    for name in DEFAULT_QUEUES:
        admin.ensure_queue(tenant.tenant_id, name)
    admin.ensure_default_workflow(tenant.tenant_id)
    return {}


def agent_profile(admin: RoutingProvisioner, user: User, body: dict[str, Any]) -> None:
    profile = {k: v for k, v in body.items() if k in AGENT_FIELDS and k not in ("name",)}
    profile.setdefault("name", user.name)
    if user.mobile and "mobile" not in profile:
        profile["mobile"] = user.mobile
    if profile.get("tier") == "part-time" and profile.get("mobile"):
        profile.setdefault("take_on_mobile", True)
    admin.ensure_agent(user.tenant_id, user.user_id, **profile)
