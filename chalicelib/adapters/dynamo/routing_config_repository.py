"""Per-tenant routing configuration (queues, workflow) and handle-time statistics.

One Query (``begins_with cfg#``) loads a tenant's every queue and its workflow.
Handle times are added with atomic counters into hourly items, so concurrent
completions never conflict.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from pynamodb.exceptions import PynamoDBException

from chalicelib.adapters.dynamo.errors import dynamo_call, is_conditional_failure, translated
from chalicelib.adapters.dynamo.models.routing import RoutingConfigModel
from chalicelib.adapters.dynamo.routing_mapping import (
    QUEUE_PREFIX,
    WORKFLOW_ITEM,
    queue_from,
    queue_model,
)
from chalicelib.domain.routing.estimates import HandleTimes
from chalicelib.domain.routing.model import QueueConfig, StaleState


def _hour(at: float) -> str:
    return time.strftime("%Y%m%d%H", time.gmtime(at))


def _stats_item(queue: str, at: float) -> str:
    return f"stats#{queue}#{_hour(at)}"


class RoutingConfigRepository:
    @dynamo_call("load routing configuration")
    def load(self, tenant_id: str) -> tuple[list[QueueConfig], dict[str, Any] | None, int]:
        """Every queue, the workflow document (or None) and its version: one Query."""
        queues: list[QueueConfig] = []
        workflow: dict[str, Any] | None = None
        version = 0
        for m in RoutingConfigModel.query(tenant_id,
                                          RoutingConfigModel.item.startswith("cfg#")):
            if m.item.startswith(QUEUE_PREFIX):
                queues.append(queue_from(m))
            elif m.item == WORKFLOW_ITEM:
                workflow, version = dict(m.body or {}), int(m.version)
        return queues, workflow, version

    @dynamo_call("get a queue")
    def get_queue(self, tenant_id: str, name: str) -> QueueConfig | None:
        try:
            return queue_from(RoutingConfigModel.get(tenant_id, QUEUE_PREFIX + name,
                                                     consistent_read=True))
        except RoutingConfigModel.DoesNotExist:
            return None

    def save_queue(self, queue: QueueConfig, *, new: bool) -> QueueConfig:
        condition = (RoutingConfigModel.item.does_not_exist() if new
                     else RoutingConfigModel.version == queue.version)
        self._save(queue_model(queue), condition, f"queue {queue.name}")
        return replace(queue, version=queue.version + 1)

    def save_workflow(self, tenant_id: str, document: dict[str, Any], version: int) -> int:
        model = RoutingConfigModel(tenant_id, WORKFLOW_ITEM, version=version + 1, body=document)
        condition = (RoutingConfigModel.item.does_not_exist() if version == 0
                     else RoutingConfigModel.version == version)
        self._save(model, condition, "the workflow")
        return version + 1

    @staticmethod
    def _save(model: RoutingConfigModel, condition: Any, what: str) -> None:
        with translated(f"save {what}"):
            try:
                model.save(condition=condition)
            except PynamoDBException as exc:
                if is_conditional_failure(exc):
                    raise StaleState(f"{what} changed meanwhile; reload and retry",
                                     (what,)) from exc
                raise

    @dynamo_call("record a handle time")
    def add_handle_time(self, tenant_id: str, queue: str, at: float, seconds: float) -> None:
        RoutingConfigModel(tenant_id, _stats_item(queue, at)).update(actions=[
            RoutingConfigModel.handled.add(1),
            RoutingConfigModel.handle_seconds.add(max(0.0, round(seconds, 3))),
        ])

    @dynamo_call("read handle times")
    def handle_times(self, tenant_id: str, queue: str, now: float,
                     hours: int = 2) -> list[HandleTimes]:
        """The last ``hours`` hourly totals (this hour included): one Query."""
        first = _stats_item(queue, now - 3600 * (hours - 1))
        last = _stats_item(queue, now)
        return [HandleTimes(int(m.handled or 0), float(m.handle_seconds or 0))
                for m in RoutingConfigModel.query(
                    tenant_id, RoutingConfigModel.item.between(first, last))]
