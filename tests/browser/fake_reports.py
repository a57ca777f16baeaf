"""Realistic canned data for the reports routes of the wave-2 contract, for page tests.

One business day of interactions (seeded, so every run is the same) across two queues,
three agents and three channels, with answered, transferred, abandoned and short-abandoned
contacts. Every figure the fake serves (summary, intervals, agents) is computed from those
interactions, so a drill-down lists exactly the contacts behind a tile; staffing is Erlang C
and an Erlang A stand-in computed from the day's arrivals."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tests.browser.fake_api import FakeApi

DAY = "2026-11-30"
TIMEZONE = "America/New_York"
SL_SECONDS = 20
SHORT_ABANDON = 5
AGENTS = {"u_1": "Alex Agent", "u_2": "Sam Agent", "u_3": "Priya Patel"}
QUEUES = ("support", "sales")
PAGE = 25


@dataclass(frozen=True)
class Contact:
    interaction_id: str
    offered_at: datetime  # tenant-local
    channel: str
    queue: str
    agent_id: str | None
    contact_phone: str
    outcome: str  # answered | transferred | abandoned-queue | abandoned-ivr
    wait_seconds: float
    handle_seconds: float | None

    @property
    def answered(self) -> bool:
        return self.outcome in ("answered", "transferred")

    @property
    def short(self) -> bool:
        return self.outcome.startswith("abandoned") and self.wait_seconds < SHORT_ABANDON

    def view(self) -> dict[str, Any]:
        """The drill-down row as REPORTS-API sends it: the interaction's public view with
        its timings (handle = talk + hold + wrap-up) and its metric outcome."""
        handle = self.handle_seconds or 0.0
        hold = 20.0 if handle > 300 else 0.0
        wrapup = 30.0 if handle else 0.0
        queued = self.offered_at.timestamp()
        return {"id": self.interaction_id, "phone": self.contact_phone,
                "channel": self.channel, "direction": "inbound", "queue": self.queue,
                "started_at": queued - 12, "queued_at": queued, "agent_id": self.agent_id,
                "outcome": "abandoned" if self.outcome.startswith("abandoned") else self.outcome,
                "metric_outcome": self.outcome, "wait_seconds": self.wait_seconds,
                "ivr_seconds": 12.0, "talk_seconds": round(handle - hold - wrapup, 1)
                if handle else 0.0, "hold_seconds": hold, "wrapup_seconds": wrapup}


def _day() -> list[Contact]:
    rng = random.Random(11)
    start = datetime.fromisoformat(f"{DAY}T09:00:00")
    rate = [6, 9, 14, 18, 12, 10, 15, 9]  # calls per hour, 9:00 to 17:00: a late-morning peak
    out: list[Contact] = []
    for hour, calls in enumerate(rate):
        for n in range(calls):
            at = start + timedelta(hours=hour, seconds=int(3600 * (n + rng.random()) / calls))
            roll = rng.random()
            peak = calls >= 14
            if roll < (0.16 if peak else 0.06):
                outcome, wait = "abandoned-queue", round(rng.uniform(6, 140), 1)
            elif roll < (0.21 if peak else 0.09):
                outcome, wait = "abandoned-queue", round(rng.uniform(0.5, 4.5), 1)
            elif roll < (0.26 if peak else 0.13):
                outcome, wait = "transferred", round(rng.uniform(3, 60), 1)
            else:
                outcome, wait = "answered", round(rng.expovariate(1 / (38 if peak else 9)), 1)
            answered = outcome in ("answered", "transferred")
            out.append(Contact(
                interaction_id=f"in_{len(out) + 1:03d}", offered_at=at,
                channel=rng.choice(("voice", "voice", "voice", "sms", "chat")),
                queue=rng.choice(QUEUES), agent_id=rng.choice(sorted(AGENTS)) if answered else None,
                contact_phone=f"+1415555{rng.randrange(100, 999):03d}{rng.randrange(0, 9)}",
                outcome=outcome, wait_seconds=wait,
                handle_seconds=round(rng.uniform(120, 420), 1) if answered else None))
    return out


CONTACTS = _day()


def figures(contacts: list[Contact], staffed_seconds: float) -> dict[str, Any]:
    counted = [c for c in contacts if not c.short]
    answered = [c for c in counted if c.answered]
    abandoned = [c for c in counted if c.outcome.startswith("abandoned")]
    phones = [c.contact_phone for c in answered]
    in_sl = [c for c in answered if c.wait_seconds <= SL_SECONDS]
    handled = sum(c.handle_seconds or 0 for c in answered)

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {
        "offered": len(counted), "answered": len(answered), "abandoned": len(abandoned),
        "short_abandoned": len(contacts) - len(counted),
        "service_level": round(len(in_sl) / (len(answered) + len(abandoned)), 4)
        if answered or abandoned else None,
        "asa_seconds": mean([c.wait_seconds for c in answered]),
        "aht_seconds": mean([c.handle_seconds or 0 for c in answered]),
        "longest_wait_seconds": max((c.wait_seconds for c in contacts), default=None),
        "occupancy": round(min(1.0, handled / staffed_seconds), 4) if staffed_seconds else None,
        "transfers": sum(1 for c in answered if c.outcome == "transferred"),
        "fcr": round(sum(1 for p in phones if phones.count(p) == 1) / len(phones), 4)
        if phones else None,
    }


def _one(query: dict[str, list[str]], name: str) -> str | None:
    return query.get(name, [None])[0]


def _matching(query: dict[str, list[str]]) -> list[Contact]:
    frm = datetime.fromisoformat(_one(query, "from") or f"{DAY}T00:00:00")
    to = datetime.fromisoformat(_one(query, "to") or f"{DAY}T23:59:59")
    found = [c for c in CONTACTS if frm <= c.offered_at < to]
    for name in ("queue", "agent", "channel"):
        value = _one(query, name)
        if value:
            attr = "agent_id" if name == "agent" else name
            found = [c for c in found if getattr(c, attr) == value]
    return found


def _staffed(hours: float, agents: int = len(AGENTS)) -> float:
    return hours * 3600 * agents


def _query(path: str) -> dict[str, list[str]]:
    return parse_qs(path.split("?", 1)[1] if "?" in path else "")


def summary(path: str) -> dict[str, Any]:
    query = _query(path)
    return {**figures(_matching(query), _staffed(8)), "from": _one(query, "from"),
            "to": _one(query, "to"), "timezone": TIMEZONE,
            "service_level_threshold_seconds": SL_SECONDS}


def intervals(path: str) -> dict[str, Any]:
    query = _query(path)
    size = _one(query, "interval") or "hour"
    step = {"15m": timedelta(minutes=15), "hour": timedelta(hours=1),
            "day": timedelta(days=1)}[size]
    contacts = _matching(query)
    first = datetime.fromisoformat(f"{DAY}T08:00:00") if size != "day" else datetime.fromisoformat(
        f"{DAY}T00:00:00")
    last = datetime.fromisoformat(f"{DAY}T18:00:00") if size != "day" else first + step
    rows = []
    at = first
    while at < last:
        inside = [c for c in contacts if at <= c.offered_at < at + step]
        label = at.strftime("%a %d %b") if size == "day" else at.strftime("%H:%M")
        rows.append({"start": at.isoformat(), "end": (at + step).isoformat(), "label": label,
                     **figures(inside, _staffed(step.total_seconds() / 3600))})
        at += step
    return {"interval": size, "intervals": rows}


def agents(path: str) -> dict[str, Any]:
    contacts = _matching(_query(path))
    return {"agents": [{"agent_id": agent, "name": name,
                        **figures([c for c in contacts if c.agent_id == agent], _staffed(8, 1))}
                       for agent, name in AGENTS.items()]}


def interactions(path: str) -> dict[str, Any]:
    query = _query(path)
    found = _matching(query)
    outcome = _one(query, "outcome")
    if outcome == "abandoned":
        found = [c for c in found if c.outcome.startswith("abandoned")]
    elif outcome == "answered":
        found = [c for c in found if c.answered]
    elif outcome:
        found = [c for c in found if c.outcome == outcome]
    start = int(_one(query, "cursor") or 0)
    page = found[start:start + PAGE]
    more = start + PAGE < len(found)
    return {"interactions": [c.view() for c in page], "next": str(start + PAGE) if more else None}


def erlang_c_wait(agents: int, load: float) -> float:
    """Erlang C's P(wait) for `agents` servers and `load` Erlangs (1 when unstable)."""
    if agents <= load:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, agents):
        term *= load / k
        total += term
    top = term * load / agents * agents / (agents - load)
    return top / (total + top)


