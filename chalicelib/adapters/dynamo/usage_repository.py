"""Usage records and monthly counters in DynamoDB. Returns domain ``UsageRecord``s and
per-kind counts, never models.

Metering is one ``TransactWriteItems``: the record, created only if absent, and an ADD
to the month's counters item. A retried callback fails the record's condition and adds
nothing. Within the first hour of a month the transaction also checks that the previous
month holds no record of the same source, so a retry that straddles midnight of the
month's end still meters once.
"""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure
from chalicelib.adapters.dynamo.models.usage import UsageModel
from chalicelib.config import Settings
from chalicelib.domain.billing.plan import KINDS
from chalicelib.domain.billing.usage import UsageRecord, complete

TOTALS = "totals"


def _pk(tenant_id: str, month: str) -> str:
    return f"{tenant_id}#{month}"


def _sk(kind: str, source: str) -> str:
    return f"r#{kind}#{source}"


def _record(tenant_id: str, month: str, m: UsageModel) -> UsageRecord:
    _, kind, source = m.sk.split("#", 2)
    return UsageRecord(tenant_id, month, kind, source, int(m.quantity or 0),
                       float(m.at or 0), m.detail or "")


class UsageRepository:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @dynamo_call("meter usage")
    def add(self, record: UsageRecord, also_absent_in: str | None = None) -> bool:
        """Store ``record`` and add it to its month's counters, once per (kind, source).
        False when it was metered before. ``also_absent_in``: another month that must not
        hold the same source either (the previous month, near a month's start)."""
        item = UsageModel(_pk(record.tenant_id, record.month), _sk(record.kind, record.source),
                          kind=record.kind, quantity=record.quantity, at=record.at,
                          detail=record.detail[:200] or None)
        counter = getattr(UsageModel, record.kind)
        try:
            with TransactWrite(connection=connection(self._settings)) as tx:
                tx.save(item, condition=UsageModel.sk.does_not_exist())
                if also_absent_in:
                    tx.condition_check(UsageModel, _pk(record.tenant_id, also_absent_in),
                                       _sk(record.kind, record.source),
                                       condition=UsageModel.sk.does_not_exist())
                if record.quantity:
                    tx.update(UsageModel(_pk(record.tenant_id, record.month), TOTALS),
                              actions=[counter.add(record.quantity)])
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    @dynamo_call("read usage counters")
    def counters(self, tenant_id: str, month: str) -> dict[str, int]:
        """Units per kind so far this month: one GetItem."""
        try:
            m = UsageModel.get(_pk(tenant_id, month), TOTALS)
        except UsageModel.DoesNotExist:
            return complete({})
        return complete({kind: int(getattr(m, kind) or 0) for kind in KINDS})

    @dynamo_call("list usage records")
    def records(self, tenant_id: str, month: str, kind: str | None = None) -> list[UsageRecord]:
        prefix = f"r#{kind}#" if kind else "r#"
        return [_record(tenant_id, month, m) for m in UsageModel.query(
            _pk(tenant_id, month), range_key_condition=UsageModel.sk.startswith(prefix))]

    @dynamo_call("page usage records")
    def page(self, tenant_id: str, month: str, kind: str | None, limit: int,
             after: str | None = None) -> tuple[list[UsageRecord], str | None]:
        """Up to ``limit`` records in key order (kind, then source), from after ``after``
        (the last page's cursor); the next cursor, or None at the end."""
        pk = _pk(tenant_id, month)
        prefix = f"r#{kind}#" if kind else "r#"
        query = UsageModel.query(
            pk, range_key_condition=UsageModel.sk.startswith(prefix), limit=limit,
            page_size=limit,
            last_evaluated_key={"pk": {"S": pk}, "sk": {"S": after}} if after else None)
        found = [_record(tenant_id, month, m) for m in query]
        last = query.last_evaluated_key
        return found, (str(last["sk"]["S"]) if last and len(found) == limit else None)


class HeldNumbers:
    """Which tenant holds each phone number: one Scan of the numbers table (an item per
    number, keys only), for the billing sweep's monthly ``numbers`` units."""

    @dynamo_call("list held numbers")
    def tenants(self) -> set[str]:
        from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel

        return {m.tenant_id for m in PhoneNumberModel.scan(
            attributes_to_get=["number", "tenant_id"]) if m.tenant_id}
