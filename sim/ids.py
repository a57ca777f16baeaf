"""Identifiers and timestamps in Twilio's formats."""

from __future__ import annotations

import secrets
import time
from email.utils import formatdate


def new_sid(prefix: str) -> str:
    """A Twilio-style SID: two-letter prefix and 32 lowercase hex digits (CA…, SM…, PN…)."""
    return prefix + secrets.token_hex(16)


def new_token() -> str:
    """An auth token as Twilio issues them: 32 hex digits."""
    return secrets.token_hex(16)


def rfc2822(epoch: float | None = None) -> str:
    """A date as Twilio's REST API and callbacks write it: 'Tue, 31 Aug 2010 20:36:28 +0000'."""
    return formatdate(epoch if epoch is not None else time.time(), usegmt=False).replace(
        "-0000", "+0000"
    )
