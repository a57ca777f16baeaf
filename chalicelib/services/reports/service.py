"""The reports API's use cases: summary, intervals, agents, drill-down, staffing.

Figures come from the write-time aggregates (reading.py); the drill-down and the staffing
history read the interactions themselves. Everything is in the tenant's time zone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from chalicelib.domain.crm import Interaction
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.metrics.aggregates import ANY, Filter
from chalicelib.domain.metrics.buckets import IntervalSize, intervals_between
from chalicelib.domain.metrics.definitions import classify
from chalicelib.domain.metrics.summary import Totals
from chalicelib.services.reports.reading import (
    AggregateReading,
    add_rows,
    figures,
    live_agent_time,
    matching,
    parse_range,
    summary_rows,
)
from chalicelib.services.reports.recorder import settings_of, zone_of
from chalicelib.services.reports.records import record_of, view

PAGE = 50
# Totals fields a drill-down can ask for (the tiles), and metric outcomes.
TILE_OUTCOMES = ("offered", "answered", "abandoned", "short_abandoned", "ivr_abandoned",
                 "callbacks", "voicemails", "transfers")
RECORD_OUTCOMES = ("abandoned-ivr", "abandoned-queue", "callback", "voicemail",
                   "transferred")
OUTCOMES = TILE_OUTCOMES + RECORD_OUTCOMES


class History(Protocol):
    def page(self, tenant_id: str, start: float, end: float, limit: int,
             cursor: dict[str, Any] | None = None
             ) -> tuple[list[Interaction], dict[str, Any] | None]: ...


class Agents(Protocol):
    def list_agents(self, tenant_id: str) -> list[Any]: ...


class Tenants(Protocol):
    def get(self, tenant_id: str) -> Any: ...


def _encode(cursor: dict[str, Any] | None) -> str | None:
    """The next page's cursor: where the by-time index stopped (start time and id)."""
    if not cursor:
        return None
    started = cursor["started_at"]["N"]
    return f"{started}~{cursor['interaction_id']['S']}"


