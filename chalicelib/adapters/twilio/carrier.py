"""Outbound carrier actions through Twilio's REST API (errors: adapters/twilio/errors.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.twilio.errors import twilio_call
from chalicelib.adapters.twilio.rest import twilio_client
from chalicelib.config import Settings
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.identity import Tenant


class TwilioCarrier:
    """Sends messages and places calls on a tenant's Twilio (sub)account."""

    def __init__(self, settings: Settings,
                 client_for: Callable[..., Any] = twilio_client) -> None:
        self.settings = settings
        self.client_for = client_for

    def _client(self, tenant: Tenant) -> Any:
        return self.client_for(self.settings, tenant.twilio_account_sid,
                               tenant.twilio_auth_token)

    def send_message(self, tenant: Tenant, from_: str, to: str, body: str,
                     media_urls: tuple[str, ...] = (),
                     status_callback: str | None = None) -> str:
        with twilio_call("send message"):
            message = self._client(tenant).messages.create(
                from_=from_, to=to, body=body, media_url=list(media_urls) or None,
                status_callback=status_callback)
        return str(message.sid)

    def place_call(self, tenant: Tenant, from_: str, to: str, url: str, timeout: int = 60,
                   status_callback: str | None = None) -> str:
        with twilio_call("place call"):
            call = self._client(tenant).calls.create(
                from_=from_, to=to, url=url, timeout=timeout,
                status_callback=status_callback)
        return str(call.sid)


class TwilioAccounts:
    """A Twilio subaccount per tenant, and its phone numbers."""

    def __init__(self, settings: Settings,
                 client_for: Callable[..., Any] = twilio_client) -> None:
        self.settings = settings
        self.client_for = client_for

    def create_subaccount(self, friendly_name: str) -> tuple[str, str]:
        with twilio_call("create subaccount"):
            account = self.client_for(self.settings).api.v2010.accounts.create(
                friendly_name=friendly_name[:64])
        return str(account.sid), str(account.auth_token)

    def buy_number(self, account_sid: str, auth_token: str, country: str,
                   area_code: str | None, voice_url: str, sms_url: str,
                   status_callback: str) -> str:
        client = self.client_for(self.settings, account_sid, auth_token)
        try:
            with twilio_call("search numbers"):
                search = client.available_phone_numbers(country).local.list(
                    area_code=area_code or None, sms_enabled=True, voice_enabled=True,
                    limit=1)
        except NotFound as exc:  # Twilio answers 404 for a country it has no numbers in
            raise InvalidInput(f"no phone numbers are sold in {country!r}",
                               path="country") from exc
        if not search:
            raise InvalidInput("no phone number is available there; try another area code",
                               path="area_code")
        with twilio_call("buy number"):
            bought = client.incoming_phone_numbers.create(
                phone_number=search[0].phone_number, voice_url=voice_url, voice_method="POST",
                sms_url=sms_url, sms_method="POST", status_callback=status_callback,
                status_callback_method="POST")
        return str(bought.phone_number)

    def release_number(self, account_sid: str, auth_token: str, number: str) -> None:
        """Give a bought number back (a signup that failed after buying it)."""
        self._release(self.client_for(self.settings, account_sid, auth_token), number)

    def release_number_as_platform(self, account_sid: str, number: str) -> None:
        """The same, with the platform's credentials on the subaccount (the sweep's way: it
        keeps no tenant token)."""
        from chalicelib.adapters.twilio.rest import platform_client_for

        self._release(platform_client_for(self.settings, account_sid), number)

    @staticmethod
    def _release(client: Any, number: str) -> None:
        with twilio_call("find number"):
            owned = client.incoming_phone_numbers.list(phone_number=number, limit=20)
        for found in owned:
            with twilio_call("release number"):
                client.incoming_phone_numbers(found.sid).delete()
