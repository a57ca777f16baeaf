"""API keys, webhook subscriptions and deliveries in DynamoDB (models/integrations.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure, translated
from chalicelib.adapters.dynamo.models.integrations import IntegrationModel
from chalicelib.domain.integrations import ApiKey, Attempt, Delivery, Subscription

KEY = "key#"
HOOK = "hook#"
DELIVERY = "dlv#"
DELIVERY_KEEP_SECONDS = 30 * 24 * 3600

Stage = Callable[[TransactWrite], None]


def _key(m: IntegrationModel) -> ApiKey:
    return ApiKey(tenant_id=m.tenant_id, key_id=str(m.key_id), name=m.name or "",
                  role=str(m.role), secret_hash=str(m.secret_hash), prefix=m.prefix or "",
                  created_at=float(m.created_at), created_by=m.created_by or "",
                  last_used_at=None if m.last_used_at is None else float(m.last_used_at),
                  revoked_at=None if m.revoked_at is None else float(m.revoked_at))


def _subscription(m: IntegrationModel) -> Subscription:
    return Subscription(tenant_id=m.tenant_id, subscription_id=m.sk[len(HOOK):],
                        url=str(m.url), events=tuple(str(e) for e in m.events or ()),
                        secret=str(m.secret),
                        created_at=float(m.created_at), description=m.description or "")


def _delivery(m: IntegrationModel) -> Delivery:
    _, subscription_id, delivery_id = m.sk.split("#", 2)
    attempts = tuple(Attempt(attempt=int(a["attempt"]), at=float(a["at"]),
                             status_code=a.get("status_code"), error=a.get("error"),
                             duration_ms=int(a.get("duration_ms") or 0))
                     for a in (json.loads(str(raw)) for raw in m.attempts or []))
    return Delivery(tenant_id=m.tenant_id, subscription_id=subscription_id,
                    delivery_id=delivery_id, event_id=str(m.event_id),
                    event_type=str(m.event_type), created_at=float(m.created_at),
                    status=str(m.status), attempts=attempts,
                    next_retry_at=None if m.next_retry_at is None else float(m.next_retry_at))


class IntegrationsRepository:
    def __init__(self, connection: Connection | None = None) -> None:
        self._connection = connection

    # --- API keys ---------------------------------------------------------------------
    @dynamo_call("save an API key")
    def add_key(self, key: ApiKey) -> None:
        IntegrationModel(key.tenant_id, KEY + key.key_id, key_id=key.key_id, name=key.name,
                         role=key.role, secret_hash=key.secret_hash, prefix=key.prefix,
                         created_at=key.created_at, created_by=key.created_by
                         ).save(condition=IntegrationModel.sk.does_not_exist())

    @dynamo_call("list API keys")
    def keys(self, tenant_id: str) -> list[ApiKey]:
        return [_key(m) for m in IntegrationModel.query(
            tenant_id, IntegrationModel.sk.startswith(KEY), consistent_read=True)]

    @dynamo_call("read an API key")
    def get_key(self, tenant_id: str, key_id: str) -> ApiKey | None:
        try:
            return _key(IntegrationModel.get(tenant_id, KEY + key_id, consistent_read=True))
        except IntegrationModel.DoesNotExist:
            return None

    @dynamo_call("find an API key")
    def find_key(self, key_id: str) -> ApiKey | None:
        """The key with this id, whatever its tenant: the index names the item, the table
        answers (strongly consistent, so a revocation counts at once)."""
        for hit in IntegrationModel.by_key.query(key_id, limit=1):
            return self.get_key(hit.tenant_id, key_id)
        return None

    @dynamo_call("revoke an API key")
    def revoke_key(self, tenant_id: str, key_id: str, at: float) -> bool:
        """False when there is no such key (or it was already revoked)."""
        try:
            IntegrationModel(tenant_id, KEY + key_id).update(
                actions=[IntegrationModel.revoked_at.set(at)],
                condition=(IntegrationModel.sk.exists()
                           & IntegrationModel.revoked_at.does_not_exist()))
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    @dynamo_call("note an API key's use")
    def touch_key(self, tenant_id: str, key_id: str, at: float) -> None:
        IntegrationModel(tenant_id, KEY + key_id).update(
            actions=[IntegrationModel.last_used_at.set(at)],
            condition=IntegrationModel.sk.exists())

    # --- subscriptions -------------------------------------------------------------------
    @dynamo_call("save a webhook")
    def add_subscription(self, sub: Subscription) -> None:
        IntegrationModel(sub.tenant_id, HOOK + sub.subscription_id, url=sub.url,
                         events=list(sub.events), secret=sub.secret,
                         created_at=sub.created_at, description=sub.description or None
                         ).save(condition=IntegrationModel.sk.does_not_exist())

    @dynamo_call("list webhooks")
    def subscriptions(self, tenant_id: str) -> list[Subscription]:
        return [_subscription(m) for m in IntegrationModel.query(
            tenant_id, IntegrationModel.sk.startswith(HOOK))]

    @dynamo_call("read a webhook")
    def get_subscription(self, tenant_id: str, subscription_id: str) -> Subscription | None:
        try:
            return _subscription(IntegrationModel.get(tenant_id, HOOK + subscription_id,
                                                      consistent_read=True))
        except IntegrationModel.DoesNotExist:
            return None

    @dynamo_call("delete a webhook")
    def delete_subscription(self, tenant_id: str, subscription_id: str) -> bool:
        try:
            IntegrationModel(tenant_id, HOOK + subscription_id).delete(
                condition=IntegrationModel.sk.exists())
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    # --- deliveries ----------------------------------------------------------------------
    def _delivery_model(self, d: Delivery) -> IntegrationModel:
        return IntegrationModel(
            d.tenant_id, f"{DELIVERY}{d.subscription_id}#{d.delivery_id}",
            created_at=d.created_at, event_id=d.event_id, event_type=d.event_type,
            status=d.status, attempts=[], next_retry_at=d.next_retry_at,
            expires_at=datetime.fromtimestamp(d.created_at + DELIVERY_KEEP_SECONDS, tz=UTC))

    def add_delivery(self, delivery: Delivery, stages: list[Stage]) -> bool:
        """The delivery record and its first outbox item, in one transaction; False when
        the outbox item exists already (this event was published before)."""
        with translated("record a webhook delivery"):
            try:
                with TransactWrite(connection=self._connection) as tx:
                    tx.save(self._delivery_model(delivery))
                    for stage in stages:
                        stage(tx)
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    return False
                raise
        return True

    @dynamo_call("record a delivery attempt")
    def record_attempt(self, tenant_id: str, subscription_id: str, delivery_id: str,
                       attempt: Attempt, status: str, next_retry_at: float | None) -> None:
        entry = json.dumps(attempt.public(), sort_keys=True)
        model = IntegrationModel(tenant_id, f"{DELIVERY}{subscription_id}#{delivery_id}")
        actions: list[Action] = [IntegrationModel.attempts.set(
                       (IntegrationModel.attempts | []).append([entry])),
                   IntegrationModel.status.set(status)]
        if next_retry_at is None:
            actions.append(IntegrationModel.next_retry_at.remove())
        else:
            actions.append(IntegrationModel.next_retry_at.set(next_retry_at))
        model.update(actions=actions)

    @dynamo_call("list deliveries")
    def deliveries(self, tenant_id: str, subscription_id: str,
                   limit: int = 50) -> list[Delivery]:
        """The newest deliveries first."""
        return [_delivery(m) for m in IntegrationModel.query(
            tenant_id, IntegrationModel.sk.startswith(f"{DELIVERY}{subscription_id}#"),
            scan_index_forward=False, limit=limit, consistent_read=True)]
