"""What every new tenant starts with: the default flows, published, and its routing setup.

The default flows live in `flows/` (kept in git by developers). `chalice package` ships
only `chalicelib/`, so `./dev package` (devtools/package.py) writes them into the Lambda
zip as `chalicelib/bundled_flows/`; the local run reads `flows/` directly. The artifact
test (tests/artifact/) signs a business up from the built zip.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.identity import Tenant
from chalicelib.services.onboarding import Provisioner, UserHook

if TYPE_CHECKING:
    from chalicelib.services.routing.provisioning import RoutingProvisioner

log = logging.getLogger("hotline.provisioning")

DEFAULT_FLOWS = {"default_flow_id": "voice-ivr", "default_sms_flow_id": "sms-autoreply"}
_HERE = Path(__file__).resolve().parent.parent


def default_flows_dir() -> Path:
    """`chalicelib/bundled_flows/` in the deployed package, else the repo's `flows/`."""
    bundled = _HERE / "bundled_flows"
    return bundled if bundled.is_dir() else _HERE.parent / "flows"


def load_default_flow(flow_id: str) -> dict[str, Any]:
    path = default_flows_dir() / f"{flow_id}.json"
    try:
        doc: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"default flow {flow_id} cannot be read: {exc}") from exc
    return doc


class FlowPublisher(Protocol):
    def create(self, tenant_id: str, name: str, doc: dict[str, Any], *,
               flow_id: str | None = None) -> Any: ...
    def get(self, tenant_id: str, flow_id: str) -> Any: ...
    def publish(self, tenant_id: str, flow_id: str, *, user_id: str) -> Any: ...


def publish_default_flows(admin: FlowPublisher, tenant: Tenant) -> dict[str, Any]:
    """Create and publish each default flow (validated like any publish)."""
    profile: dict[str, Any] = {}
    for key, flow_id in DEFAULT_FLOWS.items():
        doc = load_default_flow(flow_id)
        try:
            admin.create(tenant.tenant_id, str(doc.get("description") or flow_id)[:120], doc,
                         flow_id=flow_id)
        except Conflict:
            log.info("default flow %s already exists for %s", flow_id, tenant.tenant_id)
        if not admin.get(tenant.tenant_id, flow_id).published_revision:
            admin.publish(tenant.tenant_id, flow_id, user_id="signup")
        profile[key] = flow_id
    return profile


class VoiceProvisioner(Protocol):
    def provision(self, tenant: Tenant) -> dict[str, Any]: ...


def provisioners(flow_admin: Callable[[], FlowPublisher],
                 routing_admin: Callable[[], RoutingProvisioner],
                 voice: Callable[[], VoiceProvisioner] | None = None) -> list[Provisioner]:
    """What signup runs for a new tenant; the admins are built lazily by the caller.
    ``voice``: the Voice SDK's API key and TwiML App in the tenant's subaccount."""
    from chalicelib.services.routing import provisioning as routing_provisioning

    made: list[Provisioner] = [
        lambda tenant, _users: publish_default_flows(flow_admin(), tenant),
        lambda tenant, _users: routing_provisioning.default_queues(routing_admin(), tenant)]
    if voice is not None:
        made.append(lambda tenant, _users: voice().provision(tenant))
    return made


def user_hooks(routing_admin: Callable[[], RoutingProvisioner]) -> list[UserHook]:
    from chalicelib.services.routing import provisioning as routing_provisioning

    return [lambda user, body: routing_provisioning.agent_profile(routing_admin(), user, body)]
