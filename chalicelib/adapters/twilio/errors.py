"""Twilio's errors become domain errors here, in one place, for every REST call.

- 404: ``NotFound`` (a call, conference or participant Twilio does not know);
- 429 and 5xx: ``Unavailable`` (throttled or down: worth a retry);
- any other 4xx: ``InvalidInput`` (Twilio refused the request);
- a network failure or timeout (``requests`` raises ``OSError`` subclasses) or another
  ``TwilioException``: ``Unavailable``.

Anything else is a bug in Hotline and propagates unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.domain.errors import HotlineError, InvalidInput, NotFound, Unavailable


def translated(action: str, exc: BaseException) -> HotlineError | None:
    """The domain error for a Twilio client failure, or None if ``exc`` is not one."""
    from twilio.base.exceptions import TwilioException, TwilioRestException

    if isinstance(exc, TwilioRestException):
        status = int(exc.status or 0)
        if status == 404:
            return NotFound(f"{action}: Twilio does not know it")
        if status == 429 or status >= 500:
            return Unavailable(f"{action}: Twilio answered {status}")
        return InvalidInput(f"{action}: Twilio refused it ({status}: {exc.msg})")
    if isinstance(exc, TwilioException | OSError):
        return Unavailable(f"{action}: Twilio could not be reached ({type(exc).__name__})")
    return None


@contextmanager
def twilio_call(action: str) -> Iterator[None]:
    """Run one REST call; a Twilio failure leaves as its domain error (``from`` it)."""
    try:
        yield
    except Exception as exc:
        error = translated(action, exc)
        if error is None:
            raise
        raise error from exc
