"""Operator logins: made once per stage, refused twice unless forced."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.identity import PLATFORM_TENANT, Role, User
from chalicelib.services.operator.accounts import OperatorAccounts, OperatorExists


class FakeUsers:
    def __init__(self) -> None:
        self.users: list[User] = []

    def list_users(self, tenant_id: str) -> list[User]:
        return [u for u in self.users if u.tenant_id == tenant_id]

    def user_by_email(self, email: str) -> User | None:
        return next((u for u in self.users if u.email == email), None)

    def add_user(self, user: User) -> None:
        if self.user_by_email(user.email):
            raise Conflict("that email is already registered")
        self.users.append(user)


class FakeHasher:
    def hash(self, password: str) -> str:
        return "hashed:" + password


def test_the_first_operator_is_a_platform_user_with_the_operator_role() -> None:
    users = FakeUsers()
    made = OperatorAccounts(users, FakeHasher(), clock=lambda: 5.0).create(
        "Ops@Example.com", "long-enough-password", "Pat")
    assert made.tenant_id == PLATFORM_TENANT and made.role is Role.OPERATOR
    assert made.email == "ops@example.com" and made.password_hash == "hashed:long-enough-password"
    assert users.users == [made]


def test_a_second_operator_is_refused_unless_forced() -> None:
    accounts = OperatorAccounts(FakeUsers(), FakeHasher())
    accounts.create("one@example.com", "long-enough-password")
    with pytest.raises(OperatorExists, match=r"one@example\.com"):
        accounts.create("two@example.com", "long-enough-password")
    accounts.create("two@example.com", "long-enough-password", force=True)
    assert [u.email for u in accounts.operators()] == ["one@example.com", "two@example.com"]


def test_a_short_password_or_bad_email_is_refused_naming_it() -> None:
    accounts = OperatorAccounts(FakeUsers(), FakeHasher())
    with pytest.raises(InvalidInput) as short:
        accounts.create("ops@example.com", "short")
    assert short.value.path == "password"
    with pytest.raises(InvalidInput) as bad:
        accounts.create("not-an-email", "long-enough-password")
    assert bad.value.path == "email"


def test_ensure_finds_the_seeded_operator_instead_of_making_another() -> None:
    users = FakeUsers()
    accounts = OperatorAccounts(users, FakeHasher())
    first = accounts.ensure("ops@example.com", "long-enough-password", "Pat")
    again = accounts.ensure("ops@example.com", "long-enough-password", "Pat")
    assert again == first and len(users.users) == 1
