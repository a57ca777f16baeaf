"""Webhook subscriptions: added (the signing secret shown once), listed, deleted, their
delivery log read, and a test event sent now."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.integrations import (
    TEST_EVENT,
    Delivery,
    Subscription,
    check_events,
    check_webhook_url,
)
from chalicelib.services.integrations.delivery import EventPublisher

log = logging.getLogger("hotline.integrations.webhooks")

MAX_SUBSCRIPTIONS = 10
DESCRIPTION_MAX = 200
LOG_LIMIT_MAX = 100


class SubscriptionStore(Protocol):
    def add_subscription(self, sub: Subscription) -> None: ...
    def subscriptions(self, tenant_id: str) -> list[Subscription]: ...
    def get_subscription(self, tenant_id: str, subscription_id: str
                         ) -> Subscription | None: ...
    def delete_subscription(self, tenant_id: str, subscription_id: str) -> bool: ...
    def deliveries(self, tenant_id: str, subscription_id: str,
                   limit: int = 50) -> list[Delivery]: ...


def require_webhook_admin(who: Principal) -> None:
    """Owners and admins, in a session or with an admin key."""
    who.require(Role.ADMIN)


class Webhooks:
    def __init__(self, store: SubscriptionStore, publisher: EventPublisher, *,
                 allow_loopback: bool = False, clock: Callable[[], float] = time.time,
                 new_id: Callable[[], str] = lambda: secrets.token_hex(8)) -> None:
        self.store = store
        self.publisher = publisher
        self.allow_loopback = allow_loopback
        self.clock = clock
        self.new_id = new_id

    def create(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        """A new subscription; the answer's ``secret`` is the only time it is shown."""
        require_webhook_admin(who)
        url = check_webhook_url(body.get("url"), allow_loopback=self.allow_loopback)
        events = check_events(body.get("events"))
        description = str(body.get("description") or "").strip()
        if len(description) > DESCRIPTION_MAX:
            raise InvalidInput(f"description is longer than {DESCRIPTION_MAX} characters",
                               path="description")
        if len(self.store.subscriptions(who.tenant_id)) >= MAX_SUBSCRIPTIONS:
            raise InvalidInput(f"a business has at most {MAX_SUBSCRIPTIONS} webhooks",
                               path="url")
        sub = Subscription(tenant_id=who.tenant_id, subscription_id=self.new_id(), url=url,
                           events=events, secret="whsec_" + secrets.token_urlsafe(32),
                           created_at=self.clock(), description=description)
        self.store.add_subscription(sub)
        self.publisher.forget(who.tenant_id)
        log.info("webhook %s added for tenant %s (%s)", sub.subscription_id, who.tenant_id,
                 ", ".join(events))
        return {**sub.public(), "secret": sub.secret}

    def list(self, who: Principal) -> list[dict[str, Any]]:
        require_webhook_admin(who)
        found = sorted(self.store.subscriptions(who.tenant_id), key=lambda s: s.created_at)
        return [s.public() for s in found]

    def delete(self, who: Principal, subscription_id: str) -> dict[str, Any]:
        require_webhook_admin(who)
        if not self.store.delete_subscription(who.tenant_id, subscription_id):
            raise NotFound(f"no webhook {subscription_id}")
        self.publisher.forget(who.tenant_id)
        return {"id": subscription_id, "deleted": True}

    def deliveries(self, who: Principal, subscription_id: str,
                   limit: int = 50) -> dict[str, Any]:
        """The delivery log, newest first: each event's attempts, status codes, errors and
        the next retry."""
        self._get(who, subscription_id)
        found = self.store.deliveries(who.tenant_id, subscription_id,
                                      max(1, min(limit, LOG_LIMIT_MAX)))
        return {"webhook_id": subscription_id, "deliveries": [d.public() for d in found]}

    def test(self, who: Principal, subscription_id: str) -> dict[str, Any]:
        """Send a ``webhook.test`` event to this subscription now (first attempt inline;
        retried like any other if it fails)."""
        sub = self._get(who, subscription_id)
        event_id = f"test:{secrets.token_hex(8)}"
        now = self.clock()
        item = self.publisher.enqueue(
            sub, TEST_EVENT, {"message": "a test event from Hotline", "sent_by": who.user_id,
                              "sent_at": now}, event_id,
            first_due=now + self.publisher.outbox.grace_seconds)
        if item is None:
            raise Conflict("that test event was already sent")
        self.publisher.outbox.run_staged([item])
        delivery_id = str(item.payload["delivery_id"])
        for d in self.store.deliveries(who.tenant_id, subscription_id, 20):
            if d.delivery_id == delivery_id:
                return {"delivery": d.public()}
        raise NotFound(f"delivery {delivery_id} not found")

    def _get(self, who: Principal, subscription_id: str) -> Subscription:
        require_webhook_admin(who)
        sub = self.store.get_subscription(who.tenant_id, subscription_id)
        if sub is None:
            raise NotFound(f"no webhook {subscription_id}")
        return sub
