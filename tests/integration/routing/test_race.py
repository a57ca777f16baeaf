"""Racing agents on DynamoDB Local (not moto): 24 agents, 500 tasks, many threads.

Producers enqueue calls and conversations while agents poll their offers and accept or
reject at random, callers hang up at random, and a monitor reads every agent's load
throughout. Afterwards: no agent ever held more than its capacity, no task was assigned
twice, and every task ended completed or canceled.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from typing import Any

import pytest

from chalicelib.adapters.dynamo.routing_config_repository import RoutingConfigRepository
from chalicelib.adapters.dynamo.routing_repository import RoutingRepository
from chalicelib.domain.errors import Conflict, HotlineError, NotFound
from chalicelib.domain.routing.model import (
    CHANNELS,
    ReservationStatus,
    TaskStatus,
    task_id_for,
)
from chalicelib.services.routing.admin import RoutingAdminService
from chalicelib.services.routing.desk import AgentDesk
from chalicelib.services.routing.matcher import Matcher
from chalicelib.services.routing.ports import ConfigCache, RoutingUrls
from chalicelib.services.routing.service import RoutingService
from chalicelib.services.routing.sweep import RoutingSweep
from tests.integration.routing.fakes import FakeCrm, FakeTelephony, FakeUsers

VOICE_AGENTS = 20
CHAT_AGENTS = 4
CALLS = 400
CONVERSATIONS = 100
HANGUPS = 20
QUEUES = ("support", "sales")
REJECT_SHARE = 0.2
DEADLINE_SECONDS = 300  # a safety net for a hung run, not a performance assertion


class Race:
    def __init__(self, settings: Any, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        self.telephony = FakeTelephony()
        self.crm = FakeCrm()
        store = RoutingRepository(settings)
        urls = RoutingUrls(settings.public_url)
        matcher = Matcher(store, self.telephony, urls, reservation_timeout=30)
        self.service = RoutingService(store, ConfigCache(RoutingConfigRepository(), ttl=5),
                                      matcher, self.telephony, self.crm)
        self.desk = AgentDesk(self.service, urls)
        self.admin = RoutingAdminService(self.service, FakeUsers())
        self.store = store
        self.sweeper = RoutingSweep(self.service)
        self.lock = threading.Lock()
        self.accepted: list[tuple[str, str]] = []  # (task id, agent id) per successful accept
        self.violations: list[str] = []
        self.errors: Counter[str] = Counter()
        self.done = threading.Event()
        self.task_ids = [task_id_for(tenant_id, f"CArace{n}") for n in range(CALLS)] + [
            task_id_for(tenant_id, f"conv{n}") for n in range(CONVERSATIONS)]

    def note(self, exc: Exception) -> None:
        with self.lock:
            self.errors[type(exc).__name__] += 1

    # --- the callers ----------------------------------------------------------------
    def produce(self, numbers: range) -> None:
        rng = random.Random(numbers.start)
        for n in numbers:
            while True:
                try:
                    if n < CALLS:
                        self.service.enqueue_call(
                            tenant_id=self.tenant_id, call_sid=f"CArace{n}",
                            interaction_id=f"CArace{n}", queue="support" if n % 2 else "sales",
                            priority=rng.choice([0, 0, 5]), caller=f"+1555{n:07d}",
                            business_number="+15559990000")
                    else:
                        self.service.enqueue_message(
                            tenant_id=self.tenant_id, conversation_id=f"conv{n - CALLS}",
                            interaction_id=f"SMrace{n}", queue="support",
                            contact=f"+1666{n:07d}", channel="chat")
                    break
                except HotlineError as exc:  # throttled or timed out: retry, it's idempotent
                    self.note(exc)

    def hang_up(self) -> None:
        """Callers at the head of the line hang up, racing with the offers made to them."""
        rng = random.Random(7)
        hung_up = 0
        while hung_up < HANGUPS and not self.done.is_set():
            time.sleep(rng.random() * 0.2)
            try:
                waiting = self.store.pending_page(self.tenant_id, rng.choice(QUEUES), 3)
                for task in waiting:
                    if task.call_sid:
                        self.service.on_call_ended(self.tenant_id, task.call_sid, "completed")
                        hung_up += 1
                        break
            except HotlineError as exc:
                self.note(exc)

    # --- the agents -----------------------------------------------------------------
    def work(self, agent_id: str, seed: int) -> None:
        rng = random.Random(seed)
        idle = 0
        while not self.done.is_set():
            try:
                offers = self.desk.offers(self.tenant_id, agent_id)
                if not offers and idle % 10 == 9:
                    self._finish_mine(agent_id)
                    self._nudge()
            except HotlineError as exc:
                self.note(exc)
                continue
            for offer in offers:
                self._answer(agent_id, offer.reservation.reservation_id, rng)
            idle = 0 if offers else idle + 1
            if not offers:
                time.sleep(0.2)

    def _answer(self, agent_id: str, reservation_id: str, rng: random.Random) -> None:
        try:
            if rng.random() < REJECT_SHARE:
                self.desk.reject(self.tenant_id, agent_id, reservation_id)
                return
            task = self.desk.accept(self.tenant_id, agent_id, reservation_id)
        except (Conflict, NotFound):
            return  # someone else won, or the caller hung up: both expected
        except HotlineError as exc:
            self.note(exc)
            return
        with self.lock:
            self.accepted.append((task.task_id, agent_id))
        self._serve(agent_id, task.task_id, task.call_sid)

    def _serve(self, agent_id: str, task_id: str, call_sid: str | None) -> None:
        try:
            if call_sid:
                self.service.on_call_ended(self.tenant_id, call_sid, "completed")
            self.desk.wrapup(self.tenant_id, agent_id, task_id, "done", "")
        except (Conflict, NotFound):
            return
        except HotlineError as exc:
            self.note(exc)

    def _finish_mine(self, agent_id: str) -> bool:
        """Finish tasks a timed-out request left assigned to us (as the desktop shows)."""
        mine = self.desk.tasks(self.tenant_id, agent_id)
        for task in mine:
            self._serve(agent_id, task.task_id, task.call_sid)
        return bool(mine)

    def _nudge(self) -> None:
        try:
            self.service.rematch(self.tenant_id, ["support", "sales"], [])
        except HotlineError as exc:
            self.note(exc)

    def sweep(self) -> None:
        """Offers that expired while an agent was slow go back to the queue."""
        while not self.done.is_set():
            try:
                self.sweeper.run()
            except HotlineError as exc:
                self.note(exc)
            time.sleep(0.5)

    # --- the monitor ----------------------------------------------------------------
    def monitor(self) -> None:
        while not self.done.is_set():
            try:
                self.check_capacity()
            except HotlineError as exc:
                self.note(exc)
            time.sleep(0.05)

    def check_capacity(self) -> None:
        for agent in self.store.list_agents(self.tenant_id):
            for channel in CHANNELS:
                if agent.load(channel) > agent.capacity.get(channel, 0):
                    with self.lock:
                        self.violations.append(f"{agent.agent_id} holds {agent.load(channel)} "
                                               f"{channel} tasks, capacity "
                                               f"{agent.capacity.get(channel, 0)}")

    def all_settled(self) -> bool:
        tasks = self.store.get_tasks(self.tenant_id, self.task_ids)
        return len(tasks) == len(self.task_ids) and all(
            t.status in (TaskStatus.COMPLETED, TaskStatus.CANCELED) for t in tasks)


@pytest.mark.ddb
def test_racing_agents_never_exceed_capacity_never_double_assign_never_lose_a_task(
        settings: Any, tenant_id: str) -> None:
    race = Race(settings, tenant_id)
    race.admin.put_queue(tenant_id, "support", {"overflow_after_seconds": None,
                                                "overflow_queue_length": None})
    race.admin.put_queue(tenant_id, "sales", {"strategy": "ring-all", "ring_all_limit": 4,
                                              "overflow_after_seconds": None,
                                              "overflow_queue_length": None})
    agents = [f"voice{i:02d}" for i in range(VOICE_AGENTS)]
    chatters = [f"chat{i}" for i in range(CHAT_AGENTS)]
    for agent_id in agents:
        race.admin.put_agent_routing(tenant_id, agent_id, {"wrapup_seconds": 5})
    for agent_id in chatters:
        race.admin.put_agent_routing(tenant_id, agent_id, {"capacity": {"voice": 0, "chat": 3}})
    for agent_id in agents + chatters:
        race.desk.set_activity(tenant_id, agent_id, "available")

    threads = [threading.Thread(target=race.work, args=(a, i)) for i, a in
               enumerate(agents + chatters)]
    threads.append(threading.Thread(target=race.monitor))
    threads.append(threading.Thread(target=race.sweep))
    producers = [threading.Thread(target=race.produce,
                                  args=(range(k * 250, (k + 1) * 250),)) for k in range(2)]
    hangups = threading.Thread(target=race.hang_up)
    for thread in [*threads, *producers, hangups]:
        thread.start()
    for thread in producers:
        thread.join()

    deadline = time.monotonic() + DEADLINE_SECONDS
    while not race.all_settled() and time.monotonic() < deadline:
        time.sleep(0.5)
    race.done.set()
    for thread in [*threads, hangups]:
        thread.join()
    race.check_capacity()

    tasks = race.store.get_tasks(tenant_id, race.task_ids)
    statuses = Counter(t.status for t in tasks)
    print(f"\nrace: {dict(statuses)}, accepts {len(race.accepted)}, "
          f"transient errors {dict(race.errors)}")
    assert race.violations == []
    assert len(tasks) == CALLS + CONVERSATIONS
    assert set(statuses) <= {TaskStatus.COMPLETED, TaskStatus.CANCELED}, statuses
    accepts = Counter(task_id for task_id, _ in race.accepted)
    assert [t for t, n in accepts.items() if n > 1] == []
    for task in tasks:
        winners = [r for r in task.reservations if r.status is ReservationStatus.ACCEPTED]
        assert len(winners) <= 1
        if task.status is TaskStatus.COMPLETED:
            assert [w.agent_id for w in winners] == [task.assigned_agent]
    for agent in race.store.list_agents(tenant_id):
        assert agent.holds == {}, agent.agent_id
    assert statuses[TaskStatus.CANCELED] <= HANGUPS
