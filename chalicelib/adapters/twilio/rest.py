"""The Twilio REST client, built lazily (twilio.rest costs ~200 ms to import).

In local mode ``TWILIO_API_BASE`` points every Twilio REST host at the carrier simulator.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from chalicelib.config import Settings


def _rebasing_http_client(api_base: str, timeout: float) -> Any:
    from twilio.http.http_client import TwilioHttpClient

    target = urlsplit(api_base)

    class RebasingHttpClient(TwilioHttpClient):
        """Sends every *.twilio.com request to ``api_base``, keeping path and query."""

        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            parts = urlsplit(url)
            if parts.hostname and parts.hostname.endswith("twilio.com"):
                url = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
            return super().request(method, url, *args, **kwargs)

    return RebasingHttpClient(timeout=timeout)


@lru_cache(maxsize=64)
def _client(account_sid: str, auth_token: str, api_base: str | None, timeout: float,
            on_behalf_of: str | None = None) -> Any:
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    http = (_rebasing_http_client(api_base, timeout) if api_base
            else TwilioHttpClient(timeout=timeout))
    return Client(account_sid, auth_token, account_sid=on_behalf_of, http_client=http)


def twilio_client(settings: Settings, account_sid: str | None = None,
                  auth_token: str | None = None) -> Any:
    """A client for the platform account, or for a tenant's subaccount."""
    return _client(account_sid or settings.twilio_account_sid,
                   auth_token or settings.twilio_auth_token,
                   settings.twilio_api_base, settings.http_timeout_seconds)


def platform_client_for(settings: Settings, subaccount_sid: str) -> Any:
    """The platform account's credentials acting on one of its subaccounts (Twilio lets a
    parent account manage its subaccounts' resources), so no tenant token is needed."""
    return _client(settings.twilio_account_sid, settings.twilio_auth_token,
                   settings.twilio_api_base, settings.http_timeout_seconds, subaccount_sid)
