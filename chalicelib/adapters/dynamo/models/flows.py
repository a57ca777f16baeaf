"""Flows (a head item per flow plus one item per published revision) and executions.

flows table, keyed (tenant_id, sk):
- ``head#<flow_id>``: name, draft, the published definition and its revision number. A
  webhook reads only this item to get the published flow (one read).
- ``rev#<flow_id>#<revision:08d>``: an immutable published revision.

flow_executions table, keyed (tenant_id, execution_id), with a TTL attribute. A waiting
send-and-wait-for-reply sets ``due_shard``/``deadline``, which puts the execution in
the sparse ``by_deadline`` index the scheduled sweep queries; other executions are not
in that index at all.
"""

from __future__ import annotations

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.adapters.dynamo.base import HotlineModel


class FlowModel(HotlineModel):
    class Meta:
        base_name = "flows"

    tenant_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    flow_id = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    draft = JSONAttribute(null=True)
    draft_updated_at = NumberAttribute(null=True)
    definition = JSONAttribute(null=True)  # the published one (head) or this revision's
    revision = NumberAttribute(default=0)  # head: the published revision, 0 when none
    created_at = NumberAttribute(null=True)
    published_at = NumberAttribute(null=True)
    published_by = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)


class ExecutionsByDeadline(GlobalSecondaryIndex["ExecutionModel"]):
    class Meta:
        index_name = "by_deadline"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)
    deadline = NumberAttribute(range_key=True)


class ExecutionModel(HotlineModel):
    class Meta:
        base_name = "flow_executions"

    tenant_id = UnicodeAttribute(hash_key=True)
    execution_id = UnicodeAttribute(range_key=True)
    flow_id = UnicodeAttribute()
    revision = NumberAttribute()
    status = UnicodeAttribute()
    context = JSONAttribute()
    updated_at = NumberAttribute()
    due_shard = UnicodeAttribute(null=True)
    deadline = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    by_deadline = ExecutionsByDeadline()
