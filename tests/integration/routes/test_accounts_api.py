"""Accounts through the real app on DynamoDB Local: password reset by a mailed, single-use,
expiring link; owners editing, deactivating and reactivating users; the token version
ending sessions at once; agents kept out of flows and the tenant's settings."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass

import pytest
from chalice.test import Client

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.adapters.security import PasswordHasher, TokenSigner
from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict
from chalicelib.domain.identity import Principal, Role, Tenant, User
from chalicelib.services.password_reset import RESET_TTL_SECONDS

PASSWORD = "a-long-password"
LINK = re.compile(r"/reset#token=(\S+)")


@functools.lru_cache(maxsize=4)
def hashed(password: str) -> str:
    """argon2id takes a noticeable moment: hash each test password once per run."""
    return PasswordHasher().hash(password)


@dataclass
class Business:
    client: Client
    settings: Settings
    tenant_id: str
    repo: TenantRepository

    def add(self, user_id: str, role: Role, password: str = "not-used") -> User:
        user = User(tenant_id=self.tenant_id, user_id=user_id,
                    email=f"{user_id}-{uuid.uuid4().hex[:8]}@example.com",
                    name=user_id.removeprefix("u_").title(), role=role,
                    password_hash=hashed(password) if password != "not-used" else password,
                    created_at=time.time())
        self.repo.add_user(user)
        return user

    def token(self, user: User) -> str:
        stored = self.repo.get_user(user.tenant_id, user.user_id, consistent=True)
        assert stored is not None
        return TokenSigner(self.settings.jwt_secret, 3600).issue(
            Principal(user.tenant_id, user.user_id, user.role),
            token_version=stored.token_version)

    def call(self, method: str, path: str, token: str | None = None,
             body: object = None) -> tuple[int, object]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = getattr(self.client.http, method.lower())(
            path, headers=headers, body=json.dumps(body) if body is not None else None)
        return response.status_code, json.loads(response.body) if response.body else None


@pytest.fixture
def shop(client: Client, settings: Settings, tenant_id: str) -> Business:
    repo = TenantRepository(settings)
    tenant = Tenant(tenant_id=tenant_id, name="Aqua", timezone="Europe/Paris",
                    twilio_account_sid="AC" + uuid.uuid4().hex, twilio_auth_token="t",
                    created_at=time.time())
    owner = User(tenant_id=tenant_id, user_id="u_olivia",
                 email=f"olivia-{uuid.uuid4().hex[:8]}@example.com", name="Olivia",
                 role=Role.OWNER, password_hash=hashed(PASSWORD),
                 created_at=time.time())
    repo.create_with_owner(tenant, owner)
    return Business(client, settings, tenant_id, repo)


def _owner(shop: Business) -> User:
    found = shop.repo.get_user(shop.tenant_id, "u_olivia")
    assert found is not None
    return found


def _mailed_token(caplog: pytest.LogCaptureFixture, to: str) -> str:
    mails = [r.getMessage() for r in caplog.records
             if r.name == "hotline.mail" and f" to {to}\n" in r.getMessage()]
    assert len(mails) == 1, mails
    found = LINK.search(mails[0])
    assert found is not None, mails[0]
    return found.group(1)


# --- password reset ---------------------------------------------------------------------
def test_a_mailed_link_sets_a_new_password_once_and_ends_every_session(
        shop: Business, caplog: pytest.LogCaptureFixture) -> None:
    # given the owner is logged in
    owner = _owner(shop)
    old_session = shop.token(owner)
    assert shop.call("GET", "/api/me", old_session)[0] == 200
    # when they ask for a reset link, it is mailed (to the log) from the configured sender
    caplog.set_level(logging.INFO, logger="hotline.mail")
    status, answer = shop.call("POST", "/api/auth/password-reset", body={"email": owner.email})
    assert (status, answer) == (202, {"status": "accepted"})
    token = _mailed_token(caplog, owner.email)
    assert "mail from Hotline <no-reply@hotline.invalid>" in caplog.text
    # and only its hash is stored, with an expiry about 30 minutes away
    from chalicelib.adapters.dynamo.models.tenants import UserModel

    item = UserModel.get(shop.tenant_id, owner.user_id, consistent_read=True)
    assert item.reset_hash is not None and token not in item.reset_hash
    assert abs(item.reset_expires_at - (time.time() + RESET_TTL_SECONDS)) < 60
    # when the link is used with a new password
    status, _ = shop.call("POST", "/api/auth/password-reset/confirm",
                          body={"token": token, "password": "a-brand-new-secret"})
    assert status == 200
    # then the old session is over at once, the new password logs in and the old does not
    status, error = shop.call("GET", "/api/me", old_session)
    assert status == 401 and "log in again" in error["message"]
    assert shop.call("POST", "/api/login", body={"email": owner.email,
                                                 "password": PASSWORD})[0] == 401
    status, session = shop.call("POST", "/api/login", body={"email": owner.email,
                                                            "password": "a-brand-new-secret"})
    assert status == 200 and shop.call("GET", "/api/me", session["token"])[0] == 200
    # and the link does not work a second time
    status, error = shop.call("POST", "/api/auth/password-reset/confirm",
                              body={"token": token, "password": "yet-another-secret"})
    assert status == 400 and error["path"] == "token"
    assert "already used" in error["message"]


def test_an_expired_link_is_refused(shop: Business, caplog: pytest.LogCaptureFixture,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # given a link was mailed
    owner = _owner(shop)
    caplog.set_level(logging.INFO, logger="hotline.mail")
    shop.call("POST", "/api/auth/password-reset", body={"email": owner.email})
    token = _mailed_token(caplog, owner.email)
    # when it is used 31 minutes later
    from chalicelib import wiring

    later = wiring.get_password_reset()
    monkeypatch.setattr(later, "clock", lambda: time.time() + RESET_TTL_SECONDS + 60)
    status, error = shop.call("POST", "/api/auth/password-reset/confirm",
                              body={"token": token, "password": "a-brand-new-secret"})
    # then it is refused, and the old password still logs in
    assert status == 400 and error["path"] == "token" and "expired" in error["message"]
    assert shop.call("POST", "/api/login", body={"email": owner.email,
                                                 "password": PASSWORD})[0] == 200


def test_an_unknown_email_gets_the_same_202_and_no_mail(
        shop: Business, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="hotline.mail")
    status, answer = shop.call("POST", "/api/auth/password-reset",
                               body={"email": f"nobody-{uuid.uuid4().hex[:6]}@example.com"})
    assert (status, answer) == (202, {"status": "accepted"})
    assert [r for r in caplog.records if r.name == "hotline.mail"] == []


def test_a_forged_or_malformed_token_is_refused_naming_the_field(shop: Business) -> None:
    owner = _owner(shop)
    import base64

    whose = base64.urlsafe_b64encode(f"{shop.tenant_id}/{owner.user_id}".encode()).decode()
    for token in ("garbage", whose.rstrip("=") + "." + "x" * 43):
        status, error = shop.call("POST", "/api/auth/password-reset/confirm",
                                  body={"token": token, "password": "a-brand-new-secret"})
        assert status == 400 and error["path"] == "token"


def test_the_new_password_follows_the_signup_rules(shop: Business,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    owner = _owner(shop)
    caplog.set_level(logging.INFO, logger="hotline.mail")
    shop.call("POST", "/api/auth/password-reset", body={"email": owner.email})
    token = _mailed_token(caplog, owner.email)
    status, error = shop.call("POST", "/api/auth/password-reset/confirm",
                              body={"token": token, "password": "short"})
    assert status == 400 and error["path"] == "password"
    # and the refused attempt did not use the link up
    assert shop.call("POST", "/api/auth/password-reset/confirm",
                     body={"token": token, "password": "long-enough-now"})[0] == 200


# --- managing users ---------------------------------------------------------------------
def test_deactivating_ends_sessions_at_once_blocks_login_and_takes_presence_offline(
        shop: Business) -> None:
    from chalicelib.wiring import get_agent_desk, get_routing_admin

    # given an agent, logged in and Available
    agent = shop.add("u_ann", Role.AGENT, password=PASSWORD)
    get_routing_admin().put_agent_routing(shop.tenant_id, agent.user_id, {})
    get_agent_desk().set_activity(shop.tenant_id, agent.user_id, "available")
    status, session = shop.call("POST", "/api/login", body={"email": agent.email,
                                                            "password": PASSWORD})
    assert status == 200 and shop.call("GET", "/api/me", session["token"])[0] == 200
    owner = shop.token(_owner(shop))
    # when the owner deactivates them
    status, view = shop.call("POST", "/api/users/u_ann/deactivate", owner)
    assert status == 200 and view["active"] is False
    # then the session stops on its very next request, login is refused, presence offline
    status, error = shop.call("GET", "/api/me/routing", session["token"])
    assert status == 401 and "deactivated" in error["message"]
    status, error = shop.call("POST", "/api/login", body={"email": agent.email,
                                                          "password": PASSWORD})
    assert status == 401 and "deactivated" in error["message"]
    assert get_agent_desk().me(shop.tenant_id, agent.user_id).activity.value == "offline"
    # and the list shows them deactivated
    status, listed = shop.call("GET", "/api/users", owner)
    assert {u["id"]: u["active"] for u in listed["users"]}["u_ann"] is False
    # when reactivated, they log in again; the old session stays over
    status, view = shop.call("POST", "/api/users/u_ann/reactivate", owner)
    assert status == 200 and view["active"] is True
    assert shop.call("GET", "/api/me", session["token"])[0] == 401
    assert shop.call("POST", "/api/login", body={"email": agent.email,
                                                 "password": PASSWORD})[0] == 200


def test_an_owner_edits_name_role_and_mobile_and_the_role_applies_at_once(
        shop: Business) -> None:
    # given an agent with a session
    agent = shop.add("u_bob", Role.AGENT)
    agent_session = shop.token(agent)
    assert shop.call("GET", "/api/users", agent_session)[0] == 403
    owner = shop.token(_owner(shop))
    # when the owner renames them, makes them a supervisor and gives a mobile
    status, view = shop.call("PATCH", "/api/users/u_bob", owner,
                             {"name": "Robert", "role": "supervisor", "mobile": "(415) 555-0199"})
    # then the user says so, and the same session now has the supervisor's reach
    assert status == 200
    assert (view["name"], view["role"], view["mobile"]) == ("Robert", "supervisor",
                                                           "+14155550199")
    assert shop.call("GET", "/api/users", agent_session)[0] == 200
    # and a mobile is removed with null
    status, view = shop.call("PATCH", "/api/users/u_bob", owner, {"mobile": None})
    assert status == 200 and view["mobile"] is None


def test_a_new_name_and_mobile_reach_the_routing_profile(shop: Business) -> None:
    from chalicelib.wiring import get_agent_desk, get_routing_admin

    # given a part-timer who takes calls on their mobile
    shop.add("u_pia", Role.AGENT)
    get_routing_admin().put_agent_routing(shop.tenant_id, "u_pia", {
        "tier": "part-time", "mobile": "+14155550100", "take_on_mobile": True})
    owner = shop.token(_owner(shop))
    # when the owner changes their name and mobile
    assert shop.call("PATCH", "/api/users/u_pia", owner,
                     {"name": "Pia P.", "mobile": "+14155550111"})[0] == 200
    # then routing rings the new number under the new name
    agent = get_agent_desk().me(shop.tenant_id, "u_pia")
    assert (agent.name, agent.mobile, agent.take_on_mobile) == ("Pia P.", "+14155550111", True)
    # and once the mobile is removed, nothing is rung on it
    assert shop.call("PATCH", "/api/users/u_pia", owner, {"mobile": None})[0] == 200
    agent = get_agent_desk().me(shop.tenant_id, "u_pia")
    assert (agent.mobile, agent.take_on_mobile) == (None, False)


@pytest.mark.parametrize(("body", "path"), [({"role": "boss"}, "role"),
                                            ({"mobile": "not a number"}, "mobile"),
                                            ({"name": ""}, "name"),
                                            ({"email": "x@y.co"}, "email")])
def test_a_bad_edit_is_400_naming_the_field(shop: Business, body: dict[str, object],
                                            path: str) -> None:
    shop.add("u_cat", Role.AGENT)
    status, error = shop.call("PATCH", "/api/users/u_cat", shop.token(_owner(shop)), body)
    assert status == 400 and error["path"] == path


def test_admins_manage_everyone_but_owners(shop: Business) -> None:
    admin = shop.token(shop.add("u_ada", Role.ADMIN))
    shop.add("u_dan", Role.AGENT)
    # an admin edits and deactivates an agent
    assert shop.call("PATCH", "/api/users/u_dan", admin, {"name": "Daniel"})[0] == 200
    assert shop.call("POST", "/api/users/u_dan/deactivate", admin)[0] == 200
    # but neither edits nor deactivates the owner, nor makes anyone an owner
    for method, path, body in (("PATCH", "/api/users/u_olivia", {"name": "X"}),
                               ("POST", "/api/users/u_olivia/deactivate", None),
                               ("POST", "/api/users/u_olivia/password-reset", None),
                               ("PATCH", "/api/users/u_dan", {"role": "owner"})):
        status, error = shop.call(method, path, admin, body)
        assert status == 403, (path, error)
    # and supervisors and agents manage nobody
    supervisor = shop.token(shop.add("u_sue", Role.SUPERVISOR))
    assert shop.call("POST", "/api/users/u_dan/reactivate", supervisor)[0] == 403


def test_nobody_deactivates_or_demotes_themselves(shop: Business) -> None:
    owner = shop.token(_owner(shop))
    status, error = shop.call("POST", "/api/users/u_olivia/deactivate", owner)
    assert status == 409 and "yourself" in error["message"]
    status, error = shop.call("PATCH", "/api/users/u_olivia", owner, {"role": "admin"})
    assert status == 409 and "own role" in error["message"]


def test_another_business_user_is_not_found(shop: Business, settings: Settings) -> None:
    shop.add("u_eve", Role.AGENT)
    other = Business(shop.client, settings, "tn_" + uuid.uuid4().hex[:12], shop.repo)
    intruder = other.add("u_mallory", Role.OWNER)
    token = other.token(intruder)
    for method, path in (("PATCH", "/api/users/u_eve"), ("POST", "/api/users/u_eve/deactivate")):
        assert shop.call(method, path, token, {"name": "X"} if method == "PATCH" else None
                         )[0] == 404
    assert shop.repo.get_user(shop.tenant_id, "u_eve").active is True  # type: ignore[union-attr]


def test_an_owner_hands_over_and_the_last_active_owner_is_kept(shop: Business) -> None:
    # given a second owner made by the first
    shop.add("u_pat", Role.ADMIN)
    olivia = shop.token(_owner(shop))
    assert shop.call("PATCH", "/api/users/u_pat", olivia, {"role": "owner"})[0] == 200
    pat = shop.token(shop.repo.get_user(shop.tenant_id, "u_pat"))  # type: ignore[arg-type]
    # when Pat deactivates Olivia, Olivia's session ends
    assert shop.call("POST", "/api/users/u_olivia/deactivate", pat)[0] == 200
    assert shop.call("GET", "/api/me", olivia)[0] == 401
    # then, Pat being the last active owner, the store refuses to drop Pat as an owner
    # even if asked to with Olivia (now inactive) as the owner to keep
    with pytest.raises(Conflict):
        shop.repo.update_user(shop.tenant_id, "u_pat", {"role": "admin"},
                              keep_owner="u_olivia")
    assert shop.repo.get_user(shop.tenant_id, "u_pat").role is Role.OWNER  # type: ignore[union-attr]


def test_two_owners_deactivating_each_other_at_once_leave_one_active(
        shop: Business, settings: Settings) -> None:
    from chalicelib.services.accounts import UserAccounts

    # given two owners, Olivia and Pat
    shop.add("u_pat", Role.OWNER)

    class RivalFirst:
        """The store, but Pat's deactivation of Olivia lands between Olivia's read of the
        owners and her own write: the interleaving a read-then-write would lose."""

        def __init__(self) -> None:
            self.done = False

        def __getattr__(self, name: str) -> object:
            return getattr(shop.repo, name)

        def list_users(self, tenant_id: str) -> list[User]:
            users = shop.repo.list_users(tenant_id)
            if not self.done:
                self.done = True
                shop.repo.update_user(tenant_id, "u_olivia", {}, active=False,
                                      keep_owner="u_pat")
            return users

    accounts = UserAccounts(RivalFirst(), reset=None, go_offline=lambda t, u: None)  # type: ignore[arg-type]
    # when Olivia deactivates Pat with her stale view
    with pytest.raises(Conflict, match="last active owner"):
        accounts.deactivate(Principal(shop.tenant_id, "u_olivia", Role.OWNER), "u_pat")
    # then Pat is still an active owner
    assert shop.repo.get_user(shop.tenant_id, "u_pat").active is True  # type: ignore[union-attr]


def test_an_admin_sends_a_reset_link(shop: Business, caplog: pytest.LogCaptureFixture) -> None:
    admin = shop.token(shop.add("u_ada", Role.ADMIN))
    agent = shop.add("u_fay", Role.AGENT)
    caplog.set_level(logging.INFO, logger="hotline.mail")
    status, _ = shop.call("POST", "/api/users/u_fay/password-reset", admin)
    assert status == 202
    token = _mailed_token(caplog, agent.email)
    assert shop.call("POST", "/api/auth/password-reset/confirm",
                     body={"token": token, "password": "fay-chose-this"})[0] == 200


# --- what agents may read ---------------------------------------------------------------
def test_agents_are_refused_flows_and_read_only_the_desks_part_of_the_tenant(
        shop: Business) -> None:
    agent = shop.token(shop.add("u_gus", Role.AGENT))
    supervisor = shop.token(shop.add("u_sam", Role.SUPERVISOR))
    for path in ("/api/flows", "/api/flows/voice-ivr", "/api/flows/voice-ivr/revisions"):
        assert shop.call("GET", path, agent)[0] == 403, path
        assert shop.call("GET", path, supervisor)[0] == 403, path
    status, seen = shop.call("GET", "/api/tenant", agent)
    assert status == 200
    assert set(seen) == {"id", "name", "timezone", "dispositions", "standing"}
    assert seen["timezone"] == "Europe/Paris" and seen["dispositions"]
    assert seen["standing"]["active"] is True
    status, full = shop.call("GET", "/api/tenant", supervisor)
    assert status == 200 and {"hours", "holidays", "numbers"} <= set(full)
    # nor the other settings pages' reads (users, reports' thresholds, keys, webhooks)
    for path in ("/api/users", "/api/reports/settings", "/api/keys", "/api/webhooks"):
        assert shop.call("GET", path, agent)[0] == 403, path


def test_the_operators_seat_allowance_caps_adding_and_reactivating_users(
        shop: Business) -> None:
    owner = shop.token(shop.add("u_owen", Role.OWNER))
    sam = shop.add("u_sam", Role.AGENT)
    shop.repo.update_terms(shop.tenant_id, {"seats": 3}, closed_at=time.time())  # all 3 taken
    new_agent = {"name": "Kim", "email": f"kim-{uuid.uuid4().hex[:8]}@example.com",
                 "password": PASSWORD}

    refused, body = shop.call("POST", "/api/users", owner, new_agent)
    assert (refused, body["error"]) == (403, "no_seat_left"), body  # type: ignore[index]
    assert "all 3 seats" in body["message"]  # type: ignore[index]

    assert shop.call("POST", "/api/users/u_sam/deactivate", owner)[0] == 200
    added, kim = shop.call("POST", "/api/users", owner, new_agent)
    assert added == 200, kim
    blocked, why = shop.call("POST", f"/api/users/{sam.user_id}/reactivate", owner)
    assert (blocked, why["error"]) == (403, "no_seat_left")  # type: ignore[index]
