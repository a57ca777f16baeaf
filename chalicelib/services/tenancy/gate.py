"""The tenant gate: one place that says whether a tenant may take a call or a text, place
one, or change anything through the API, and what to tell whoever is refused.

- ``inbound(tenant, permission, now)``: the words a caller hears or a texter reads when
  the tenant is not active or the medium is off; ``""`` to refuse without a reply; None
  to let the webhook go on.
- ``require_outbound(tenant, permission, now)``: active, the permission on, and the
  month's spending cap not reached (BILL's ``SpendReader``), else the named 403.
- ``require_writable(who, now)``: an API write by a tenant's user or key; 403
  ``tenant_inactive`` with the reason once the tenant is not active.

The API paths read the tenant through a cache of ``ttl`` seconds (5 by default): a write
costs one GetItem per tenant every few seconds per warm container, and the operator's
change reaches every API write within that time. Webhooks judge the tenant their line
already holds (the directory's cache, 30 s): no extra request on the call path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.domain.errors import Forbidden, HotlineError, NotFound
from chalicelib.domain.identity import PLATFORM_TENANT, Principal, Tenant
from chalicelib.domain.tenancy import PermissionOff, SpendingCapReached, Standing
from chalicelib.services.ttl_cache import TtlCache

log = logging.getLogger("hotline.tenancy")

API_TTL_SECONDS = 5.0

# What a caller hears, or a texter or chat visitor reads, when the medium is off.
INBOUND_OFF: dict[str, str] = {
    "voice_in": "Sorry, this number does not take calls. Please contact the business "
                "another way. Goodbye.",
    "sms_in": "Sorry, this number does not receive text messages. Please contact the "
              "business another way.",
    "whatsapp_in": "Sorry, this number does not receive WhatsApp messages. Please contact "
                   "the business another way.",
    "chat": "Web chat is not available for this business. Please contact it another way.",
}
# An inbound text's reply is an outbound message of the same medium.
_REPLY_PERMISSION = {"sms_in": "sms_out", "whatsapp_in": "whatsapp_out"}

# API writes an inactive tenant may still make (method, Chalice route): leaving work
# cleanly (logging out is the browser dropping its session: no route to allow). PUT
# /api/me/activity is checked by the desk itself (only "available" is refused); a call
# in progress can still be ended and its wrap-up finished.
ALWAYS_WRITABLE: frozenset[tuple[str, str]] = frozenset({
    ("PUT", "/api/me/activity"),
    ("POST", "/api/tasks/{task_id}/wrapup"),
    ("POST", "/api/tasks/{task_id}/hangup"),
    ("POST", "/api/voice/token"),
})


class SpendReader(Protocol):
    """BILL's port (``wiring.get_spend_reader()``): this month's spend, in the plan's
    currency, in the tenant's time zone."""

    def spent(self, tenant_id: str, now: float) -> float: ...


class Tenants(Protocol):
    def get(self, tenant_id: str) -> Tenant | None: ...


class VisitorRefused(Forbidden):
    """A refusal addressed to the business's customer (the web chat widget shows it)."""

    def __init__(self, error_code: str, message: str) -> None:
        super().__init__(message)
        self.error_code = error_code


def inbound_permission(address: str) -> str:
    """The inbound permission a texter's address needs (``whatsapp:+1…`` or ``+1…``)."""
    return "whatsapp_in" if address.startswith("whatsapp:") else "sms_in"


def outbound_permission(channel: str) -> str:
    """The outbound permission a reply on a thread's channel needs."""
    return {"whatsapp": "whatsapp_out", "chat": "chat", "voice": "voice_out"}.get(
        channel, "sms_out")


