"""Flow versions per tenant, executions in progress, and binding numbers to flows."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import dynamo_call, translated
from chalicelib.adapters.dynamo.models.flows import ExecutionModel, FlowModel
from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel
from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.flows.context import ExecutionContext
from chalicelib.domain.flows.model import Flow, parse_flow
from chalicelib.domain.flows.versions import FlowRecord, FlowRevision

DUE_SHARD = "due"


def head_key(flow_id: str) -> str:
    return f"head#{flow_id}"


def revision_key(flow_id: str, revision: int) -> str:
    return f"rev#{flow_id}#{revision:08d}"


def _record(item: FlowModel) -> FlowRecord:
    return FlowRecord(tenant_id=item.tenant_id, flow_id=item.flow_id, name=item.name or "",
                      draft=item.draft, published_revision=int(item.revision or 0),
                      created_at=float(item.created_at or 0),
                      draft_updated_at=item.draft_updated_at, published_at=item.published_at)


def _revision(item: FlowModel) -> FlowRevision:
    return FlowRevision(flow_id=item.flow_id, revision=int(item.revision),
                        definition=item.definition or {},
                        published_at=float(item.published_at or 0),
                        published_by=item.published_by, note=item.note)


class FlowRepository:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._clock = clock

    # -- drafts -----------------------------------------------------------------------

    def create(self, tenant_id: str, flow_id: str, name: str,
               draft: dict[str, Any]) -> FlowRecord:
        item = FlowModel(tenant_id, head_key(flow_id), flow_id=flow_id, name=name,
                         draft=draft, draft_updated_at=self._clock(), revision=0,
                         created_at=self._clock())
        with translated("create flow"):
            item.save(condition=FlowModel.sk.does_not_exist())
        return _record(item)

    @dynamo_call("read flow")
    def get(self, tenant_id: str, flow_id: str) -> FlowRecord:
        try:
            return _record(FlowModel.get(tenant_id, head_key(flow_id)))
        except FlowModel.DoesNotExist as exc:
            raise NotFound(f"flow {flow_id} not found") from exc

    @dynamo_call("list flows")
    def list_flows(self, tenant_id: str) -> list[FlowRecord]:
        items = FlowModel.query(tenant_id, FlowModel.sk.startswith("head#"))
        return [_record(item) for item in items]

    def save_draft(self, tenant_id: str, flow_id: str, draft: dict[str, Any],
                   name: str | None = None) -> FlowRecord:
        actions: list[Action] = [FlowModel.draft.set(draft),
                                 FlowModel.draft_updated_at.set(self._clock())]
        if name:
            actions.append(FlowModel.name.set(name))
        item = FlowModel(tenant_id, head_key(flow_id))
        try:
            with translated("save flow draft"):
                item.update(actions=actions, condition=FlowModel.sk.exists())
        except Conflict as exc:
            raise NotFound(f"flow {flow_id} not found") from exc
        return _record(item)

    # -- publishing -------------------------------------------------------------------

    def publish(self, tenant_id: str, flow_id: str, definition: dict[str, Any],
                expected_revision: int, published_by: str | None = None,
                note: str | None = None) -> int:
        """Publish ``definition`` as revision ``expected_revision + 1``.

        One transaction: the head moves only if it is still at ``expected_revision``
        (two publishers racing: exactly one wins, the other gets Conflict), and the
        revision item is created only if absent.
        """
        new = expected_revision + 1
        now = self._clock()
        head = FlowModel(tenant_id, head_key(flow_id))
        still_at_expected = FlowModel.sk.exists() & (FlowModel.revision == expected_revision)
        revision = FlowModel(tenant_id, revision_key(flow_id, new), flow_id=flow_id,
                             definition=definition, revision=new, published_at=now,
                             published_by=published_by, note=note)
        with (translated("publish flow"),
              TransactWrite(connection=connection(self._settings)) as tx):
            tx.update(head, actions=[FlowModel.revision.set(new),
                                     FlowModel.definition.set(definition),
                                     FlowModel.published_at.set(now)],
                      condition=still_at_expected)
            tx.save(revision, condition=FlowModel.sk.does_not_exist())
        return new

    @dynamo_call("list flow revisions")
    def revisions(self, tenant_id: str, flow_id: str) -> list[FlowRevision]:
        items = FlowModel.query(tenant_id, FlowModel.sk.startswith(f"rev#{flow_id}#"),
                                scan_index_forward=False)
        return [_revision(item) for item in items]

    @dynamo_call("read flow revision")
    def revision_record(self, tenant_id: str, flow_id: str, revision: int) -> FlowRevision:
        try:
            return _revision(FlowModel.get(tenant_id, revision_key(flow_id, revision)))
        except FlowModel.DoesNotExist as exc:
            raise NotFound(f"flow {flow_id} has no revision {revision}") from exc

    # -- what webhooks read -----------------------------------------------------------

    @dynamo_call("read published flow")
    def published(self, tenant_id: str, flow_id: str) -> tuple[Flow, int]:
        """The published flow and its revision, in one read of the head item."""
        try:
            head = FlowModel.get(tenant_id, head_key(flow_id))
        except FlowModel.DoesNotExist as exc:
            raise NotFound(f"flow {flow_id} not found") from exc
        if not head.revision or not head.definition:
            raise NotFound(f"flow {flow_id} has never been published")
        return parse_flow(head.definition), int(head.revision)

    def revision(self, tenant_id: str, flow_id: str, revision: int) -> Flow:
        """An exact revision: a call in progress keeps the one it started with."""
        return parse_flow(self.revision_record(tenant_id, flow_id, revision).definition)

    # -- numbers ----------------------------------------------------------------------

    def bind_number(self, tenant_id: str, number: str, flow_id: str, channel: str) -> None:
        """Point the tenant's number at a flow for ``voice`` or ``sms`` (also WhatsApp)."""
        attribute = PhoneNumberModel.flow_id if channel == "voice" else (
            PhoneNumberModel.sms_flow_id)
        item = PhoneNumberModel(number)
        try:
            with translated("bind number to flow"):
                item.update(actions=[attribute.set(flow_id)],
                            condition=PhoneNumberModel.tenant_id == tenant_id)
        except Conflict as exc:
            raise NotFound(f"the number {number} is not one of yours") from exc


