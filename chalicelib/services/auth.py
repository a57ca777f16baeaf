"""Logging in and checking sessions."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.errors import InvalidInput, NotFound, Unauthorized
from chalicelib.domain.identity import Principal, User


class UserStore(Protocol):
    def user_by_email(self, email: str) -> User | None: ...
    def get_user(self, tenant_id: str, user_id: str) -> User | None: ...


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, stored_hash: str, password: str) -> bool: ...


class Signer(Protocol):
    def issue(self, principal: Principal) -> str: ...
    def verify(self, token: str) -> Principal: ...


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
        principal = Principal(tenant_id=user.tenant_id, user_id=user.user_id, role=user.role)
        return {"token": self.signer.issue(principal), "user": user.public()}

    def authenticate(self, token: str) -> Principal:
        return self.signer.verify(token)

    def me(self, principal: Principal) -> User:
        user = self.users.get_user(principal.tenant_id, principal.user_id)
        if user is None:
            raise NotFound("your user no longer exists")
        return user
