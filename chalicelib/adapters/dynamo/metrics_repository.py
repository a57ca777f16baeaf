"""Write-time metric aggregates in DynamoDB (docs/metrics.md): added once per interaction,
read a few items per report. Returns domain ``Totals``, never models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure
from chalicelib.adapters.dynamo.models.metrics import MetricAggregateModel
from chalicelib.config import Settings
from chalicelib.domain.crm import Interaction
from chalicelib.domain.metrics.aggregates import AggregateWrite
from chalicelib.domain.metrics.summary import Totals

COUNTERS = tuple(Totals().to_dict())


@dataclass(frozen=True)
class StoredAggregate:
    sk: str
    start: float
    totals: Totals


def _add_actions(write: AggregateWrite) -> list[Action]:
    actions: list[Action] = [MetricAggregateModel.start.set(int(write.start))]
    for name, value in write.totals.to_dict().items():
        if value and name != "wait_max_ms":
            actions.append(getattr(MetricAggregateModel, name).add(value))
    return actions


class MetricsRepository:
    """Each public method is one DynamoDB request, plus one conditional update per bucket
    whose longest wait this contact raises."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _commit(self, marker: MetricAggregateModel, at: float,
                writes: Sequence[AggregateWrite]) -> bool:
        """The marker item (created only if absent) and every ADD, in one transaction."""
        try:
            with TransactWrite(connection=connection(self._settings)) as tx:
                tx.update(marker, actions=[MetricAggregateModel.start.set(int(at))],
                          condition=MetricAggregateModel.pk.does_not_exist())
                for write in writes:
                    tx.update(MetricAggregateModel(write.pk, write.sk),
                              actions=_add_actions(write))
        except PynamoDBException as exc:
            if is_conditional_failure(exc):
                return False  # counted before: a retried webhook or a replayed outbox item
            raise
        self._raise_maxima(writes)
        return True

    @dynamo_call("aggregate an interaction")
    def add_interaction(self, tenant_id: str, interaction_id: str, flag: str, at: float,
                        writes: Sequence[AggregateWrite]) -> bool:
        """Add ``writes`` once per (interaction, flag): ``flag`` is ``aggregated`` (its
        contribution) or ``fcr_repeat`` (it lost its first-contact resolution). False
        when it was already counted (nothing added)."""
        marker = MetricAggregateModel(f"{tenant_id}#{flag}", interaction_id)
        return self._commit(marker, at, writes)

    @dynamo_call("aggregate agent time")
    def add_agent_time(self, tenant_id: str, agent_id: str, state_start: float,
                       writes: Sequence[AggregateWrite]) -> bool:
        """Add an agent's time in a state once: the marker is keyed by the state's start."""
        marker = MetricAggregateModel(f"{tenant_id}#agent_time#{agent_id}",
                                      f"{state_start:.3f}")
        return self._commit(marker, state_start, writes)

    def _raise_maxima(self, writes: Sequence[AggregateWrite]) -> None:
        """Raise each bucket's longest wait to this contact's, finest bucket first: when a
        bucket already holds a longer wait, so do the coarser ones (whoever wrote it wrote
        them next), so the first refusal ends it. About one request per contact."""
        for write in writes:
            wait = write.totals.wait_max_ms
            if not wait:
                continue
            attr = MetricAggregateModel.wait_max_ms
            try:
                MetricAggregateModel(write.pk, write.sk).update(
                    actions=[attr.set(wait)],
                    condition=attr.does_not_exist() | (attr < wait))
            except PynamoDBException as exc:
                if not is_conditional_failure(exc):
                    raise
                return  # a longer wait is stored here, and in every coarser bucket

    @dynamo_call("read aggregates")
    def query(self, pk: str, sk_prefix: str | None = None) -> list[StoredAggregate]:
        condition = MetricAggregateModel.sk.startswith(sk_prefix) if sk_prefix else None
        out = []
        for m in MetricAggregateModel.query(pk, range_key_condition=condition):
            values = {name: getattr(m, name) or 0 for name in COUNTERS}
            out.append(StoredAggregate(m.sk, float(m.start or 0), Totals.from_dict(values)))
        return out


class InteractionHistory:
    """The tenant's interactions by start time (the CRM table's ``by_time`` index): the
    drill-down behind a report's tile, and the staffing history."""

    @dynamo_call("list interactions by time")
    def page(self, tenant_id: str, start: float, end: float, limit: int,
             cursor: dict[str, Any] | None = None
             ) -> tuple[list[Interaction], dict[str, Any] | None]:
        from chalicelib.adapters.dynamo.crm_repository import _interaction
        from chalicelib.adapters.dynamo.models.crm import InteractionModel

        query = InteractionModel.by_time.query(
            tenant_id, range_key_condition=InteractionModel.started_at.between(start, end),
            limit=limit, page_size=limit, last_evaluated_key=cursor)
        found = [_interaction(m) for m in query]
        return found, query.last_evaluated_key
