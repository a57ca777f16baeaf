"""Sessions checked against the stored user on every request (token version, active,
role), and the reset token's shape, with fakes in place of DynamoDB."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.adapters.security import TokenSigner
from chalicelib.domain.errors import Conflict, InvalidInput, Unauthorized
from chalicelib.domain.identity import Principal, Role, User
from chalicelib.services.auth import AuthService
from chalicelib.services.password_reset import PasswordReset, new_token, token_hash, whose

SECRET = "s" * 40


class Users:
    """The user store the services need, in memory."""

    def __init__(self, *users: User) -> None:
        self.rows = {(u.tenant_id, u.user_id): u for u in users}
        self.resets: dict[tuple[str, str], tuple[str, float]] = {}
        self.reads = 0

    def user_by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    def get_user(self, tenant_id: str, user_id: str, consistent: bool = False) -> User | None:
        assert consistent, "a session check must not read a stale user"
        self.reads += 1
        return self.rows.get((tenant_id, user_id))

    def start_reset(self, tenant_id: str, user_id: str, hashed: str, expires_at: float) -> None:
        self.resets[(tenant_id, user_id)] = (hashed, expires_at)

    def consume_reset(self, tenant_id: str, user_id: str, hashed: str, now: float,
                      password_hash: str) -> None:
        live = self.resets.get((tenant_id, user_id))
        user = self.rows.get((tenant_id, user_id))
        if live is None or live[0] != hashed or live[1] <= now or user is None or not user.active:
            raise Conflict("use password reset: the item changed")
        del self.resets[(tenant_id, user_id)]
        self.rows[(tenant_id, user_id)] = dataclasses.replace(
            user, password_hash=password_hash, token_version=user.token_version + 1)


class PlainHasher:
    def hash(self, password: str) -> str:
        return "h:" + password

    def verify(self, stored: str, password: str) -> bool:
        return stored == "h:" + password


class NoLimits:
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None:
        return None


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, text: str) -> None:
        self.sent.append((to, subject, text))


ANN = User("tn_1", "u_ann", "ann@example.com", "Ann", Role.AGENT, "h:old-password")


def _auth(users: Users) -> tuple[AuthService, TokenSigner]:
    signer = TokenSigner(SECRET, 600)
    return AuthService(users, PlainHasher(), signer, NoLimits()), signer


def test_a_session_of_the_current_token_version_is_accepted_with_one_read() -> None:
    users = Users(dataclasses.replace(ANN, token_version=3))
    auth, signer = _auth(users)
    token = signer.issue(Principal("tn_1", "u_ann", Role.AGENT), token_version=3)
    assert auth.authenticate(token) == Principal("tn_1", "u_ann", Role.AGENT)
    assert users.reads == 1


def test_a_session_of_an_older_token_version_is_refused() -> None:
    auth, signer = _auth(Users(dataclasses.replace(ANN, token_version=4)))
    token = signer.issue(Principal("tn_1", "u_ann", Role.AGENT), token_version=3)
    with pytest.raises(Unauthorized, match="log in again"):
        auth.authenticate(token)


def test_a_deactivated_or_missing_user_has_no_session() -> None:
    auth, signer = _auth(Users(dataclasses.replace(ANN, active=False)))
    with pytest.raises(Unauthorized, match="deactivated"):
        auth.authenticate(signer.issue(Principal("tn_1", "u_ann", Role.AGENT)))
    with pytest.raises(Unauthorized, match="no longer exists"):
        auth.authenticate(signer.issue(Principal("tn_1", "u_gone", Role.AGENT)))


def test_the_stored_role_wins_over_the_role_in_the_token() -> None:
    auth, signer = _auth(Users(dataclasses.replace(ANN, role=Role.SUPERVISOR)))
    who = auth.authenticate(signer.issue(Principal("tn_1", "u_ann", Role.AGENT)))
    assert who.role is Role.SUPERVISOR


def test_login_carries_the_token_version_and_refuses_a_deactivated_user() -> None:
    users = Users(dataclasses.replace(ANN, token_version=2))
    auth, signer = _auth(users)
    session = auth.login("ann@example.com", "old-password", "ip")
    assert signer.verify_session(str(session["token"]))[1] == 2
    users.rows[("tn_1", "u_ann")] = dataclasses.replace(ANN, active=False)
    with pytest.raises(Unauthorized, match="deactivated"):
        auth.login("ann@example.com", "old-password", "ip")


def test_a_session_issued_before_versions_counts_as_version_zero() -> None:
    import jwt

    token = jwt.encode({"iss": "hotline", "sub": "u_ann", "tid": "tn_1", "role": "agent",
                        "iat": 1, "exp": 2**40}, SECRET, algorithm="HS256")
    auth, _ = _auth(Users(ANN))
    assert auth.authenticate(token).user_id == "u_ann"


def test_a_reset_token_names_its_user_and_only_its_hash_is_kept() -> None:
    users, outbox, now = Users(ANN), Outbox(), [1_000.0]
    reset = PasswordReset(users, PlainHasher(), outbox, NoLimits(),
                          link=lambda t: "https://hotline.example/reset#token=" + t,
                          clock=lambda: now[0])
    reset.request("ANN@example.com ", "ip")
    (to, _, text), = outbox.sent
    token = text.split("#token=")[1].split()[0]
    assert to == "ann@example.com" and whose(token) == ("tn_1", "u_ann")
    assert users.resets[("tn_1", "u_ann")] == (token_hash(token), 1_000.0 + 30 * 60)
    assert token not in str(users.resets)
    # a second request replaces the first link
    reset.request("ann@example.com", "ip")
    with pytest.raises(InvalidInput, match="expired or was already used"):
        reset.confirm(token, "a-new-password", "ip")


def test_an_unknown_or_deactivated_address_gets_no_mail_and_no_error() -> None:
    outbox = Outbox()
    reset = PasswordReset(Users(dataclasses.replace(ANN, active=False)), PlainHasher(), outbox,
                          NoLimits(), link=str)
    reset.request("nobody@example.com", "ip")
    reset.request("ann@example.com", "ip")
    assert outbox.sent == []


@pytest.mark.parametrize("token", ["", "no-dot", "a.b.c", "!!!." + "x" * 43,
                                   new_token(ANN).split(".")[0] + ".short"])
def test_a_malformed_token_is_invalid_naming_the_token(token: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        whose(token)
    assert caught.value.path == "token"
