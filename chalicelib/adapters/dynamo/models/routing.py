"""The router's tables: tasks, agents, and per-tenant configuration (queues, workflow,
handle-time statistics). The key design is explained in docs/routing.md.

- tasks: one partition key per task (``<tenant>#<task>``), so base-table writes spread.
  Sparse indexes carry the hot paths:
  ``pending`` (``<tenant>#<queue>``, inverted priority + enqueue time) yields the next
  task with one Query; ``waiting`` (same key, enqueue time) yields the oldest wait;
  ``timers`` (a shard, due time) lets the sweep find due work without a scan.
- agents: ``tenant`` / ``agent``; one sparse index per channel holds only agents who are
  available with free capacity there, ordered by idle-since.
- config: ``tenant`` / ``queue#<name>`` | ``workflow`` | ``stats#<queue>#<hour>``.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.adapters.dynamo.base import HotlineModel

TIMER_SHARDS = 8


class PendingByPriority(GlobalSecondaryIndex["RoutingTaskModel"]):
    class Meta:
        index_name = "pending"
        projection = AllProjection()

    pending_key = UnicodeAttribute(hash_key=True)
    queue_sort = UnicodeAttribute(range_key=True)


class PendingByAge(GlobalSecondaryIndex["RoutingTaskModel"]):
    class Meta:
        index_name = "waiting"
        projection = KeysOnlyProjection()

    pending_key = UnicodeAttribute(hash_key=True)
    enqueued_at = NumberAttribute(range_key=True)


class DueTimers(GlobalSecondaryIndex["RoutingTaskModel"]):
    class Meta:
        index_name = "timers"
        projection = KeysOnlyProjection()

    timer_shard = UnicodeAttribute(hash_key=True)
    timer_at = NumberAttribute(range_key=True)


class RoutingTaskModel(HotlineModel):
    class Meta:
        base_name = "routing-tasks"

    key = UnicodeAttribute(hash_key=True)  # "<tenant>#<task id>"
    tenant_id = UnicodeAttribute()
    task_id = UnicodeAttribute()
    version = NumberAttribute()
    status = UnicodeAttribute()
    channel = UnicodeAttribute()
    kind = UnicodeAttribute()
    queue = UnicodeAttribute()
    entry_queue = UnicodeAttribute()
    priority = NumberAttribute()
    base_priority = NumberAttribute()
    enqueued_at = NumberAttribute()
    queue_sort = UnicodeAttribute()
    pending_key = UnicodeAttribute(null=True)  # present only while pending: a sparse index
    timer_shard = UnicodeAttribute(null=True)  # present only while a timer is armed
    timer_at = NumberAttribute(null=True)
    targets = JSONAttribute(default=list)
    target_index = NumberAttribute(default=0)
    target_entered_at = NumberAttribute(default=0)
    attributes = JSONAttribute(default=dict)
    reservations = JSONAttribute(default=list)
    declined = JSONAttribute(default=dict)
    call_sid = UnicodeAttribute(null=True)
    interaction_id = UnicodeAttribute(null=True)
    caller = UnicodeAttribute(null=True)
    business_number = UnicodeAttribute(null=True)
    assigned_agent = UnicodeAttribute(null=True)
    assigned_at = NumberAttribute(null=True)
    connected_at = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)
    wrapup_until = NumberAttribute(null=True)
    completed_at = NumberAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    leave_reason = UnicodeAttribute(null=True)
    not_before = NumberAttribute(null=True)
    attempts = NumberAttribute(default=0)
    max_wait_seconds = NumberAttribute(null=True)
    overflow_at = NumberAttribute(null=True)
    agent_call_sid = UnicodeAttribute(null=True)
    customer_call_sid = UnicodeAttribute(null=True)
    wrapup_recorded = BooleanAttribute(default=False)
    call = JSONAttribute(null=True)  # a voice task's conference state
    pending = PendingByPriority()
    waiting = PendingByAge()
    timers = DueTimers()


class ReadyVoice(GlobalSecondaryIndex["RoutingAgentModel"]):
    class Meta:
        index_name = "ready_voice"
        projection = AllProjection()

    ready_voice = UnicodeAttribute(hash_key=True)
    idle_since = NumberAttribute(range_key=True)


class ReadySms(GlobalSecondaryIndex["RoutingAgentModel"]):
    class Meta:
        index_name = "ready_sms"
        projection = AllProjection()

    ready_sms = UnicodeAttribute(hash_key=True)
    idle_since = NumberAttribute(range_key=True)


class ReadyChat(GlobalSecondaryIndex["RoutingAgentModel"]):
    class Meta:
        index_name = "ready_chat"
        projection = AllProjection()

    ready_chat = UnicodeAttribute(hash_key=True)
    idle_since = NumberAttribute(range_key=True)


class ReadyVoicemail(GlobalSecondaryIndex["RoutingAgentModel"]):
    class Meta:
        index_name = "ready_voicemail"
        projection = AllProjection()

    ready_voicemail = UnicodeAttribute(hash_key=True)
    idle_since = NumberAttribute(range_key=True)


class RoutingAgentModel(HotlineModel):
    class Meta:
        base_name = "routing-agents"

    tenant_id = UnicodeAttribute(hash_key=True)
    agent_id = UnicodeAttribute(range_key=True)
    version = NumberAttribute()
    name = UnicodeAttribute(default="")
    activity = UnicodeAttribute()
    tier = UnicodeAttribute()
    skills = JSONAttribute(default=list)
    attributes = JSONAttribute(default=dict)
    capacity = JSONAttribute(default=dict)
    holds = JSONAttribute(default=dict)
    wrapup_seconds = NumberAttribute(default=30)
    mobile = UnicodeAttribute(null=True)
    take_on_mobile = BooleanAttribute(default=False)
    idle_since = NumberAttribute(default=0)
    last_assigned_at = NumberAttribute(default=0)
    last_offered_at = NumberAttribute(default=0)
    contacts_day = UnicodeAttribute(default="")
    contacts_today = NumberAttribute(default=0)
    missed_in_row = NumberAttribute(default=0)
    activity_changed_at = NumberAttribute(default=0)
    # Present (= tenant id) only while the agent can take one more task on that channel.
    ready_voice = UnicodeAttribute(null=True)
    ready_sms = UnicodeAttribute(null=True)
    ready_chat = UnicodeAttribute(null=True)
    ready_voicemail = UnicodeAttribute(null=True)
    ready_voice_index = ReadyVoice()
    ready_sms_index = ReadySms()
    ready_chat_index = ReadyChat()
    ready_voicemail_index = ReadyVoicemail()


class RoutingConfigModel(HotlineModel):
    class Meta:
        base_name = "routing-config"

    tenant_id = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)  # queue#<name> | workflow | stats#<queue>#<hour>
    version = NumberAttribute(default=0)
    body = JSONAttribute(null=True)
    queue_id = UnicodeAttribute(null=True)
    handled = NumberAttribute(null=True)
    handle_seconds = NumberAttribute(null=True)
