"""Named domain errors, one per failure a caller can act on.

Adapters translate their provider's errors into these (``raise ... from exc``);
the HTTP layer maps each to one status code in one place.
"""

from __future__ import annotations


class HotlineError(Exception):
    """Base of every error Hotline raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HotlineError):
    """The request or document is malformed; ``path`` points at the bad part."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class NotFound(HotlineError):
    """The object does not exist, or belongs to another tenant."""


class Conflict(HotlineError):
    """A conditional write lost a race, or the object is in the wrong state."""


class Unavailable(HotlineError):
    """A dependency is throttled, timed out or down; the caller may retry."""


class Unauthorized(HotlineError):
    """No valid credentials or session."""


class Forbidden(HotlineError):
    """Authenticated, but the role or tenant does not allow this."""


class RateLimited(HotlineError):
    """Too many attempts; try again later."""


class NotInService(NotFound):
    """The dialled or texted number belongs to no tenant."""