class TenantGate:
    def __init__(self, tenants: Tenants,
                 spend: Callable[[], SpendReader | None] = lambda: None,
                 ttl: float = API_TTL_SECONDS, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.tenants = tenants
        self.spend = spend  # resolved on use: BILL's reader, or None (no cap enforced)
        self.clock = clock
        self._cache = TtlCache(ttl, monotonic)

    # --- reading ---------------------------------------------------------------------
    def find(self, tenant_id: str) -> Tenant | None:
        found: Tenant | None = self._cache.get_or_load(
            tenant_id, lambda: self.tenants.get(tenant_id))
        return found

    def tenant(self, tenant_id: str) -> Tenant:
        found = self.find(tenant_id)
        if found is None:
            raise NotFound(f"business {tenant_id} not found")
        return found

    def standing(self, tenant_id: str, now: float | None = None) -> Standing:
        return self.tenant(tenant_id).standing()

    def forget(self, tenant_id: str) -> None:
        """The operator changed the tenant's terms here: this container sees it at once."""
        self._cache.forget(tenant_id)

    # --- the API ---------------------------------------------------------------------
    def require_writable(self, who: Principal, now: float | None = None) -> None:
        """403 ``tenant_inactive`` (with the reason and validity date) on an inactive
        tenant's API write. A tenant that no longer exists has nothing to protect: the
        route's own lookup answers it."""
        if who.tenant_id == PLATFORM_TENANT:
            return
        tenant = self.find(who.tenant_id)
        if tenant is not None:
            tenant.standing().require_active(self._now(now))

    def require_active(self, tenant_id: str, now: float | None = None) -> None:
        """For an agent going Available: refused while the tenant is not active."""
        tenant = self.find(tenant_id)
        if tenant is not None:
            tenant.standing().require_active(self._now(now))

    def require_outbound(self, tenant: Tenant | str, permission: str,
                         now: float | None = None) -> None:
        """Active, then the permission, then the month's spending cap; the first that
        fails raises its 403 (tenant_inactive, permission_off, spending_cap_reached)."""
        found = self.tenant(tenant) if isinstance(tenant, str) else tenant
        at = self._now(now)
        standing = found.standing()
        standing.require_active(at)
        standing.require(permission)
        if standing.spending_cap is None:
            return
        reader = self.spend()
        if reader is None:
            log.warning("tenant %s has a spending cap but no spend reader is wired; "
                        "the cap is not enforced", found.tenant_id)
            return
        try:
            spent = float(reader.spent(found.tenant_id, at))
        except HotlineError as exc:  # metering trouble must not silence a business
            log.error("spend of tenant %s could not be read; %s allowed: %s: %s",
                      found.tenant_id, permission, type(exc).__name__, exc.message)
            return
        if spent >= standing.spending_cap:
            raise SpendingCapReached(standing.spending_cap, spent)

    def outbound_refusal(self, tenant: Tenant, permission: str,
                         now: float | None = None) -> str | None:
        """``require_outbound`` as a reason (None: allowed), logged: a flow's
        send-message fails its widget with it."""
        try:
            self.require_outbound(tenant, permission, now)
        except Forbidden as exc:
            log.warning("tenant %s: %s refused: %s", tenant.tenant_id, permission,
                        exc.message)
            return exc.message
        return None

    # --- webhooks --------------------------------------------------------------------
    def inbound(self, tenant: Tenant, permission: str, now: float | None = None) -> str | None:
        """None: go on. Otherwise the polite words for the caller, texter or visitor:
        the tenant's own message (or the default) when it is not active; the medium's
        refusal when the operator switched it off. ``""`` refuses without a reply: a
        text whose reply medium is off too gets none."""
        standing = tenant.standing()
        message = standing.message(self._now(now))
        if message is not None:
            log.info("tenant %s is not active (%s): %s refused", tenant.tenant_id,
                     standing.reason(self._now(now)), permission)
            return message
        if standing.allows(permission):
            return None
        log.info("tenant %s: %s is off; refused", tenant.tenant_id, permission)
        reply = _REPLY_PERMISSION.get(permission)
        if reply is not None and not standing.allows(reply):
            return ""
        return tenant.messages.get(f"{permission}_off") or INBOUND_OFF[permission]

    def visitor_refusal(self, tenant: Tenant, now: float | None = None) -> None:
        """Web chat: raise the 403 the widget shows when the tenant is not active or
        chat is off."""
        standing = tenant.standing()
        words = self.inbound(tenant, "chat", now)
        if words is None:
            return
        code = "tenant_inactive" if not standing.active(self._now(now)) else \
            PermissionOff.error_code
        raise VisitorRefused(code, words or INBOUND_OFF["chat"])

    def _now(self, now: float | None) -> float:
        return self.clock() if now is None else now
