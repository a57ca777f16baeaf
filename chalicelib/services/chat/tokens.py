"""Visitor tokens: signed, expiring, bound to one tenant's one conversation."""

from __future__ import annotations

import time
from dataclasses import dataclass

from chalicelib.domain.errors import Forbidden, Unauthorized

ISSUER = "hotline-chat"
AUDIENCE = "chat-visitor"
TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Visitor:
    tenant_id: str
    conversation_id: str


class VisitorTokens:
    def __init__(self, secret: str, ttl_seconds: int = TTL_SECONDS) -> None:
        # A key of its own, derived from the session secret: a visitor token is never a
        # session token (different issuer and audience too).
        self._secret = "chat-visitor|" + secret
        self._ttl = ttl_seconds

    def issue(self, tenant_id: str, conversation_id: str, now: float | None = None) -> str:
        import jwt

        issued = int(time.time() if now is None else now)
        claims = {"iss": ISSUER, "aud": AUDIENCE, "tid": tenant_id, "cid": conversation_id,
                  "iat": issued, "exp": issued + self._ttl}
        return str(jwt.encode(claims, self._secret, algorithm="HS256"))

    def verify(self, token: str, conversation_id: str) -> Visitor:
        """The visitor, if ``token`` is valid and names exactly this conversation."""
        import jwt

        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], issuer=ISSUER,
                                audience=AUDIENCE,
                                options={"require": ["exp", "iat", "tid", "cid"]})
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("this chat has expired; start a new one") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("invalid visitor token") from exc
        if claims["cid"] != conversation_id:
            raise Forbidden("this visitor token is for another conversation")
        return Visitor(tenant_id=str(claims["tid"]), conversation_id=str(claims["cid"]))