def _decode(tenant_id: str, cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    started, _, interaction_id = cursor.partition("~")
    try:
        at = float(started)
    except ValueError:
        raise InvalidInput("cursor is not one this API returned", path="cursor") from None
    if not interaction_id or not 0 <= at < 1e11:
        raise InvalidInput("cursor is not one this API returned", path="cursor")
    return {"tenant_id": {"S": tenant_id}, "interaction_id": {"S": interaction_id},
            "started_at": {"N": started}}


def tenant_or_404(tenants: Tenants, tenant_id: str) -> Any:
    tenant = tenants.get(tenant_id)
    if tenant is None:
        raise NotFound("tenant not found")
    return tenant


class ReportsService:
    def __init__(self, reading: AggregateReading, history: History, agents: Agents,
                 tenants: Tenants, clock: Callable[[], float] = time.time) -> None:
        self.reading = reading
        self.history = history
        self.agents = agents
        self.tenants = tenants
        self.clock = clock

    def _header(self, tenant: Any, start: float, end: float) -> dict[str, Any]:
        from datetime import datetime

        tz = zone_of(tenant)
        default = settings_of(tenant).default
        return {"from": datetime.fromtimestamp(start, tz).isoformat(),
                "to": datetime.fromtimestamp(end, tz).isoformat(),
                "timezone": str(tz.key),
                "service_level_threshold_seconds": default.sl_threshold_seconds}

    # --- figures --------------------------------------------------------------------
    def summary(self, tenant_id: str, start: str | None, end: str | None,
                where: Filter) -> dict[str, Any]:
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz = zone_of(tenant)
        lo, hi = parse_range(start, end, tz)
        rows, tiles = summary_rows(self.reading, tenant_id, lo, hi, tz)
        for size in {t.size for t in tiles}:
            sized = [t for t in tiles if t.size is size]
            add_rows(rows, live_agent_time(self.agents.list_agents(tenant_id),
                                           min(t.start for t in sized),
                                           max(t.end for t in sized), self.clock(), tz,
                                           (size,)))
        wanted = {(t.size, t.start) for t in tiles}
        totals = rows.merged(matching(where, wanted))
        return {**figures(totals), **self._header(tenant, lo, hi)}

    def intervals(self, tenant_id: str, start: str | None, end: str | None, where: Filter,
                  interval: str | None) -> dict[str, Any]:
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz = zone_of(tenant)
        size = {"15m": IntervalSize.QUARTER_HOUR, "hour": IntervalSize.HOUR,
                "day": IntervalSize.DAY}.get(interval or "hour")
        if size is None:
            raise InvalidInput("interval must be one of 15m, hour, day", path="interval")
        lo, hi = parse_range(start, end, tz)
        spans = list(intervals_between(lo, hi, size, tz))
        if len(spans) > 3000:
            raise InvalidInput("too many intervals: choose a larger interval or a shorter "
                               "range", path="interval")
        rows = self.reading.read(tenant_id, spans, tz)
        add_rows(rows, live_agent_time(self.agents.list_agents(tenant_id), lo, hi,
                                       self.clock(), tz, (size,)))
        out = []
        for span in spans:
            totals = rows.merged(matching(where, {(span.size, span.start)}))
            out.append({"start": span.start, "end": span.end, "label": span.label,
                        **figures(totals)})
        return {"interval": size.value, "intervals": out, **self._header(tenant, lo, hi)}

    def agents_report(self, tenant_id: str, start: str | None, end: str | None,
                      where: Filter) -> dict[str, Any]:
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz = zone_of(tenant)
        lo, hi = parse_range(start, end, tz)
        rows, tiles = summary_rows(self.reading, tenant_id, lo, hi, tz)
        agents = self.agents.list_agents(tenant_id)
        for size in {t.size for t in tiles}:
            sized = [t for t in tiles if t.size is size]
            add_rows(rows, live_agent_time(agents, min(t.start for t in sized),
                                           max(t.end for t in sized), self.clock(), tz,
                                           (size,)))
        names = {a.agent_id: a.name for a in agents}
        wanted = {(t.size, t.start) for t in tiles}
        seen = {key.agent for key in rows.items if key.agent != ANY} | set(names)
        out = []
        for agent_id in sorted(seen):
            scoped = Filter(queue=where.queue, agent=agent_id, channel=where.channel)
            totals = rows.merged(matching(scoped, wanted))
            out.append({"agent_id": agent_id, "name": names.get(agent_id, agent_id),
                        **figures(totals)})
        return {"agents": out, **self._header(tenant, lo, hi)}

    # --- drill-down -----------------------------------------------------------------
    def interactions(self, tenant_id: str, start: str | None, end: str | None,
                     where: Filter, outcome: str | None, cursor: str | None,
                     limit: int = PAGE) -> dict[str, Any]:
        """The finished interactions counted in the range (by when they were offered),
        with the filters and, optionally, one tile's outcome."""
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz = zone_of(tenant)
        settings = settings_of(tenant)
        if outcome is not None and outcome not in OUTCOMES:
            raise InvalidInput(f"outcome must be one of {', '.join(OUTCOMES)}", path="outcome")
        lo, hi = parse_range(start, end, tz)
        # A contact is counted when it was offered (entered the queue), a little after it
        # started: look an hour earlier and keep those offered in range.
        found, last = self.history.page(tenant_id, lo - 3600, hi, limit, _decode(tenant_id, cursor))
        rows = []
        for interaction in found:
            record = record_of(interaction)
            if record is None or not lo <= record.offered_at < hi:
                continue
            if where.queue is not None and record.queue != where.queue:
                continue
            if where.agent is not None and record.agent != where.agent:
                continue
            if where.channel is not None and record.channel != where.channel:
                continue
            if outcome is not None and not self._has_outcome(record, outcome, settings):
                continue
            rows.append(view(interaction))
        return {"interactions": rows, "next": _encode(last)}

    @staticmethod
    def _has_outcome(record: Any, outcome: str, settings: Any) -> bool:
        if outcome in RECORD_OUTCOMES:
            return bool(record.outcome.value == outcome)
        totals: Totals = classify(record, settings(record.queue))
        return bool(getattr(totals, outcome))
