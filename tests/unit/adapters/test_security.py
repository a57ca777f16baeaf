from __future__ import annotations

import pytest

from chalicelib.adapters.security import PasswordHasher, TokenSigner
from chalicelib.domain.errors import Unauthorized
from chalicelib.domain.identity import Principal, Role

SECRET = "x" * 40


def test_password_hash_verifies_only_the_right_password() -> None:
    hasher = PasswordHasher()
    stored = hasher.hash("correct horse")
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, "correct horse")
    assert not hasher.verify(stored, "wrong")
    assert not hasher.verify("not-a-hash", "correct horse")


def test_token_round_trips_the_principal() -> None:
    signer = TokenSigner(SECRET, 60)
    who = Principal("tn_1", "u_1", Role.AGENT)
    assert signer.verify(signer.issue(who)) == who


def test_expired_token_is_unauthorized() -> None:
    signer = TokenSigner(SECRET, 60)
    token = signer.issue(Principal("tn_1", "u_1", Role.AGENT), now=1_000)
    with pytest.raises(Unauthorized, match="expired"):
        signer.verify(token)


def test_token_signed_with_another_secret_is_unauthorized() -> None:
    token = TokenSigner("y" * 40, 60).issue(Principal("tn_1", "u_1", Role.OWNER))
    with pytest.raises(Unauthorized):
        TokenSigner(SECRET, 60).verify(token)


def test_roles_rank_agent_below_supervisor_below_owner() -> None:
    from chalicelib.domain.errors import Forbidden

    Principal("t", "u", Role.OWNER).require(Role.SUPERVISOR)
    with pytest.raises(Forbidden):
        Principal("t", "u", Role.AGENT).require(Role.SUPERVISOR)
    with pytest.raises(Forbidden):
        Principal("t", "u", Role.AGENT).owns("other-tenant")
