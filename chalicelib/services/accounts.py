"""Owners and admins manage their business's users: edit, deactivate, reactivate, and
send a reset link (docs/accounts.md).

Who may act on whom: an owner on anyone of the business; an admin on anyone but an
owner. Nobody deactivates themselves or changes their own role, and the business keeps
at least one active owner: deactivating or demoting an owner commits only together with
a check that another owner is still an active owner (one transaction).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.identity import Principal, Role, Tenant, User
from chalicelib.domain.phone import to_e164
from chalicelib.domain.tenancy import require_seat

log = logging.getLogger("hotline.accounts")

EDITABLE_ROLES = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.OWNER)


class UserStore(Protocol):
    def get_user(self, tenant_id: str, user_id: str,
                 consistent: bool = False) -> User | None: ...
    def list_users(self, tenant_id: str) -> list[User]: ...
    def update_user(self, tenant_id: str, user_id: str, changes: Mapping[str, object], *,
                    active: bool | None = None, keep_owner: str | None = None) -> None: ...


class ResetLinks(Protocol):
    def send_link(self, user: User) -> None: ...


# Sets an agent's routing presence offline; (tenant id, user id).
GoOffline = Callable[[str, str], None]
# Copies a changed name or mobile into the user's routing profile, if they have one
# (the profile keeps its own copy: the wallboard's name, the part-timer's phone).
SyncProfile = Callable[[str, str, Mapping[str, object]], None]


def desk_view(tenant: Tenant, dispositions: list[str],
              now: float | None = None) -> dict[str, Any]:
    """GET /api/tenant for an agent: what the desktop reads (its wrap-up choices, the
    business's name and clock, the standing banner), not the hours, numbers, widget key
    or the tenant's messages."""
    return {"id": tenant.tenant_id, "name": tenant.name, "timezone": tenant.timezone,
            "dispositions": dispositions,
            "standing": tenant.standing().public(time.time() if now is None else now)}


def _name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("name must not be empty", path="name")
    return raw.strip()


def _role(raw: object) -> Role:
    names = [r.value for r in EDITABLE_ROLES]
    if raw not in names:
        raise InvalidInput(f"role must be one of {', '.join(names)}", path="role")
    return Role(str(raw))


def _mobile(raw: object) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None  # removes it
    try:
        return to_e164(str(raw))
    except InvalidInput as exc:
        raise InvalidInput(f"mobile: {exc.message}", path="mobile") from exc


class UserAccounts:
    def __init__(self, users: UserStore, reset: ResetLinks, go_offline: GoOffline,
                 sync_profile: SyncProfile | None = None,
                 seats: Callable[[str], int | None] | None = None) -> None:
        self.seats = seats  # the operator's seat allowance of a tenant (None: no limit)
        self.users = users
        self.reset = reset
        self.go_offline = go_offline
        self.sync_profile = sync_profile

    def _target(self, who: Principal, user_id: str) -> User:
        """The user, in the caller's own business, if the caller may manage them."""
        who.require(Role.ADMIN)
        user = self.users.get_user(who.tenant_id, user_id, consistent=True)
        if user is None:
            raise NotFound("no such user in your business")
        if user.role is Role.OWNER and who.role is not Role.OWNER:
            raise Forbidden("only an owner can change an owner")
        return user

    def _other_active_owner(self, who: Principal, user: User) -> str:
        """Another active owner, who must still be one when the change commits."""
        for other in self.users.list_users(who.tenant_id):
            if other.user_id != user.user_id and other.role is Role.OWNER and other.active:
                return other.user_id
        raise Conflict(f"{user.name} is the business's last active owner; make someone "
                       "else an owner first")

    def _view(self, who: Principal, user_id: str) -> dict[str, Any]:
        user = self.users.get_user(who.tenant_id, user_id, consistent=True)
        if user is None:
            raise NotFound("no such user in your business")
        return user.public()

    def edit(self, who: Principal, user_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """PATCH /api/users/{id}: name, role, mobile (null or "" removes it)."""
        user = self._target(who, user_id)
        changes: dict[str, object] = {}
        if "name" in body:
            changes["name"] = _name(body["name"])
        if "mobile" in body:
            changes["mobile"] = _mobile(body["mobile"])
        keep_owner = None
        role = _role(body["role"]) if "role" in body else user.role
        if role is not user.role:
            if user.user_id == who.user_id:
                raise Conflict("you cannot change your own role")
            if role is Role.OWNER and who.role is not Role.OWNER:
                raise Forbidden("only an owner can make someone an owner")
            if user.role is Role.OWNER and user.active:
                keep_owner = self._other_active_owner(who, user)
            changes["role"] = role.value
        self._write(who, user, changes, keep_owner=keep_owner)
        copied = {k: v for k, v in changes.items() if k in ("name", "mobile")}
        if copied and self.sync_profile is not None:
            self.sync_profile(who.tenant_id, user_id, copied)
        return self._view(who, user_id)

    def deactivate(self, who: Principal, user_id: str) -> dict[str, Any]:
        """Their sessions end at once, they cannot log in, and their presence goes offline."""
        user = self._target(who, user_id)
        if user.user_id == who.user_id:
            raise Conflict("you cannot deactivate yourself")
        if user.active:
            keep_owner = (self._other_active_owner(who, user) if user.role is Role.OWNER
                          else None)
            self._write(who, user, {}, active=False, keep_owner=keep_owner)
            log.info("user %s of %s deactivated by %s", user_id, who.tenant_id, who.user_id)
        # Also on a repeat: a deactivation whose presence change failed is finished by
        # asking again.
        self._offline(who.tenant_id, user_id)
        return self._view(who, user_id)

    def reactivate(self, who: Principal, user_id: str) -> dict[str, Any]:
        """They may log in again (their old sessions stay ended); presence stays offline."""
        user = self._target(who, user_id)
        if not user.active:
            if self.seats is not None:
                require_seat(self.seats(who.tenant_id),
                             sum(1 for u in self.users.list_users(who.tenant_id) if u.active))
            self._write(who, user, {}, active=True)
            log.info("user %s of %s reactivated by %s", user_id, who.tenant_id, who.user_id)
        return self._view(who, user_id)

    def send_reset(self, who: Principal, user_id: str) -> None:
        """An admin's "Send reset link": the same mail as a self-service request."""
        user = self._target(who, user_id)
        if not user.active:
            raise Conflict(f"{user.name} is deactivated; reactivate them first")
        self.reset.send_link(user)

    def _write(self, who: Principal, user: User, changes: Mapping[str, object], *,
               active: bool | None = None, keep_owner: str | None = None) -> None:
        try:
            self.users.update_user(who.tenant_id, user.user_id, changes, active=active,
                                   keep_owner=keep_owner)
        except Conflict as exc:
            if keep_owner is not None:  # the other owner changed meanwhile
                raise Conflict(f"{user.name} is the business's last active owner; make "
                               "someone else an owner first") from exc
            raise NotFound("no such user in your business") from exc

    def _offline(self, tenant_id: str, user_id: str) -> None:
        try:
            self.go_offline(tenant_id, user_id)
        except NotFound:  # an owner who takes no calls has no presence to change
            log.info("user %s of %s has no routing profile to take offline", user_id,
                     tenant_id)
