"""Tenants, users and phone numbers in DynamoDB; returns domain objects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pynamodb.exceptions import PynamoDBException
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.adapters.dynamo.base import connection
from chalicelib.adapters.dynamo.errors import (
    cancellation_reasons,
    dynamo_call,
    is_conditional_failure,
    translated,
)
from chalicelib.adapters.dynamo.models.tenants import (
    EmailClaimModel,
    PhoneNumberModel,
    TenantModel,
    UserModel,
)
from chalicelib.config import Settings
from chalicelib.domain.calls.voice import VoiceCredentials, voice_credentials_from
from chalicelib.domain.errors import Conflict
from chalicelib.domain.identity import PhoneNumber, Role, Tenant, User
from chalicelib.domain.shared_numbers import shared_menu_of
from chalicelib.domain.tenancy import ALL_ON, DEFAULT_RELEASE_GRACE_DAYS

# A transaction that meets another on the same email claim is cancelled
# (TransactionConflict); on retry the claim's condition says who won.
TRANSACTION_ATTEMPTS = 3
# A user stored before accounts could be deactivated has no ``active``: active.
_ACTIVE = UserModel.active.does_not_exist() | (UserModel.active == True)  # noqa: E712
# The operator's terms ``update_terms`` writes, and its "no condition on permissions".
TERM_FIELDS = ("status", "valid_until", "permissions", "plan", "spending_cap",
               "release_grace_days", "seats")
KEEP = object()


def _tenant(m: TenantModel) -> Tenant:
    profile = dict(m.profile or {})
    if m.hours is not None:
        profile["hours"] = m.hours
    if m.holidays is not None:
        profile["holidays"] = m.holidays
    if m.dispositions is not None:
        profile["dispositions"] = m.dispositions
    return Tenant(tenant_id=m.tenant_id, name=m.name, timezone=m.timezone,
                  twilio_account_sid=m.twilio_account_sid,
                  twilio_auth_token=m.twilio_auth_token, status=m.status,
                  created_at=float(m.created_at), profile=profile,
                  valid_until=None if m.valid_until is None else float(m.valid_until),
                  permissions={**ALL_ON, **(m.permissions or {})},
                  plan=m.plan, spending_cap=(None if m.spending_cap is None
                                             else float(m.spending_cap)),
                  closed_at=None if m.closed_at is None else float(m.closed_at),
                  release_grace_days=(DEFAULT_RELEASE_GRACE_DAYS if m.release_grace_days is None
                                      else int(m.release_grace_days)),
                  messages=dict(m.messages or {}),
                  seats=None if m.seats is None else int(m.seats))


def _user(m: UserModel) -> User:
    return User(tenant_id=m.tenant_id, user_id=m.user_id, email=m.email, name=m.name,
                role=Role(m.role), password_hash=m.password_hash, mobile=m.mobile,
                created_at=float(m.created_at), active=m.active is not False,
                token_version=int(m.token_version or 0))


def _number(m: PhoneNumberModel) -> PhoneNumber:
    return PhoneNumber(number=m.number, tenant_id=m.tenant_id, flow_id=m.flow_id,
                       sms_flow_id=m.sms_flow_id,
                       shared_tenants=tuple(str(t) for t in (m.shared_tenants or [])),
                       friendly_name=m.friendly_name,
                       shared_menu=shared_menu_of(m.shared_menu), greeting=m.greeting)


def _tenant_model(t: Tenant) -> TenantModel:
    return TenantModel(t.tenant_id, name=t.name, timezone=t.timezone, status=t.status,
                       created_at=int(t.created_at), twilio_account_sid=t.twilio_account_sid,
                       twilio_auth_token=t.twilio_auth_token, profile=dict(t.profile),
                       valid_until=t.valid_until, permissions=dict(t.permissions),
                       plan=None if t.plan is None else dict(t.plan),
                       spending_cap=t.spending_cap, closed_at=t.closed_at,
                       release_grace_days=t.release_grace_days,
                       messages=dict(t.messages) or None, seats=t.seats)


def _user_model(u: User) -> UserModel:
    return UserModel(u.tenant_id, u.user_id, email=u.email.lower(), name=u.name,
                     role=u.role.value, password_hash=u.password_hash, mobile=u.mobile,
                     created_at=int(u.created_at))


class TenantRepository:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @dynamo_call("get tenant")
    def get(self, tenant_id: str) -> Tenant | None:
        try:
            return _tenant(TenantModel.get(tenant_id))
        except TenantModel.DoesNotExist:
            return None

    @dynamo_call("find tenant by account")
    def by_account(self, account_sid: str) -> Tenant | None:
        for model in TenantModel.by_account.query(account_sid, limit=1):
            return _tenant(model)
        return None

    @dynamo_call("save tenant")
    def save(self, tenant: Tenant) -> None:
        _tenant_model(tenant).save()

    @dynamo_call("update tenant profile")
    def update_profile(self, tenant_id: str, profile: dict[str, object],
                       timezone: str | None = None) -> None:
        actions: list[Action] = [TenantModel.profile.set(profile)]
        if timezone:
            actions.append(TenantModel.timezone.set(timezone))
        TenantModel(tenant_id).update(actions=actions, condition=TenantModel.tenant_id.exists())

    @dynamo_call("get voice credentials")
    def voice_credentials(self, tenant_id: str) -> VoiceCredentials | None:
        """The tenant's Voice SDK API key and TwiML App, if made yet."""
        try:
            model = TenantModel.get(tenant_id, attributes_to_get=["tenant_id", "voice"],
                                    consistent_read=True)
        except TenantModel.DoesNotExist:
            return None
        return voice_credentials_from(model.voice)

    def save_voice_credentials(self, tenant_id: str,
                               credentials: VoiceCredentials) -> VoiceCredentials:
        """Store them once (first writer wins); returns what is stored."""
        try:
            with translated("save voice credentials"):
                TenantModel(tenant_id).update(
                    actions=[TenantModel.voice.set(credentials.doc())],
                    condition=TenantModel.tenant_id.exists() & TenantModel.voice.does_not_exist())
        except Conflict:
            stored = self.voice_credentials(tenant_id)
            if stored is None:
                raise
            return stored
        return credentials

    @dynamo_call("get widget key")
    def widget_key(self, tenant_id: str) -> str | None:
        """The tenant's public web chat widget key, if made yet."""
        try:
            model = TenantModel.get(tenant_id, attributes_to_get=["tenant_id", "widget_key"])
        except TenantModel.DoesNotExist:
            return None
        return model.widget_key

    def save_widget_key(self, tenant_id: str, key: str) -> str:
        """Store it once (first writer wins); returns what is stored."""
        try:
            with translated("save widget key"):
                TenantModel(tenant_id).update(
                    actions=[TenantModel.widget_key.set(key)],
                    condition=(TenantModel.tenant_id.exists()
                               & TenantModel.widget_key.does_not_exist()))
        except Conflict:
            stored = self.widget_key(tenant_id)
            if stored is None:
                raise
            return stored
        return key

    @dynamo_call("update tenant settings")
    def update_settings(self, tenant_id: str, *, hours: Mapping[str, object] | None = None,
                        holidays: list[str] | None = None,
                        timezone: str | None = None,
                        dispositions: list[str] | None = None,
                        messages: Mapping[str, str] | None = None) -> None:
        """One UpdateItem of only the fields given: concurrent edits of others survive.
        ``messages`` replaces the tenant's own texts (an empty map: the defaults)."""
        actions: list[Action] = []
        if hours is not None:
            actions.append(TenantModel.hours.set(dict(hours)))
        if holidays is not None:
            actions.append(TenantModel.holidays.set(holidays))
        if timezone is not None:
            actions.append(TenantModel.timezone.set(timezone))
        if dispositions is not None:
            actions.append(TenantModel.dispositions.set(dispositions))
        if messages is not None:
            actions.append(TenantModel.messages.set(dict(messages)) if messages
                           else TenantModel.messages.remove())
        if actions:
            TenantModel(tenant_id).update(actions=actions,
                                          condition=TenantModel.tenant_id.exists())

    # --- the operator's terms (services/operator) --------------------------------------
    @dynamo_call("list tenants")
    def all_tenants(self) -> list[Tenant]:
        """Every tenant: a Scan, for the operator's console only (never a webhook's path)."""
        return sorted((_tenant(m) for m in TenantModel.scan()), key=lambda t: t.created_at)

    @dynamo_call("count users")
    def count_users(self, tenant_id: str) -> int:
        return int(UserModel.count(tenant_id))

    @dynamo_call("count every tenant's users")
    def user_counts(self) -> dict[str, int]:
        """Users per tenant in one Scan of the keys (the console's list: not a Query each)."""
        counts: dict[str, int] = {}
        for model in UserModel.scan(attributes_to_get=["tenant_id", "user_id"]):
            counts[model.tenant_id] = counts.get(model.tenant_id, 0) + 1
        return counts

    @dynamo_call("list every number")
    def numbers_by_tenant(self) -> dict[str, list[str]]:
        """Each tenant's own numbers, from one Scan of the numbers table."""
        found: dict[str, list[str]] = {}
        for model in PhoneNumberModel.scan(attributes_to_get=["number", "tenant_id"]):
            found.setdefault(model.tenant_id, []).append(model.number)
        return found

    @dynamo_call("get tenant permissions")
    def stored_permissions(self, tenant_id: str) -> dict[str, bool] | None:
        """The permissions map exactly as stored (None when never set), for a compare-and-set."""
        try:
            model = TenantModel.get(tenant_id, attributes_to_get=["tenant_id", "permissions"],
                                    consistent_read=True)
        except TenantModel.DoesNotExist:
            return None
        return None if model.permissions is None else dict(model.permissions)

    @dynamo_call("update tenant terms")
    def update_terms(self, tenant_id: str, changes: Mapping[str, object], *,
                     closed_at: float, permissions_were: object = KEEP) -> None:
        """The operator's terms in ONE UpdateItem, only the fields in ``changes`` (``status,
        valid_until, permissions, plan, spending_cap, release_grace_days, seats``; None
        removes one). Closing stamps ``closed_at`` once (if_not_exists); any other status
        clears it. With ``permissions_were`` (a map, or None for "never set") the write
        only happens if the stored permissions are still exactly that: Conflict otherwise."""
        actions: list[Action] = []
        for name in TERM_FIELDS:
            if name in changes:
                attr = getattr(TenantModel, name)
                value = changes[name]
                actions.append(attr.remove() if value is None else attr.set(value))
        if changes.get("status") == "closed":
            actions.append(TenantModel.closed_at.set(TenantModel.closed_at | closed_at))
        elif changes.get("status") is not None:
            actions.append(TenantModel.closed_at.remove())
        if not actions:
            return
        condition = TenantModel.tenant_id.exists()
        if permissions_were is None:
            condition &= TenantModel.permissions.does_not_exist()
        elif permissions_were is not KEEP:
            condition &= TenantModel.permissions == permissions_were
        TenantModel(tenant_id).update(actions=actions, condition=condition)

    def create_with_owner(self, tenant: Tenant, owner: User) -> None:
        """Create a tenant, its owner and the owner's email claim in one transaction."""
        self._ensure_email_free(owner.email)
        self._write_user(owner, (
            (_tenant_model(tenant), TenantModel.tenant_id.does_not_exist()),), "create tenant")

    @dynamo_call("delete tenant")
    def delete_with_owner(self, tenant: Tenant, owner: User) -> None:
        """Undo ``create_with_owner`` (a signup that failed half-way)."""
        with TransactWrite(connection=connection(self._settings)) as tx:
            tx.delete(TenantModel(tenant.tenant_id))
            tx.delete(UserModel(owner.tenant_id, owner.user_id))
            tx.delete(EmailClaimModel(owner.email.lower()),
                      condition=EmailClaimModel.user_id == owner.user_id)

    # --- users ----------------------------------------------------------------------
    def _ensure_email_free(self, email: str) -> None:
        """Users stored before email claims existed have none: find them by the index.
        (The claim in the user's transaction is what settles a race.)"""
        if self.user_by_email(email) is not None:
            raise Conflict("that email is already registered")

    def _write_user(self, user: User, also: tuple[tuple[Any, Any], ...], action: str) -> None:
        claim = EmailClaimModel(user.email.lower(), tenant_id=user.tenant_id,
                                user_id=user.user_id)
        for attempt in range(TRANSACTION_ATTEMPTS):
            try:
                with TransactWrite(connection=connection(self._settings)) as tx:
                    for model, condition in also:
                        tx.save(model, condition=condition)
                    tx.save(_user_model(user), condition=UserModel.user_id.does_not_exist())
                    tx.save(claim, condition=EmailClaimModel.email.does_not_exist())
                return
            except PynamoDBException as exc:
                reasons = cancellation_reasons(exc)
                if reasons and reasons[-1] == "ConditionalCheckFailed":
                    raise Conflict("that email is already registered") from exc
                if is_conditional_failure(exc):
                    raise Conflict(f"{action}: it already exists") from exc
                if "TransactionConflict" in reasons and attempt + 1 < TRANSACTION_ATTEMPTS:
                    continue  # another transaction held the claim; its outcome decides ours
                with translated(action):
                    raise

    def add_user(self, user: User) -> None:
        self._ensure_email_free(user.email)
        self._write_user(user, (), "add user")

    @dynamo_call("find user by email")
    def user_by_email(self, email: str) -> User | None:
        for model in UserModel.by_email.query(email.strip().lower(), limit=1):
            return _user(model)
        return None

    @dynamo_call("get user")
    def get_user(self, tenant_id: str, user_id: str, consistent: bool = False) -> User | None:
        try:
            return _user(UserModel.get(tenant_id, user_id, consistent_read=consistent))
        except UserModel.DoesNotExist:
            return None

    @dynamo_call("list users")
    def list_users(self, tenant_id: str) -> list[User]:
        return [_user(m) for m in UserModel.query(tenant_id)]

    # --- accounts (services/accounts.py, services/password_reset.py) -------------------
    def update_user(self, tenant_id: str, user_id: str, changes: Mapping[str, object], *,
                    active: bool | None = None, keep_owner: str | None = None) -> None:
        """Change only the fields given (name, role, mobile: None removes it) and, when
        ``active`` is given, (de)activate; deactivating bumps the token version so every
        session ends. ``keep_owner`` names another owner who must still be an active owner
        when this commits: one transaction, so two owners demoting or deactivating each
        other at once cannot leave the business with none."""
        actions: list[Action] = []
        for name, value in changes.items():
            attribute = getattr(UserModel, name)
            actions.append(attribute.remove() if value is None else attribute.set(value))
        if active is not None:
            actions.append(UserModel.active.set(active))
            if not active:
                actions.append(UserModel.token_version.add(1))
        if not actions:
            return
        exists = UserModel.user_id.exists()
        with translated("update user"):
            if keep_owner is None:
                UserModel(tenant_id, user_id).update(actions=actions, condition=exists)
                return
            with TransactWrite(connection=connection(self._settings)) as tx:
                tx.update(UserModel(tenant_id, user_id), actions=actions, condition=exists)
                tx.condition_check(UserModel, tenant_id, keep_owner,
                                   condition=(UserModel.role == Role.OWNER.value) & _ACTIVE)

    @dynamo_call("start password reset")
    def start_reset(self, tenant_id: str, user_id: str, token_hash: str,
                    expires_at: float) -> None:
        """Keep the hash of the one live reset token (a newer request replaces it)."""
        UserModel(tenant_id, user_id).update(
            actions=[UserModel.reset_hash.set(token_hash),
                     UserModel.reset_expires_at.set(expires_at)],
            condition=UserModel.user_id.exists())

    @dynamo_call("use password reset")
    def consume_reset(self, tenant_id: str, user_id: str, token_hash: str, now: float,
                      password_hash: str) -> None:
        """Set the password if the token is the live one and unexpired, consuming it and
        ending every session, in one conditional UpdateItem (a second use is a Conflict)."""
        live = ((UserModel.reset_hash == token_hash) & (UserModel.reset_expires_at > now))
        UserModel(tenant_id, user_id).update(
            actions=[UserModel.password_hash.set(password_hash),
                     UserModel.reset_hash.remove(), UserModel.reset_expires_at.remove(),
                     UserModel.token_version.add(1)],
            condition=live & _ACTIVE)

    # --- numbers --------------------------------------------------------------------
    @dynamo_call("get number")
    def number(self, number: str) -> PhoneNumber | None:
        try:
            return _number(PhoneNumberModel.get(number))
        except PhoneNumberModel.DoesNotExist:
            return None

    @dynamo_call("save number")
    def save_number(self, number: PhoneNumber) -> None:
        PhoneNumberModel(number.number, tenant_id=number.tenant_id, flow_id=number.flow_id,
                         sms_flow_id=number.sms_flow_id,
                         shared_tenants=list(number.shared_tenants),
                         friendly_name=number.friendly_name,
                         shared_menu=([line.public() for line in number.shared_menu]
                                      if number.shared_menu else None),
                         greeting=number.greeting).save()

    @dynamo_call("list numbers")
    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]:
        return [_number(m) for m in PhoneNumberModel.by_tenant.query(tenant_id)]
