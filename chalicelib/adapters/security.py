"""Password hashing (argon2id) and session tokens (HS256 JWTs with expiry)."""

from __future__ import annotations

import time
from typing import Any

from chalicelib.domain.errors import Unauthorized
from chalicelib.domain.identity import Principal, Role


class PasswordHasher:
    """argon2id via argon2-cffi, with its recommended parameters."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher as Argon2

        self._argon = Argon2()

    def hash(self, password: str) -> str:
        return str(self._argon.hash(password))

    def verify(self, stored_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._argon.verify(stored_hash, password))
        except (VerificationError, InvalidHashError):
            return False


class TokenSigner:
    ISSUER = "hotline"

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._secret = secret
        self._ttl = ttl_seconds

    def issue(self, principal: Principal, now: float | None = None,
              token_version: int = 0) -> str:
        """A session for ``principal``; ``tv`` is the user's token version when issued."""
        import jwt

        issued = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": self.ISSUER, "sub": principal.user_id, "tid": principal.tenant_id,
            "role": principal.role.value, "iat": issued, "exp": issued + self._ttl,
            "tv": int(token_version),
        }
        return str(jwt.encode(claims, self._secret, algorithm="HS256"))

    def verify(self, token: str) -> Principal:
        return self.verify_session(token)[0]

    def verify_session(self, token: str) -> tuple[Principal, int]:
        """The principal and the token version (0 for sessions issued before versions)."""
        import jwt

        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], issuer=self.ISSUER,
                                options={"require": ["exp", "iat", "sub", "tid", "role"]})
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("your session has expired; log in again") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("invalid session token") from exc
        try:
            role = Role(claims["role"])
        except ValueError as exc:
            raise Unauthorized("invalid session token") from exc
        version = claims.get("tv", 0)
        if not isinstance(version, int) or isinstance(version, bool):
            raise Unauthorized("invalid session token")
        return (Principal(tenant_id=str(claims["tid"]), user_id=str(claims["sub"]), role=role),
                version)
