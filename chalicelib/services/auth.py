"""Logging in and checking sessions."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.errors import InvalidInput, NotFound, Unauthorized
from chalicelib.domain.identity import Principal, User


class UserStore(Protocol):
    def user_by_email(self, email: str) -> User | None: ...
    def get_user(self, tenant_id: str, user_id: str,
                 consistent: bool = False) -> User | None: ...


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, stored_hash: str, password: str) -> bool: ...


class Signer(Protocol):
    def issue(self, principal: Principal, now: float | None = None,
              token_version: int = 0) -> str: ...
    def verify_session(self, token: str) -> tuple[Principal, int]: ...


class Limiter(Protocol):
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None: ...


LOGIN_LIMIT_PER_EMAIL = 10
LOGIN_LIMIT_PER_SOURCE = 60
LOGIN_WINDOW_SECONDS = 300
# A real hash, so an unknown email costs as much time as a wrong password.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$oO9l5cb2ajiwytJat4r+NQ$"
    "RB9ptm7xG6itLM+azu3upgcBkH1QmkjSFGKezZxj8rw"
)


class AuthService:
    def __init__(self, users: UserStore, hasher: Hasher, signer: Signer,
                 limiter: Limiter) -> None:
        self.users = users
        self.hasher = hasher
        self.signer = signer
        self.limiter = limiter

    def login(self, email: object, password: object, source: str) -> dict[str, object]:
        if not isinstance(email, str) or "@" not in email:
            raise InvalidInput("email is required", path="email")
        if not isinstance(password, str) or not password:
            raise InvalidInput("password is required", path="password")
        email = email.strip().lower()
        self.limiter.hit(f"login#email#{email}", LOGIN_LIMIT_PER_EMAIL, LOGIN_WINDOW_SECONDS)
        self.limiter.hit(f"login#source#{source}", LOGIN_LIMIT_PER_SOURCE, LOGIN_WINDOW_SECONDS)
        user = self.users.user_by_email(email)
        stored = user.password_hash if user else _DUMMY_HASH
        if not self.hasher.verify(stored, password) or user is None:
            raise Unauthorized("wrong email or password")
        if not user.active:
            raise Unauthorized("this account is deactivated; ask your business's owner")
        principal = Principal(tenant_id=user.tenant_id, user_id=user.user_id, role=user.role)
        return {"token": self.signer.issue(principal, token_version=user.token_version),
                "user": user.public()}

    def authenticate(self, token: str) -> Principal:
        """A verified session whose user still exists, is active and has not had its
        sessions ended since (token version). One consistent GetItem per request, so a
        deactivation or a password reset takes effect on the very next request; the role
        is the stored one, so a role change does too."""
        claimed, version = self.signer.verify_session(token)
        user = self.users.get_user(claimed.tenant_id, claimed.user_id, consistent=True)
        if user is None:
            raise Unauthorized("your user no longer exists")
        if not user.active:
            raise Unauthorized("your account has been deactivated")
        if version != user.token_version:
            raise Unauthorized("your session has ended; log in again")
        return Principal(tenant_id=user.tenant_id, user_id=user.user_id, role=user.role)

    def me(self, principal: Principal) -> User:
        user = self.users.get_user(principal.tenant_id, principal.user_id)
        if user is None:
            raise NotFound("your user no longer exists")
        return user
