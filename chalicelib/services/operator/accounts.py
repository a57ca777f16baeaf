"""The platform's operator accounts: ordinary users under ``PLATFORM_TENANT`` with the
operator role. The first one of a deployed stage is made once, from the command line
(``./dev operator create <stage>``); ``./dev up`` seeds one for the local run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from chalicelib.domain.errors import Conflict
from chalicelib.domain.identity import PLATFORM_TENANT, Role, User
from chalicelib.services.onboarding import check_email, check_password, new_id


class UserStore(Protocol):
    def list_users(self, tenant_id: str) -> list[User]: ...
    def user_by_email(self, email: str) -> User | None: ...
    def add_user(self, user: User) -> None: ...


class Hasher(Protocol):
    def hash(self, password: str) -> str: ...


class OperatorExists(Conflict):
    """A stage already has an operator: making another needs ``--force``."""


class OperatorAccounts:
    def __init__(self, users: UserStore, hasher: Hasher,
                 clock: Callable[[], float] = time.time) -> None:
        self.users = users
        self.hasher = hasher
        self.clock = clock

    def operators(self) -> list[User]:
        return [u for u in self.users.list_users(PLATFORM_TENANT) if u.role is Role.OPERATOR]

    def create(self, email: str, password: str, name: str = "Operator",
               force: bool = False) -> User:
        """A new operator login. Refused (OperatorExists) when the stage has one already,
        unless ``force``; an email in use anywhere is refused (Conflict)."""
        address = check_email({"email": email})
        secret = check_password(password)
        existing = self.operators()
        if existing and not force:
            raise OperatorExists(f"this stage already has an operator ({existing[0].email}); "
                                 "use --force to add another")
        user = User(tenant_id=PLATFORM_TENANT, user_id=new_id("op"), email=address,
                    name=name.strip() or "Operator", role=Role.OPERATOR,
                    password_hash=self.hasher.hash(secret), created_at=self.clock())
        self.users.add_user(user)
        return user

    def ensure(self, email: str, password: str, name: str) -> User:
        """The operator with this email, made if missing (the local run's seed)."""
        found = self.users.user_by_email(email)
        if found is not None:
            return found
        return self.create(email, password, name, force=True)