@dataclass(frozen=True)
class DueExecution:
    tenant_id: str
    context: ExecutionContext
    updated_at: float


class ExecutionRepository:
    """Flow executions in progress, one item per CallSid or conversation, with a TTL."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time,
                 ttl_seconds: int = 7 * 24 * 3600) -> None:
        self._settings = settings
        self._clock = clock
        self._ttl = ttl_seconds

    def _item(self, tenant_id: str, context: ExecutionContext, ttl_seconds: int,
              after: float | None = None) -> ExecutionModel:
        now = self._clock()
        if after is not None and now <= after:
            now = after + 0.001  # the version moves on even within one clock tick
        waiting_with_deadline = context.status != "ended" and context.deadline is not None
        return ExecutionModel(
            tenant_id, context.execution_id, flow_id=context.flow_id,
            revision=context.revision, status=context.status, context=context.to_dict(),
            updated_at=now,
            due_shard=DUE_SHARD if waiting_with_deadline else None,
            deadline=context.deadline if waiting_with_deadline else None,
            expires_at=datetime.fromtimestamp(now + ttl_seconds, tz=UTC))

    @dynamo_call("read flow execution")
    def get(self, tenant_id: str, execution_id: str) -> ExecutionContext | None:
        found = self.get_versioned(tenant_id, execution_id)
        return None if found is None else found[0]

    @dynamo_call("read flow execution")
    def get_versioned(self, tenant_id: str, execution_id: str
                      ) -> tuple[ExecutionContext, float] | None:
        """The execution and its version (``updated_at``), for a conditional save."""
        try:
            item = ExecutionModel.get(tenant_id, execution_id, consistent_read=True)
        except ExecutionModel.DoesNotExist:
            return None
        return ExecutionContext.from_dict(item.context), float(item.updated_at)

    def stage_put(self, tx: TransactWrite, tenant_id: str, context: ExecutionContext,
                  ttl_seconds: int, expected_version: float | None = None) -> None:
        """Add the execution's put to a transaction the caller commits, conditioned on
        the version it was read at (``None``: it must not exist yet). Two events racing
        on one execution (two SMS, a reply and the timeout sweep): one transaction wins."""
        condition = (ExecutionModel.execution_id.does_not_exist() if expected_version is None
                     else ExecutionModel.updated_at == expected_version)
        tx.save(self._item(tenant_id, context, ttl_seconds, expected_version),
                condition=condition)

    @dynamo_call("save flow execution")
    def put(self, tenant_id: str, context: ExecutionContext) -> None:
        """Seed an execution (tests, tools). Webhooks save through ``stage_put`` and the
        sweep through ``put_if_unchanged``: both conditioned on the version read."""
        self._item(tenant_id, context, self._ttl).save()

    def put_if_unchanged(self, tenant_id: str, context: ExecutionContext,
                         expected_updated_at: float) -> None:
        """Save only if no webhook saved the execution since it was read (the sweep
        racing a late reply); raises Conflict otherwise."""
        with translated("save flow execution"):
            self._item(tenant_id, context, self._ttl, expected_updated_at).save(
                condition=ExecutionModel.updated_at == expected_updated_at)

    @dynamo_call("list due flow executions")
    def due(self, before: float, limit: int = 100) -> list[DueExecution]:
        """Executions whose send-and-wait-for-reply deadline is before ``before``, with the
        ``updated_at`` they were read at (for ``put_if_unchanged``)."""
        items = ExecutionModel.by_deadline.query(
            DUE_SHARD, ExecutionModel.deadline < before, limit=limit)
        return [DueExecution(item.tenant_id, ExecutionContext.from_dict(item.context),
                             float(item.updated_at)) for item in items]