def agents_needed(calls_per_hour: float, aht: float, target: float, sl: float) -> int:
    load = calls_per_hour * aht / 3600
    n = max(1, math.ceil(load))
    while True:
        wait = erlang_c_wait(n, load)
        if load == 0 or 1 - wait * math.exp(-(n - load) * target / aht) >= sl:
            return n
        n += 1


def staffing(path: str) -> dict[str, Any]:
    query = _query(path)
    queue = _one(query, "queue") or QUEUES[0]
    aht = 240.0
    full_time = [1, 2, 2, 2, 2, 2, 2, 2, 1, 1]  # 08:00 to 18:00
    rows = []
    for i, on_shift in enumerate(full_time):
        at = datetime.fromisoformat(f"{DAY}T08:00:00") + timedelta(hours=i)
        calls = float(sum(1 for c in CONTACTS if c.offered_at.hour == at.hour))
        erlang_c = agents_needed(calls, aht, SL_SECONDS, 0.8) if calls else 0
        erlang_a = max(0, erlang_c - 1) if calls >= 12 else erlang_c  # patience lowers it
        rows.append({"start": at.isoformat(), "label": at.strftime("%H:%M"),
                     "forecast_calls": calls, "agents_erlang_c": erlang_c,
                     "agents_erlang_a": erlang_a, "full_time_on_shift": on_shift,
                     "shortfall": max(0, erlang_c - on_shift)})
    return {"queue": queue, "date": _one(query, "date") or DAY,
            "target": {"service_level": 0.8, "threshold_seconds": SL_SECONDS},
            "aht_seconds": aht, "patience_seconds": 75.0, "intervals": rows}


