"""The supervisor's wallboard (one request for the whole board) and staffing advice."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.metrics.aggregates import Filter
from chalicelib.domain.metrics.buckets import IntervalSize, interval_of
from chalicelib.domain.metrics.staffing import WEEKDAYS, agents_on_shift, plan_from_history
from chalicelib.services.reports.reading import (
    AggregateReading,
    add_rows,
    check_year,
    figures,
    live_agent_time,
    matching,
)
from chalicelib.services.reports.recorder import settings_of, zone_of
from chalicelib.services.reports.records import record_of
from chalicelib.services.reports.service import History, Tenants, tenant_or_404

STAFFING_WEEKS = 4
DEFAULT_SHIFT = ("09:00", "17:00")
DEFAULT_SHIFT_DAYS = (0, 1, 2, 3, 4)


class Board(Protocol):
    """The routing side (services/routing/admin.py): live queues and agents."""

    def queue_stats(self, tenant_id: str) -> list[dict[str, Any]]: ...
    def agent_states(self, tenant_id: str) -> list[dict[str, Any]]: ...
    def queues(self, tenant_id: str) -> list[Any]: ...
    def agents(self, tenant_id: str) -> list[Any]: ...


class LiveReports:
    def __init__(self, reading: AggregateReading, history: History, board: Board,
                 tenants: Tenants, clock: Callable[[], float] = time.time) -> None:
        self.reading = reading
        self.history = history
        self.board = board
        self.tenants = tenants
        self.clock = clock

    def wallboard(self, tenant_id: str) -> dict[str, Any]:
        """Per queue: today's figures (one Query of today's day aggregates), the capped
        waiting count and the longest wait; every agent's state."""
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz, settings = zone_of(tenant), settings_of(tenant)
        now = self.clock()
        today = interval_of(now, IntervalSize.DAY, tz)
        rows = self.reading.read(tenant_id, [today], tz)
        agents = self.board.agents(tenant_id)
        add_rows(rows, live_agent_time(agents, today.start, today.end, now, tz,
                                       (IntervalSize.DAY,)))
        queues = []
        for stats in self.board.queue_stats(tenant_id):
            name = stats["name"]
            qs = settings(name)
            totals = rows.merged(matching(Filter(queue=name), {(today.size, today.start)}))
            today_figures = figures(totals)
            sl = today_figures["service_level"]
            queues.append({
                "name": name, "waiting": stats["waiting"],
                "waiting_capped": bool(stats.get("waiting_capped", False)),
                "longest_wait_seconds": stats.get("oldest_wait_seconds"),
                "agents": stats.get("agents", {}),
                "today": today_figures,
                "target": {"service_level": qs.sl_target,
                           "threshold_seconds": qs.sl_threshold_seconds},
                "breach": sl is not None and sl < qs.sl_target,
            })
        return {"generated_at": now, "timezone": str(tz.key), "day": today.label,
                "queues": queues, "agents": self.board.agent_states(tenant_id)}

    def staffing(self, tenant_id: str, queue: str | None, day: str | None,
                 interval: str | None) -> dict[str, Any]:
        """Agents needed per interval of ``day`` for the queue's target, from the last
        four weeks' arrivals, AHT and patience (Erlang C, and Erlang A with a patience),
        against the full-time agents on shift."""
        tenant = tenant_or_404(self.tenants, tenant_id)
        tz, settings = zone_of(tenant), settings_of(tenant)
        if not queue:
            raise InvalidInput("queue is required", path="queue")
        if queue not in {q.name for q in self.board.queues(tenant_id)}:
            raise NotFound(f"queue {queue} not found")
        size = {"15m": IntervalSize.QUARTER_HOUR, "hour": IntervalSize.HOUR}.get(
            interval or "hour")
        if size is None:
            raise InvalidInput("interval must be 15m or hour", path="interval")
        try:
            wanted = date.fromisoformat(day) if day else datetime.fromtimestamp(
                self.clock(), tz).date()
        except ValueError:
            raise InvalidInput("date must be YYYY-MM-DD", path="date") from None
        check_year(wanted.year, "date")
        start_of = interval_of(datetime.combine(wanted, datetime.min.time().replace(hour=12),
                                                tz).timestamp(), IntervalSize.DAY, tz).start
        history_start = start_of - STAFFING_WEEKS * 7 * 86400
        records = []
        cursor = None
        while True:
            found, cursor = self.history.page(tenant_id, history_start, start_of, 500, cursor)
            records += [r for r in map(record_of, found) if r is not None]
            if not cursor:
                break
        on_shift = agents_on_shift(self._shifts(tenant_id, queue), size)
        plan = plan_from_history(records, queue, settings, tz, STAFFING_WEEKS, size, on_shift)
        weekday = wanted.weekday()
        target = settings(queue)
        rows = []
        for row in plan.rows:
            if row.slot.weekday != weekday:
                continue
            hh, mm = (int(x) for x in row.slot.time.split(":"))
            local = datetime.combine(wanted, datetime.min.time(), tz) + timedelta(
                hours=hh, minutes=mm)
            rows.append({
                "start": local.timestamp(), "label": f"{wanted.isoformat()}T{row.slot.time}",
                "forecast_calls": round(row.calls, 3),
                "agents_erlang_c": row.erlang_c.agents if row.erlang_c else 0,
                "agents_erlang_a": row.erlang_a.agents if row.erlang_a else None,
                "recommended": row.recommended,
                "full_time_on_shift": row.on_shift, "shortfall": row.shortfall,
                "erlang_c": row.erlang_c.to_dict() if row.erlang_c else None,
                "erlang_a": row.erlang_a.to_dict() if row.erlang_a else None,
            })
        return {"queue": queue, "date": wanted.isoformat(), "weekday": WEEKDAYS[weekday],
                "weeks": STAFFING_WEEKS, "interval": size.value,
                "target": {"service_level": target.sl_target,
                           "threshold_seconds": target.sl_threshold_seconds},
                "aht_seconds": plan.aht_seconds, "patience_seconds": plan.patience_seconds,
                "intervals": rows}

    def _shifts(self, tenant_id: str, queue: str) -> list[tuple[int, str, str]]:
        """Full-time agents' shifts: the agent attribute ``shift`` ("09:00-17:00") on the
        weekdays of ``shift_days`` (["mon", …]); 09:00-17:00 Monday to Friday without them.
        Part-time agents are the ones the shortfall asks for."""
        shifts = []
        for agent in self.board.agents(tenant_id):
            if getattr(agent.tier, "value", agent.tier) != "full-time":
                continue
            attrs = agent.attributes or {}
            start, end = DEFAULT_SHIFT
            if isinstance(attrs.get("shift"), str) and "-" in attrs["shift"]:
                start, end = attrs["shift"].split("-", 1)
            days = attrs.get("shift_days")
            weekdays = ([WEEKDAYS.index(d) for d in days if d in WEEKDAYS]
                        if isinstance(days, list) else list(DEFAULT_SHIFT_DAYS))
            shifts += [(d, start.strip(), end.strip()) for d in weekdays]
        return shifts

