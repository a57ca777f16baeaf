"""Write-time aggregation: each finished interaction is added to its aggregates once.

``settle`` runs after every write that can finish an interaction (the carrier's final
status, the queue's outcome, the desk's wrap-up). It is safe to call any number of times:
the aggregate updates and a flag on the interaction are one conditional transaction, so a
retried webhook or a replayed outbox item adds nothing (docs/metrics.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from chalicelib.domain.crm import Interaction
from chalicelib.domain.metrics.aggregates import (
    ANY,
    AggregateKey,
    AggregateWrite,
    agent_contributions,
    interaction_contributions,
    item_key,
    repeat_contributions,
)
from chalicelib.domain.metrics.buckets import INTERVAL_SIZES, IntervalSize
from chalicelib.domain.metrics.records import (
    DEFAULT_FCR_WINDOW_SECONDS,
    AgentState,
    AgentStateInterval,
    InteractionRecord,
    QueueSettings,
    SettingsByQueue,
    sl_formula,
    to_ms,
)
from chalicelib.domain.metrics.summary import Totals
from chalicelib.services.reports.records import record_of

log = logging.getLogger("hotline.reports")

# Routing's activities (domain/routing/model.py Activity) that count as staffed time.
STAFFED_ACTIVITIES = frozenset({"available"})
# Agent time is kept by hour, day and month (not by quarter-hour: a 4-hour stretch would
# write 16 more items). Occupancy by 15 minutes is therefore not reported (null).
AGENT_TIME_SIZES = (IntervalSize.HOUR, IntervalSize.DAY, IntervalSize.MONTH)


class AggregateStore(Protocol):
    def add_interaction(self, tenant_id: str, interaction_id: str, flag: str, at: float,
                        writes: Any) -> bool: ...
    def add_agent_time(self, tenant_id: str, agent_id: str, state_start: float,
                       writes: Any) -> bool: ...
    def query(self, pk: str, sk_prefix: str | None = None) -> Any: ...


class InteractionLookup(Protocol):
    def get_interaction(self, tenant_id: str, interaction_id: str) -> Interaction | None: ...
    def list_for_contact(self, tenant_id: str, contact_id: str,
                         limit: int = 50) -> list[Interaction]: ...


class TenantLookup(Protocol):
    def get(self, tenant_id: str) -> Any: ...


def settings_of(tenant: Any) -> SettingsByQueue:
    """Per-queue metric settings from the tenant's profile ``metrics.queues.{name}``
    (``sl_threshold_seconds``, ``sl_target``, ``short_abandon_seconds``, ``sl_formula``),
    with Hotline's defaults (80/20, 5 s short abandons, Flex's formula) elsewhere."""
    profile = getattr(tenant, "profile", None) or {}
    queues = (profile.get("metrics") or {}).get("queues") or {}
    per_queue = {}
    for name, raw in queues.items():
        per_queue[str(name)] = QueueSettings(
            sl_threshold_seconds=float(raw.get("sl_threshold_seconds", 20)),
            sl_target=float(raw.get("sl_target", 0.8)),
            short_abandon_seconds=float(raw.get("short_abandon_seconds", 5)),
            formula=sl_formula(str(raw.get("sl_formula", "flex"))))
    return SettingsByQueue(per_queue)


def fcr_window_of(tenant: Any) -> float:
    profile = getattr(tenant, "profile", None) or {}
    days = (profile.get("metrics") or {}).get("fcr_window_days")
    return float(days) * 86400 if days else DEFAULT_FCR_WINDOW_SECONDS


def zone_of(tenant: Any) -> ZoneInfo:
    return ZoneInfo(getattr(tenant, "timezone", None) or "UTC")


class MetricsRecorder:
    def __init__(self, store: AggregateStore, tenants: TenantLookup,
                 lookup: InteractionLookup | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.tenants = tenants
        self.lookup = lookup
        self.clock = clock

    def _writes(self, tenant_id: str, tz: ZoneInfo,
                contributions: Iterable[tuple[AggregateKey, Totals]]) -> list[Any]:
        merged: dict[AggregateKey, Totals] = {}
        for key, totals in contributions:
            merged[key] = merged[key].merge(totals) if key in merged else totals
        return [AggregateWrite(*item_key(tenant_id, key, tz), key.start, totals)
                for key, totals in merged.items()]

    def settle(self, tenant_id: str, interaction: Interaction | None) -> bool:
        """Add a finished interaction to its aggregates, once. True when it was added now."""
        if interaction is None:
            return False
        record = record_of(interaction)
        if record is None:
            return False
        tenant = self.tenants.get(tenant_id)
        tz, settings = zone_of(tenant), settings_of(tenant)
        contributions = list(interaction_contributions(record, settings, tz))
        if record.answered and record.agent:
            # The agent's handle time on their own rows (queue and channel empty), next
            # to their staffed time: the occupancy numerator (docs/metrics.md).
            handling = Totals(handling_ms=to_ms(record.handle_seconds))
            contributions += [(AggregateKey(k.size, k.label, k.start, ANY, record.agent, ANY),
                               handling) for k, _ in contributions[:len(INTERVAL_SIZES)]]
        added = self.store.add_interaction(tenant_id, interaction.interaction_id,
                                           "aggregated", self.clock(),
                                           self._writes(tenant_id, tz, contributions))
        if added:
            self._count_repeat(tenant_id, tenant, tz, settings, record)
        return added

    def _count_repeat(self, tenant_id: str, tenant: Any, tz: ZoneInfo,
                      settings: SettingsByQueue, record: InteractionRecord) -> None:
        """This contact is a repeat for the same customer's answered contacts within the
        FCR window before it: each of those loses its first-contact resolution, once."""
        if self.lookup is None:
            return
        window = fcr_window_of(tenant)
        for earlier in self.lookup.list_for_contact(tenant_id, record.contact_key, 20):
            if earlier.interaction_id == record.interaction_id:
                continue
            previous = record_of(earlier)
            if previous is None or not previous.answered:
                continue
            if not 0 <= record.offered_at - previous.offered_at <= window:
                continue
            self.store.add_interaction(
                tenant_id, earlier.interaction_id, "fcr_repeat", self.clock(),
                self._writes(tenant_id, tz, repeat_contributions(previous, tz)))

    def agent_time(self, tenant_id: str, agent_id: str, activity: str, start: float,
                   end: float) -> bool:
        """An agent left ``activity`` (held since ``start``): add its staffed time, once."""
        if activity not in STAFFED_ACTIVITIES or end <= start or start <= 0:
            return False
        tz = zone_of(self.tenants.get(tenant_id))
        interval = AgentStateInterval(agent_id, AgentState.AVAILABLE, start, end)
        contributions = [(key, Totals(staffed_ms=t.staffed_ms))
                         for key, t in agent_contributions(interval, tz, AGENT_TIME_SIZES)]
        return self.store.add_agent_time(tenant_id, agent_id, start,
                                         self._writes(tenant_id, tz, contributions))
