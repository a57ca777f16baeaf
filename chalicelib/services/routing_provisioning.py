"""What a new business and a new user get from the router (signup and the demo seed).

``default_queues`` is a signup provisioner: the queues the default flows name
(``support`` and ``orders``) and a workflow with no filters. ``agent_profile`` is a
user hook: every new user gets a routing profile (offline until they go available),
built from the routing fields of the body that created the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.domain.identity import Tenant, User
from chalicelib.services.routing_admin import AGENT_FIELDS

DEFAULT_QUEUES = ("support", "orders")


def default_queues(tenant: Tenant, _users: Sequence[User]) -> dict[str, Any]:
    from chalicelib.wiring import get_routing_admin

    admin = get_routing_admin()
    for name in DEFAULT_QUEUES:
        admin.ensure_queue(tenant.tenant_id, name)
    admin.ensure_default_workflow(tenant.tenant_id)
    return {}


def agent_profile(user: User, body: dict[str, Any]) -> None:
    from chalicelib.wiring import get_routing_admin

    profile = {k: v for k, v in body.items() if k in AGENT_FIELDS and k not in ("name",)}
    profile.setdefault("name", user.name)
    if user.mobile and "mobile" not in profile:
        profile["mobile"] = user.mobile
    if profile.get("tier") == "part-time" and profile.get("mobile"):
        profile.setdefault("take_on_mobile", True)
    get_routing_admin().ensure_agent(user.tenant_id, user.user_id, **profile)
