"""In-memory fakes of the routing ports that are not DynamoDB: the carrier, the CRM, the
tenant directory and the flow engine's resume. Thread-safe (the race test uses them)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.errors import Unavailable
from chalicelib.domain.identity import PhoneNumber, Role, Tenant, User


class FakeClock:
    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self.now += seconds
            return self.now


@dataclass
class PlacedCall:
    sid: str
    tenant_id: str
    to: str
    from_: str
    url: str
    status_callback: str
    timeout: int
    ended: bool = False


class FakeTelephony:
    """Places calls in memory; ``fail_next`` makes the next REST call fail like Twilio down."""

    def __init__(self) -> None:
        self.calls: list[PlacedCall] = []
        self.statuses: dict[str, str] = {}
        self.fail_next = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def _maybe_fail(self) -> None:
        if self.fail_next:
            self.fail_next = False
            raise Unavailable("placing a call: Twilio answered 503")

    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        with self._lock:
            self._maybe_fail()
            sid = f"CAfake{next(self._ids):026d}"
            self.calls.append(PlacedCall(sid, tenant_id, to, from_, url, status_callback,
                                         timeout))
            return sid

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        with self._lock:
            for call in self.calls:
                if call.sid == call_sid:
                    call.ended = True

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        return self.statuses.get(call_sid)

    def to(self, number: str) -> list[PlacedCall]:
        return [c for c in self.calls if c.to == number]


class FakeCrm:
    def __init__(self) -> None:
        self.events: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self._lock = threading.Lock()

    def _add(self, name: str, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            self.events.append((name, args, kwargs))

    def record_started(self, *args: Any) -> None:
        self._add("started", *args)

    def record_ringing(self, *args: Any) -> None:
        self._add("ringing", *args)

    def record_answered(self, *args: Any) -> None:
        self._add("answered", *args)

    def record_outcome(self, tenant_id: str, interaction_id: str, outcome: str,
                       **details: Any) -> None:
        self._add("outcome", tenant_id, interaction_id, outcome, **details)

    def record_ended(self, *args: Any) -> None:
        self._add("ended", *args)

    def record_wrapup(self, *args: Any) -> None:
        self._add("wrapup", *args)

    def record_agent_time(self, *args: Any) -> None:
        self._add("agent_time", *args)

    def record_wrapup_expired(self, *args: Any) -> None:
        self._add("wrapup_expired", *args)

    def named(self, name: str) -> list[tuple[Any, ...]]:
        return [args for event, args, _ in self.events if event == name]


@dataclass
class FakeDirectory:
    tenants: dict[str, Tenant] = field(default_factory=dict)
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)

    def add(self, tenant_id: str, name: str, number: str) -> None:
        self.tenants[tenant_id] = Tenant(tenant_id=tenant_id, name=name, timezone="UTC",
                                         twilio_account_sid="AC" + "1" * 32,
                                         twilio_auth_token="token")
        self.numbers[number] = PhoneNumber(number=number, tenant_id=tenant_id)

    def get(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def number(self, number: str) -> PhoneNumber | None:
        return self.numbers.get(number)


class FakeUsers:
    """Every user id exists (the admin service only checks the user is the tenant's)."""

    def __init__(self, known: set[str] | None = None) -> None:
        self.known = known

    def get_user(self, tenant_id: str, user_id: str) -> User | None:
        if self.known is not None and user_id not in self.known:
            return None
        return User(tenant_id=tenant_id, user_id=user_id, email=f"{user_id}@example.com",
                    name=user_id.title(), role=Role.AGENT, password_hash="x")


class FakeFlows:
    def __init__(self) -> None:
        self.resumed: list[tuple[str, str, str, dict[str, str]]] = []

    def resume_flow(self, tenant_id: str, call_sid: str, widget: str,
                    params: Mapping[str, str], key: str) -> str:
        self.resumed.append((tenant_id, call_sid, widget, dict(params)))
        return f"<Response><Say>resumed {widget}</Say></Response>"
