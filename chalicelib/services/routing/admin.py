"""Routing administration: queues, the workflow, agents' routing profiles, live stats.

The signup and the demo seed call ``ensure_queue``, ``ensure_default_workflow`` and
``ensure_agent``; the admin API calls the ``put_...`` methods, which validate with
errors that name the JSON path of the fault.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Protocol

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.identity import User
from chalicelib.domain.phone import to_e164
from chalicelib.domain.routing.changes import AgentWrite
from chalicelib.domain.routing.expressions import parse, validate
from chalicelib.domain.routing.model import (
    CHANNELS,
    DEFAULT_CAPACITY,
    MAX_CAPACITY,
    Activity,
    Agent,
    QueueConfig,
    StaleState,
    Strategy,
    TaskStatus,
    Tier,
    new_queue_id,
)
from chalicelib.domain.routing.views import queue_view
from chalicelib.domain.routing.workflow import Workflow, parse_workflow
from chalicelib.services.routing.service import RoutingService

log = logging.getLogger("hotline.routing.admin")

# The live view counts waiting callers up to this many (a capped index query per poll).
WAITING_CAP = 100
QUEUE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
QUEUE_FIELDS = ("strategy", "worker_expression", "max_wait_seconds", "overflow_after_seconds",
                "overflow_queue_length", "hold_music_url", "reservation_timeout_seconds",
                "ring_all_limit", "announce_position", "wait_message")
AGENT_FIELDS = ("name", "skills", "attributes", "capacity", "tier", "wrapup_seconds",
                "mobile", "take_on_mobile")


class Users(Protocol):
    def get_user(self, tenant_id: str, user_id: str) -> User | None: ...


def _whole(body: Mapping[str, Any], name: str, low: int, high: int, *,
           nullable: bool = False) -> int | None:
    value = body[name]
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        extra = " or null" if nullable else ""
        raise InvalidInput(f"{name} must be a whole number from {low} to {high}{extra}",
                           path=name)
    return value


def _unknown(body: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]}; expected one of {', '.join(allowed)}",
                           path=unknown[0])


def queue_with(queue: QueueConfig, body: Mapping[str, Any]) -> QueueConfig:
    """``queue`` with the fields of ``body`` applied, each validated."""
    _unknown(body, QUEUE_FIELDS)
    changes: dict[str, Any] = {}
    if "strategy" in body:
        choices = [s.value for s in Strategy]
        if body["strategy"] not in choices:
            raise InvalidInput(f"strategy must be one of {', '.join(choices)}", path="strategy")
        changes["strategy"] = Strategy(body["strategy"])
    if "worker_expression" in body:
        expression = body["worker_expression"] or ""
        if not isinstance(expression, str):
            raise InvalidInput("worker_expression must be a string", path="worker_expression")
        validate(expression, "worker_expression")
        changes["worker_expression"] = expression
    if "max_wait_seconds" in body:
        changes["max_wait_seconds"] = _whole(body, "max_wait_seconds", 10, 86_400)
    if "overflow_after_seconds" in body:
        changes["overflow_after_seconds"] = _whole(body, "overflow_after_seconds", 0, 86_400,
                                                   nullable=True)
    if "overflow_queue_length" in body:
        changes["overflow_queue_length"] = _whole(body, "overflow_queue_length", 0, 100_000,
                                                  nullable=True)
    if "reservation_timeout_seconds" in body:
        changes["reservation_timeout_seconds"] = _whole(
            body, "reservation_timeout_seconds", 5, 600, nullable=True)
    if "ring_all_limit" in body:
        changes["ring_all_limit"] = _whole(body, "ring_all_limit", 1, 20)
    if "hold_music_url" in body:
        url = body["hold_music_url"]
        if url is not None and (not isinstance(url, str)
                                or not url.startswith(("https://", "http://"))):
            raise InvalidInput("hold_music_url must be an http(s) URL or null",
                               path="hold_music_url")
        changes["hold_music_url"] = url
    if "announce_position" in body:
        if not isinstance(body["announce_position"], bool):
            raise InvalidInput("announce_position must be true or false",
                               path="announce_position")
        changes["announce_position"] = body["announce_position"]
    if "wait_message" in body:
        message = body["wait_message"]
        if message is not None and (not isinstance(message, str) or len(message) > 500):
            raise InvalidInput("wait_message must be text of at most 500 characters, or null",
                               path="wait_message")
        changes["wait_message"] = (" ".join(message.split()) or None) if message else None
    return replace(queue, **changes)


def agent_with(agent: Agent, body: Mapping[str, Any]) -> Agent:
    """``agent``'s routing profile with the fields of ``body`` applied, each validated."""
    _unknown(body, AGENT_FIELDS)
    changes: dict[str, Any] = {}
    if "name" in body:
        if not isinstance(body["name"], str):
            raise InvalidInput("name must be a string", path="name")
        changes["name"] = body["name"].strip()[:100]
    if "skills" in body:
        skills = body["skills"]
        if not isinstance(skills, list) or not all(isinstance(s, str) and s for s in skills):
            raise InvalidInput("skills must be a list of non-empty strings", path="skills")
        changes["skills"] = tuple(dict.fromkeys(s.strip() for s in skills))
    if "attributes" in body:
        if not isinstance(body["attributes"], dict):
            raise InvalidInput("attributes must be an object", path="attributes")
        changes["attributes"] = dict(body["attributes"])
    if "capacity" in body:
        changes["capacity"] = _capacity(body["capacity"], agent.capacity)
    if "tier" in body:
        tiers = [t.value for t in Tier]
        if body["tier"] not in tiers:
            raise InvalidInput(f"tier must be one of {', '.join(tiers)}", path="tier")
        changes["tier"] = Tier(body["tier"])
    if "wrapup_seconds" in body:
        changes["wrapup_seconds"] = _whole(body, "wrapup_seconds", 0, 3600)
    if "mobile" in body:
        changes["mobile"] = _mobile(body["mobile"])
    if "take_on_mobile" in body:
        if not isinstance(body["take_on_mobile"], bool):
            raise InvalidInput("take_on_mobile must be true or false", path="take_on_mobile")
        changes["take_on_mobile"] = body["take_on_mobile"]
    updated = replace(agent, **changes)
    if updated.take_on_mobile and not updated.mobile:
        raise InvalidInput("take_on_mobile needs a mobile number", path="mobile")
    return updated


