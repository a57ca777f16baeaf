"""What the API offers around a tenant: signup, its profile and hours, its users."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, HotlineError, InvalidInput, NotFound
from chalicelib.domain.flows.hours import DAYS, HoursInvalid, zone
from chalicelib.domain.identity import PhoneNumber, Principal, Role, Tenant, User
from chalicelib.domain.opening_hours import day_spans, hhmm
from chalicelib.domain.tenancy import DEFAULT_MESSAGES
from chalicelib.services.accounts import desk_view
from chalicelib.services.onboarding import Onboarding

SIGNUPS_PER_SOURCE = 5
SIGNUP_WINDOW_SECONDS = 3600


class Store(Protocol):
    def get(self, tenant_id: str) -> Tenant | None: ...
    def list_users(self, tenant_id: str) -> list[User]: ...
    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]: ...
    def update_settings(self, tenant_id: str, *, hours: Mapping[str, object] | None = None,
                        holidays: list[str] | None = None,
                        timezone: str | None = None,
                        dispositions: list[str] | None = None,
                        messages: Mapping[str, str] | None = None) -> None: ...


class Limiter(Protocol):
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None: ...


class Signer(Protocol):
    def issue(self, principal: Principal) -> str: ...


def check_hours(raw: object) -> dict[str, list[list[str]]]:
    """Weekly hours: {"mon": [["09:00","17:00"]], ...}; unknown days are refused, and so
    are spans that run backwards or overlap, naming the day (domain/opening_hours.py)."""
    if not isinstance(raw, dict):
        raise InvalidInput("hours must be an object of days", path="hours")
    out: dict[str, list[list[str]]] = {}
    for day, spans in raw.items():
        if day not in DAYS:
            raise InvalidInput(f"{day!r} is not a day ({', '.join(DAYS)})", path=f"hours.{day}")
        try:
            out[day] = [[hhmm(a), hhmm(b)] for a, b in day_spans(day, spans)]
        except HoursInvalid as exc:
            raise InvalidInput(str(exc), path=f"hours.{day}") from exc
    return out


def check_holidays(raw: object) -> list[str]:
    """Closed days as YYYY-MM-DD dates."""
    if not isinstance(raw, list):
        raise InvalidInput("holidays must be a list of dates (YYYY-MM-DD)", path="holidays")
    days: list[str] = []
    for index, day in enumerate(raw):
        try:
            days.append(date.fromisoformat(day).isoformat())
        except (TypeError, ValueError) as exc:
            raise InvalidInput("holidays must be dates (YYYY-MM-DD)",
                               path=f"holidays[{index}]") from exc
    return sorted(set(days))


MESSAGE_KEYS = ("closed_hours", "suspended", "closed", "expired")
DEFAULT_CLOSED_HOURS = ("We are closed right now. Please leave a message after the tone, "
                        "and we will call you back.")


def check_messages(raw: object) -> dict[str, str]:
    """The tenant's own words (PUT /api/tenant's ``messages``), replacing the ones kept:
    a key left out or empty falls back to the default."""
    if not isinstance(raw, dict):
        raise InvalidInput("messages must be an object of texts", path="messages")
    out: dict[str, str] = {}
    for key, text in raw.items():
        if key not in MESSAGE_KEYS:
            raise InvalidInput(f"{key!r} is not a message ({', '.join(MESSAGE_KEYS)})",
                               path=f"messages.{key}")
        if text is not None and not isinstance(text, str):
            raise InvalidInput(f"messages.{key} must be text", path=f"messages.{key}")
        if text and text.strip():
            out[key] = " ".join(text.split())
    return out


def messages_view(own: Mapping[str, str]) -> dict[str, Any]:
    """GET /api/tenant's ``messages`` (the tenant's own) and ``default_messages``."""
    return {"messages": {k: v for k, v in own.items() if k in MESSAGE_KEYS},
            "default_messages": {"closed_hours": DEFAULT_CLOSED_HOURS, **DEFAULT_MESSAGES}}


class TenantAdmin:
    def __init__(self, onboarding: Onboarding, store: Store, limiter: Limiter,
                 signer: Signer, widget_keys: Callable[[str], str] | None = None,
                 signups_per_source: int = SIGNUPS_PER_SOURCE) -> None:
        self.signups_per_source = signups_per_source
        self.widget_keys = widget_keys  # the web chat key, made on first use (services/chat)
        self.onboarding = onboarding
        self.store = store
        self.limiter = limiter
        self.signer = signer

    def sign_up(self, body: dict[str, Any], source: str) -> dict[str, Any]:
        self.limiter.hit(f"signup#{source}", self.signups_per_source, SIGNUP_WINDOW_SECONDS)
        done = self.onboarding.sign_up(body)
        owner = done.owner
        if self.widget_keys is not None:
            try:
                self.widget_keys(done.tenant.tenant_id)
            except HotlineError:  # GET /api/tenant makes it on first use instead
                logging.getLogger("hotline.api").warning("widget key not made at signup")
        token = self.signer.issue(Principal(owner.tenant_id, owner.user_id, owner.role))
        return {"token": token, "user": owner.public(),
                "tenant": {"id": done.tenant.tenant_id, "name": done.tenant.name,
                           "number": done.number}}

    def _tenant(self, who: Principal) -> Tenant:
        tenant = self.store.get(who.tenant_id)
        if tenant is None:
            raise NotFound("your business no longer exists")
        return tenant

    def describe(self, who: Principal) -> dict[str, Any]:
        tenant = self._tenant(who)
        profile = tenant.profile
        if who.role is Role.AGENT:  # only what the desk needs (services/accounts.py)
            return desk_view(tenant, _dispositions(profile))
        return {"standing": tenant.standing().public(time.time()),  # docs/tenancy.md
                "id": tenant.tenant_id, "name": tenant.name, "timezone": tenant.timezone,
                "hours": profile.get("hours", {}), "holidays": profile.get("holidays", []),
                "numbers": [{"number": n.number, "flow_id": n.flow_id,
                             "sms_flow_id": n.sms_flow_id}
                            for n in self.store.numbers_of(tenant.tenant_id)],
                "widget_key": (self.widget_keys(tenant.tenant_id)
                               if self.widget_keys is not None else None),
                "dispositions": _dispositions(profile),
                **messages_view(tenant.messages)}

    def update(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        """Change only the fields given, in one UpdateItem (no read-merge-write)."""
        who.require(Role.ADMIN)
        hours = check_hours(body["hours"]) if "hours" in body else None
        holidays = check_holidays(body["holidays"]) if "holidays" in body else None
        messages = check_messages(body["messages"]) if "messages" in body else None
        timezone = body.get("timezone")
        if timezone is not None:
            try:
                zone(str(timezone))
            except HoursInvalid as exc:
                raise InvalidInput(str(exc), path="timezone") from exc
        try:
            self.store.update_settings(who.tenant_id, hours=hours,
                                       holidays=holidays,
                                       timezone=str(timezone) if timezone else None,
                                       messages=messages,
                                       **_disposition_change(body))
        except Conflict as exc:  # the condition: the tenant exists
            raise NotFound("your business no longer exists") from exc
        return self.describe(who)

    def list_users(self, who: Principal) -> dict[str, Any]:
        who.require(Role.SUPERVISOR)
        return {"users": [u.public() for u in self.store.list_users(who.tenant_id)]}

    def add_user(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        return self.onboarding.add_user(who, body).public()


DEFAULT_DISPOSITIONS = ("Resolved", "Follow-up needed", "Order placed", "Wrong number",
                        "Voicemail returned")


def _disposition_change(body: dict[str, Any]) -> dict[str, Any]:
    """PUT /api/tenant's ``dispositions``: trimmed, unique, at least one; [] restores
    the default list."""
    if "dispositions" not in body:
        return {}
    cleaned: list[str] = []
    for index, raw in enumerate(body["dispositions"]):
        label = str(raw).strip()
        if not label:
            raise InvalidInput("a disposition must not be empty", path=f"dispositions[{index}]")
        if label not in cleaned:
            cleaned.append(label)
    return {"dispositions": cleaned}


def _dispositions(profile: dict[str, Any]) -> list[str]:
    """The wrap-up choices: the tenant's own list, or the default one."""
    own = profile.get("dispositions")
    if isinstance(own, list) and own and all(isinstance(d, str) for d in own):
        return list(own)
    return list(DEFAULT_DISPOSITIONS)
