"""Signing a business up: its Twilio subaccount and number, owner, default flows and queues."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.identity import PhoneNumber, Principal, Role, Tenant, User
from chalicelib.domain.phone import mask, to_e164
from chalicelib.domain.tenancy import require_seat

log = logging.getLogger("hotline.onboarding")

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
DEFAULT_HOURS = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


class TenantStore(Protocol):
    def user_by_email(self, email: str) -> User | None: ...
    def create_with_owner(self, tenant: Tenant, owner: User) -> None: ...
    def delete_with_owner(self, tenant: Tenant, owner: User) -> None: ...
    def add_user(self, user: User) -> None: ...
    def get(self, tenant_id: str) -> Tenant | None: ...
    def list_users(self, tenant_id: str) -> list[User]: ...
    def save_number(self, number: PhoneNumber) -> None: ...
    def update_profile(self, tenant_id: str, profile: dict[str, object],
                       timezone: str | None = None) -> None: ...


class Accounts(Protocol):
    def create_subaccount(self, friendly_name: str) -> tuple[str, str]: ...
    def buy_number(self, account_sid: str, auth_token: str, country: str,
                   area_code: str | None, voice_url: str, sms_url: str,
                   status_callback: str) -> str: ...
    def release_number(self, account_sid: str, auth_token: str, number: str) -> None: ...


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...


# Hands a release that failed now to the scheduled sweep (the outbox), so no paid number
# is left without a tenant: (tenant_id, account_sid, number).
ReleaseLater = Callable[[str, str, str], None]


# A provisioner sets up one part of a new tenant (default flows, queues) and returns
# profile entries to keep (e.g. {"default_flow_id": ...}).
Provisioner = Callable[[Tenant, Sequence[User]], dict[str, Any]]
# A user hook sets up what a new user needs beyond the login (a routing profile).
UserHook = Callable[[User, dict[str, Any]], None]


@dataclass(frozen=True)
class SignedUp:
    tenant: Tenant
    owner: User
    number: str


def _text(body: dict[str, Any], name: str, max_len: int = 120) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} is required", path=name)
    if len(value) > max_len:
        raise InvalidInput(f"{name} is longer than {max_len} characters", path=name)
    return value.strip()


def check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD} characters",
                           path="password")
    return password


def check_email(body: dict[str, Any]) -> str:
    email = _text(body, "email", 254).lower()
    if not EMAIL.match(email):
        raise InvalidInput("email is not a valid address", path="email")
    return email


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


class Onboarding:
    def __init__(self, settings: Settings, tenants: TenantStore, accounts: Accounts,
                 hasher: Hasher, provisioners: Sequence[Provisioner],
                 user_hooks: Sequence[UserHook] = (),
                 clock: Callable[[], float] = time.time,
                 release_later: ReleaseLater | None = None) -> None:
        self.settings = settings
        self.release_later = release_later
        self.tenants = tenants
        self.accounts = accounts
        self.hasher = hasher
        self.provisioners = provisioners
        self.user_hooks = user_hooks
        self.clock = clock

    def sign_up(self, body: dict[str, Any]) -> SignedUp:
        """Validate everything first, then buy, then store: a bad form costs nothing."""
        business = _text(body, "business_name")
        owner_name = _text(body, "name")
        email = check_email(body)
        password = check_password(body.get("password"))
        timezone = str(body.get("timezone") or "UTC")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"{timezone!r} is not a time zone", path="timezone") from exc
        if self.tenants.user_by_email(email) is not None:
            raise Conflict("that email is already registered")
        country = str(body.get("country") or "US").upper()
        area_code = str(body["area_code"]) if body.get("area_code") else None

        sid, token = self.accounts.create_subaccount(f"Hotline {business}")
        number = self.accounts.buy_number(
            sid, token, country, area_code,
            voice_url=self.settings.public_url("/twilio/voice"),
            sms_url=self.settings.public_url("/twilio/sms"),
            status_callback=self.settings.public_url("/twilio/voice/status"))
        now = self.clock()
        tenant = Tenant(tenant_id=new_id("tn"), name=business, timezone=timezone,
                        twilio_account_sid=sid, twilio_auth_token=token, created_at=now,
                        profile={"hours": DEFAULT_HOURS, "holidays": [], "number": number})
        owner = User(tenant_id=tenant.tenant_id, user_id=new_id("u"), email=email,
                     name=owner_name, role=Role.OWNER,
                     password_hash=self.hasher.hash(password), created_at=now)
        try:
            self.tenants.create_with_owner(tenant, owner)
        except BaseException:
            self._release(tenant, number)
            raise
        try:
            profile = self._set_up(tenant, owner, number, body)
        except BaseException:
            self._undo(tenant, owner, number)
            raise
        log.info("signed up tenant %s", tenant.tenant_id)
        return SignedUp(tenant=Tenant(**{**tenant.__dict__, "profile": profile}),
                        owner=owner, number=number)

    def _set_up(self, tenant: Tenant, owner: User, number: str,
                body: dict[str, Any]) -> dict[str, Any]:
        for hook in self.user_hooks:
            hook(owner, body)
        profile = self.provision(tenant, [owner])
        self.tenants.save_number(PhoneNumber(
            number=number, tenant_id=tenant.tenant_id,
            flow_id=str(profile.get("default_flow_id") or "") or None,
            sms_flow_id=str(profile.get("default_sms_flow_id") or "") or None,
            friendly_name=tenant.name))
        return profile

    def _undo(self, tenant: Tenant, owner: User, number: str) -> None:
        """A signup failed after buying its number: give the number back, then remove the
        half-made tenant so the same email can sign up again."""
        self._release(tenant, number)
        try:
            self.tenants.delete_with_owner(tenant, owner)
        except Exception:
            log.exception("signup of %s failed; could not remove its tenant", tenant.tenant_id)

    def _release(self, tenant: Tenant, number: str) -> None:
        try:
            self.accounts.release_number(tenant.twilio_account_sid, tenant.twilio_auth_token,
                                         number)
            log.warning("signup of %s failed; released %s", tenant.tenant_id, number)
        except Exception:
            log.exception("signup of %s failed and %s could not be released now",
                          tenant.tenant_id, mask(number))
            self._release_by_sweep(tenant, number)

    def _release_by_sweep(self, tenant: Tenant, number: str) -> None:
        if self.release_later is None:
            log.error("no sweep to release %s in account %s: release it by hand",
                      mask(number), tenant.twilio_account_sid)
            return
        try:
            self.release_later(tenant.tenant_id, tenant.twilio_account_sid, number)
            log.warning("the sweep will release %s for %s", mask(number), tenant.tenant_id)
        except Exception:
            log.exception("could not hand the release of %s in account %s to the sweep: "
                          "release it by hand", mask(number), tenant.twilio_account_sid)

    def provision(self, tenant: Tenant, users: Sequence[User]) -> dict[str, Any]:
        profile: dict[str, Any] = dict(tenant.profile)
        for provisioner in self.provisioners:
            profile.update(provisioner(tenant, users))
        self.tenants.update_profile(tenant.tenant_id, profile)
        return profile

    def add_user(self, who: Principal, body: dict[str, Any]) -> User:
        """An owner or admin adds an agent or supervisor to their own business."""
        who.require(Role.ADMIN)
        role_name = str(body.get("role") or "agent")
        try:
            role = Role(role_name)
        except ValueError as exc:
            raise InvalidInput(f"role must be one of {[r.value for r in Role]}",
                               path="role") from exc
        if role is Role.OWNER:
            raise InvalidInput("a business has one owner", path="role")
        mobile = to_e164(str(body["mobile"])) if body.get("mobile") else None
        self._require_seat(who.tenant_id)
        user = User(tenant_id=who.tenant_id, user_id=new_id("u"), email=check_email(body),
                    name=_text(body, "name"), role=role,
                    password_hash=self.hasher.hash(check_password(body.get("password"))),
                    mobile=mobile, created_at=self.clock())
        self.tenants.add_user(user)
        for hook in self.user_hooks:
            hook(user, body)
        return user

    def _require_seat(self, tenant_id: str) -> None:
        """The operator's seat allowance counts active users. Read then written: two
        admins adding at the same instant could both take the last seat (docs/operator.md)."""
        tenant = self.tenants.get(tenant_id)
        if tenant is not None and tenant.seats is not None:
            require_seat(tenant.seats,
                         sum(1 for u in self.tenants.list_users(tenant_id) if u.active))