def _capacity(value: Any, current: Mapping[str, int]) -> dict[str, int]:
    if not isinstance(value, dict):
        raise InvalidInput("capacity must be an object of channel: number", path="capacity")
    capacity = dict(current)
    for channel, amount in value.items():
        path = f"capacity.{channel}"
        if channel not in CHANNELS:
            raise InvalidInput(f"{path}: channels are {', '.join(CHANNELS)}", path=path)
        if isinstance(amount, bool) or not isinstance(amount, int) or \
                not 0 <= amount <= MAX_CAPACITY:
            raise InvalidInput(f"{path} must be a whole number from 0 to {MAX_CAPACITY}",
                               path=path)
        capacity[channel] = amount
    return capacity


def _mobile(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInput("mobile must be a phone number", path="mobile")
    try:
        return to_e164(value)
    except InvalidInput as exc:
        raise InvalidInput(f"mobile: {exc.message}", path="mobile") from exc


class RoutingAdminService:
    def __init__(self, routing: RoutingService, users: Users) -> None:
        self.routing = routing
        self.config = routing.config
        self.store = routing.store
        self.users = users

    # --- queues ---------------------------------------------------------------------
    def queues(self, tenant_id: str) -> list[QueueConfig]:
        return sorted(self.config.store.load(tenant_id)[0], key=lambda q: q.name)

    def put_queue(self, tenant_id: str, name: str, body: Mapping[str, Any]) -> QueueConfig:
        """Create the queue, or change the fields given (others keep their values)."""
        if not QUEUE_NAME.match(name or ""):
            raise InvalidInput("a queue name is 1 to 64 letters, digits, spaces, '.', '_' "
                               "or '-', starting with a letter or digit", path="name")
        existing = self.config.store.get_queue(tenant_id, name)
        base = existing or QueueConfig(tenant_id=tenant_id, name=name,
                                       queue_id=new_queue_id(tenant_id, name))
        try:
            saved = self.config.store.save_queue(queue_with(base, body), new=existing is None)
        finally:
            self.config.forget(tenant_id)
        self.routing.rematch(tenant_id, [name], [])
        return saved

    def ensure_queue(self, tenant_id: str, name: str, **settings: Any) -> QueueConfig:
        """The queue if it exists, else created with ``settings`` (seed and signup)."""
        existing = self.config.store.get_queue(tenant_id, name)
        if existing is not None:
            return existing
        try:
            return self.put_queue(tenant_id, name, settings)
        except StaleState:
            found = self.config.store.get_queue(tenant_id, name)
            if found is None:
                raise
            return found

    # --- the workflow ---------------------------------------------------------------
    def workflow(self, tenant_id: str) -> dict[str, Any]:
        return self.config.get(tenant_id).workflow.to_document()

    def put_workflow(self, tenant_id: str, document: Any) -> dict[str, Any]:
        queues, _, version = self.config.store.load(tenant_id)
        workflow = parse_workflow(document, {q.name for q in queues})
        try:
            self.config.store.save_workflow(tenant_id, workflow.to_document(), version)
        finally:
            self.config.forget(tenant_id)
        return workflow.to_document()

    def ensure_default_workflow(self, tenant_id: str) -> dict[str, Any]:
        """No filters: every task stays in the queue its flow named."""
        _, doc, version = self.config.store.load(tenant_id)
        if doc is None:
            try:
                self.config.store.save_workflow(tenant_id, Workflow().to_document(), version)
            except StaleState:
                log.info("tenant %s got a workflow meanwhile; keeping that one", tenant_id)
            self.config.forget(tenant_id)
        return self.workflow(tenant_id)

    # --- agents ---------------------------------------------------------------------
    def agents(self, tenant_id: str) -> list[Agent]:
        return self.store.list_agents(tenant_id)

    def put_agent_routing(self, tenant_id: str, user_id: str,
                          body: Mapping[str, Any]) -> Agent:
        """Create or change a user's routing profile (skills, capacity, tier, mobile...)."""
        user = self.users.get_user(tenant_id, user_id)
        if user is None:
            raise NotFound(f"user {user_id} not found")
        now = self.routing.clock()

        def step() -> Agent:
            current = self.store.get_agent(tenant_id, user_id)
            base = current or Agent(tenant_id=tenant_id, agent_id=user_id, name=user.name,
                                    mobile=user.mobile, capacity=dict(DEFAULT_CAPACITY),
                                    idle_since=now, activity_changed_at=now)
            updated = agent_with(base, body)
            committed = self.store.commit(
                agents=[AgentWrite(updated, new=current is None)], now=now)
            return committed.agents[user_id]

        agent = self.routing.retrying(step)
        if agent.activity is Activity.AVAILABLE:
            self.routing.rematch(tenant_id, [], [agent])
        return agent

    def ensure_agent(self, tenant_id: str, user_id: str, **profile: Any) -> Agent:
        """The user's routing profile, created with ``profile`` if missing (seed, signup)."""
        existing = self.store.get_agent(tenant_id, user_id)
        if existing is not None:
            return existing
        return self.put_agent_routing(tenant_id, user_id, profile)

    # --- live view ------------------------------------------------------------------
    def queue_stats(self, tenant_id: str) -> list[dict[str, Any]]:
        """Per queue: callers waiting (counted up to ``WAITING_CAP``, so a poll reads at
        most that many index keys; ``waiting_capped`` says there are more), the oldest
        wait, and its agents by presence."""
        now = self.routing.clock()
        agents = self.store.list_agents(tenant_id)
        presence = self._presence(tenant_id, agents)
        stats = []
        for queue in self.queues(tenant_id):
            waiting, capped = self.store.count_waiting(tenant_id, queue.name, WAITING_CAP)
            oldest = self.store.oldest_enqueued_at(tenant_id, queue.name)
            rule = parse(queue.worker_expression)
            members = [a for a in agents if rule.matches(worker=a.scope(), task={})]
            stats.append({
                **queue_view(queue),  # its settings, for the admin page
                "name": queue.name, "queue_id": queue.queue_id, "strategy": queue.strategy.value,
                "waiting": waiting, "waiting_capped": capped,
                "oldest_wait_seconds": None if oldest is None else round(now - oldest, 1),
                "agents": dict(Counter(presence[a.agent_id] for a in members)),
            })
        return stats

    def _presence(self, tenant_id: str, agents: list[Agent]) -> dict[str, str]:
        held = self.store.get_tasks(tenant_id, [tid for a in agents for tid in a.holds])
        wrapping = {t.assigned_agent for t in held if t.status is TaskStatus.WRAPPING}
        busy = {t.assigned_agent for t in held if t.status is TaskStatus.ASSIGNED}
        presence = {}
        for agent in agents:
            if agent.agent_id in busy:
                presence[agent.agent_id] = "busy"
            elif agent.agent_id in wrapping:
                presence[agent.agent_id] = "wrap-up"
            else:
                presence[agent.agent_id] = agent.activity.value
        return presence
