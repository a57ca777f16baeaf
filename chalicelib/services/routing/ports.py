"""What the routing services need from the outside: stores, the carrier, the CRM, URLs.

Each port is a Protocol; DynamoDB and Twilio implement them in ``adapters/``, and the
unit tests use in-memory fakes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from chalicelib.domain.errors import NotFound
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.routing.changes import AgentWrite, Committed, TaskWrite
from chalicelib.domain.routing.estimates import HandleTimes
from chalicelib.domain.routing.model import Agent, QueueConfig, Task
from chalicelib.domain.routing.workflow import Workflow, load_workflow


class RoutingStore(Protocol):
    @property
    def timer_shards(self) -> int: ...

    def commit(self, tasks: Sequence[TaskWrite] = (), agents: Sequence[AgentWrite] = (),
               *, now: float) -> Committed: ...
    def get_task(self, tenant_id: str, task_id: str) -> Task | None: ...
    def get_tasks(self, tenant_id: str, task_ids: Iterable[str]) -> list[Task]: ...
    def pending_page(self, tenant_id: str, queue: str, limit: int) -> list[Task]: ...
    def count_ahead(self, task: Task, cap: int) -> tuple[int, bool]: ...
    def count_waiting(self, tenant_id: str, queue: str, cap: int | None = None
                      ) -> tuple[int, bool]: ...
    def oldest_enqueued_at(self, tenant_id: str, queue: str) -> float | None: ...
    def due_tasks(self, shard: int, now: float, limit: int) -> list[tuple[str, str]]: ...
    def get_agent(self, tenant_id: str, agent_id: str) -> Agent | None: ...
    def get_agents(self, tenant_id: str, agent_ids: Iterable[str]) -> dict[str, Agent]: ...
    def list_agents(self, tenant_id: str) -> list[Agent]: ...
    def ready_agents(self, tenant_id: str, channel: str, limit: int | None = None
                     ) -> list[Agent]: ...


class RoutingConfigStore(Protocol):
    def load(self, tenant_id: str) -> tuple[list[QueueConfig], dict[str, Any] | None, int]: ...
    def get_queue(self, tenant_id: str, name: str) -> QueueConfig | None: ...
    def save_queue(self, queue: QueueConfig, *, new: bool) -> QueueConfig: ...
    def save_workflow(self, tenant_id: str, document: dict[str, Any], version: int) -> int: ...
    def add_handle_time(self, tenant_id: str, queue: str, at: float, seconds: float) -> None: ...
    def handle_times(self, tenant_id: str, queue: str, now: float,
                     hours: int = 2) -> list[HandleTimes]: ...


class Telephony(Protocol):
    """The carrier's REST side: place a call, end one, ask how one is doing."""

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str: ...
    def end_call(self, tenant_id: str, call_sid: str) -> None: ...
    def call_status(self, tenant_id: str, call_sid: str) -> str | None: ...


class CrmRecorder(Protocol):
    def record_started(self, tenant_id: str, interaction_id: str, contact_phone: str,
                       business_number: str | None, channel: str, direction: str) -> Any: ...
    def record_ringing(self, tenant_id: str, interaction_id: str) -> Any: ...
    def record_answered(self, tenant_id: str, interaction_id: str, agent_id: str) -> Any: ...
    def record_outcome(self, tenant_id: str, interaction_id: str, outcome: str,
                       **details: Any) -> Any: ...
    def record_ended(self, tenant_id: str, interaction_id: str, call_status: str,
                     duration_seconds: int | None) -> Any: ...
    def record_wrapup(self, tenant_id: str, interaction_id: str, agent_id: str,
                      disposition: str, notes: str) -> Any: ...
    def record_agent_time(self, tenant_id: str, agent_id: str, activity: str, start: float,
                          end: float) -> Any: ...
    def record_wrapup_expired(self, tenant_id: str, interaction_id: str) -> Any: ...


class Directory(Protocol):
    """Tenants and their numbers (the tenant repository)."""

    def get(self, tenant_id: str) -> Tenant | None: ...
    def number(self, number: str) -> PhoneNumber | None: ...


Clock = Callable[[], float]


class CallbackUrls:
    """Public URLs for Hotline's own callbacks, the query sorted as the edge signs it."""

    def __init__(self, public_url: Callable[[str], str]) -> None:
        self._public_url = public_url

    def _url(self, path: str, query: dict[str, str]) -> str:
        return self._public_url(path + "?" + urlencode(sorted(query.items())))


class RoutingUrls(CallbackUrls):
    """Callback URLs named by the router's own TwiML and REST calls."""

    def choice(self, tenant_id: str, task_id: str) -> str:
        return self._url("/twilio/voice/queue/choice", {"t": tenant_id, "task": task_id})

    def voicemail(self, tenant_id: str, task_id: str) -> str:
        return self._url("/twilio/voice/queue/voicemail", {"t": tenant_id, "task": task_id})

    def transcription(self, tenant_id: str) -> str:
        return self._url("/twilio/voice/transcription", {"t": tenant_id})

    def agent_connect(self, tenant_id: str, reservation_id: str) -> str:
        return self._url("/twilio/voice/agent/connect", {"t": tenant_id, "r": reservation_id})

    def agent_status(self, tenant_id: str, reservation_id: str) -> str:
        return self._url("/twilio/voice/agent/status", {"t": tenant_id, "r": reservation_id})

    def whisper(self, tenant_id: str, reservation_id: str) -> str:
        return self._url("/twilio/voice/agent/whisper", {"t": tenant_id, "r": reservation_id})

    def whisper_answer(self, tenant_id: str, reservation_id: str) -> str:
        return self._url("/twilio/voice/agent/whisper/answer",
                         {"t": tenant_id, "r": reservation_id})

    def callback_customer(self, tenant_id: str, task_id: str) -> str:
        return self._url("/twilio/voice/callback/customer", {"t": tenant_id, "task": task_id})

    def callback_status(self, tenant_id: str, task_id: str) -> str:
        return self._url("/twilio/voice/callback/status", {"t": tenant_id, "task": task_id})


@dataclass(frozen=True)
class TenantConfig:
    """A tenant's queues and workflow, as loaded at ``loaded_at``."""

    queues: dict[str, QueueConfig]
    workflow: Workflow
    workflow_version: int = 0
    loaded_at: float = 0.0

    def queue(self, name_or_id: str) -> QueueConfig:
        found = self.queues.get(name_or_id) or next(
            (q for q in self.queues.values() if q.queue_id == name_or_id), None)
        if found is None:
            raise NotFound(f"queue {name_or_id!r} not found")
        return found


@dataclass
class ConfigCache:
    """Per-container cache of each tenant's routing configuration, ``ttl`` seconds long.

    Queue settings change rarely; a short TTL keeps the webhook path to the DynamoDB
    requests that matter. Writes through the admin service invalidate it here at once.
    """

    store: RoutingConfigStore
    ttl: float = 5.0
    clock: Clock = time.monotonic
    _entries: dict[str, TenantConfig] = field(default_factory=dict)

    def get(self, tenant_id: str) -> TenantConfig:
        hit = self._entries.get(tenant_id)
        now = self.clock()
        if hit is not None and now - hit.loaded_at < self.ttl:
            return hit
        queues, doc, version = self.store.load(tenant_id)
        config = TenantConfig({q.name: q for q in queues}, load_workflow(doc), version, now)
        self._entries[tenant_id] = config
        return config

    def forget(self, tenant_id: str) -> None:
        self._entries.pop(tenant_id, None)