def wallboard(breach: bool = False, waiting: int = 3, generated_at: float = 0.0
              ) -> dict[str, Any]:
    """GET api/wallboard: support breaches its 80/20 target when `breach`."""
    today = figures(CONTACTS, _staffed(8))
    support = {**today, "service_level": 0.62 if breach else 0.86}
    return {"generated_at": generated_at, "queues": [
        {"name": "support", "waiting": waiting, "waiting_capped": False,
         "longest_wait_seconds": 95.0 if waiting else 0, "today": support,
         "agents": {"available": 1, "busy": 1, "break": 1},
         "target": {"service_level": 0.8, "threshold_seconds": SL_SECONDS}, "breach": breach},
        {"name": "sales", "waiting": 0, "waiting_capped": False, "longest_wait_seconds": 0,
         "today": {**today, "offered": 31, "answered": 29, "abandoned": 2, "short_abandoned": 1,
                   "service_level": 0.93, "asa_seconds": 7.5, "aht_seconds": 212.0},
         "target": {"service_level": 0.8, "threshold_seconds": SL_SECONDS}, "breach": False},
    ], "agents": [
        {"agent_id": "u_1", "name": "Alex Agent", "activity": "busy", "tasks": 1,
         "on_call": True, "since": generated_at - 125},
        {"agent_id": "u_2", "name": "Sam Agent", "activity": "break", "tasks": 0,
         "on_call": False, "since": generated_at - 600},
        {"agent_id": "u_3", "name": "Priya Patel", "activity": "available", "tasks": 0,
         "on_call": False, "since": generated_at - 42},
    ]}


def serve_reports(api: FakeApi) -> None:
    """Answer the contract's report routes (api/reports/...) on the fake API, each figure
    computed from the day's interactions under the request's filters."""
    for name, produce in (("summary", summary), ("intervals", intervals), ("agents", agents),
                          ("interactions", interactions), ("staffing", staffing)):
        api.handle("GET", f"api/reports/{name}",
                   lambda request, produce=produce: (200, produce(request.path)))
