"""What the browser's Voice SDK needs from Twilio: an API key and a TwiML App in the
tenant's subaccount (made once), and short-lived access tokens signed with that key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.adapters.twilio.errors import twilio_call
from chalicelib.adapters.twilio.rest import twilio_client
from chalicelib.config import Settings
from chalicelib.domain.calls.voice import VoiceCredentials
from chalicelib.domain.identity import Tenant


def access_token(account_sid: str, credentials: VoiceCredentials, identity: str,
                 ttl: int) -> str:
    """A Voice access token: incoming calls to ``identity``; outgoing calls run the
    tenant's TwiML App. Signed (HS256) with the API key's secret."""
    from twilio.jwt.access_token import AccessToken
    from twilio.jwt.access_token.grants import VoiceGrant

    token = AccessToken(account_sid, credentials.api_key_sid, credentials.api_key_secret,
                        identity=identity, ttl=ttl)
    token.add_grant(VoiceGrant(incoming_allow=True,
                               outgoing_application_sid=credentials.twiml_app_sid))
    jwt = token.to_jwt()
    return jwt.decode() if isinstance(jwt, bytes) else str(jwt)


class TwilioVoiceSetup:
    """Creates the API key and the TwiML App in a tenant's subaccount."""

    def __init__(self, settings: Settings,
                 client_for: Callable[..., Any] = twilio_client) -> None:
        self.settings = settings
        self.client_for = client_for

    def create(self, tenant: Tenant, voice_url: str) -> VoiceCredentials:
        client = self.client_for(self.settings, tenant.twilio_account_sid,
                                 tenant.twilio_auth_token)
        with twilio_call("create the voice API key"):
            key = client.new_keys.create(friendly_name=f"Hotline voice {tenant.tenant_id}")
        with twilio_call("create the TwiML App"):
            app = client.applications.create(
                friendly_name=f"Hotline desktop {tenant.tenant_id}", voice_url=voice_url,
                voice_method="POST")
        return VoiceCredentials(api_key_sid=str(key.sid), api_key_secret=str(key.secret),
                                twiml_app_sid=str(app.sid))

    def discard(self, tenant: Tenant, credentials: VoiceCredentials) -> None:
        """Delete a key and App that lost the race to be the tenant's (made twice)."""
        client = self.client_for(self.settings, tenant.twilio_account_sid,
                                 tenant.twilio_auth_token)
        with twilio_call("delete a spare voice API key"):
            client.keys(credentials.api_key_sid).delete()
        with twilio_call("delete a spare TwiML App"):
            client.applications(credentials.twiml_app_sid).delete()
