"""``POST /api/voice/token``: what the agent's browser needs to take calls.

Real mode: a short-lived Twilio access token (a VoiceGrant, incoming allowed, outgoing
through the tenant's TwiML App), signed with the tenant's API key. The key and the App
are made in the tenant's subaccount at signup, or on first use for older tenants.
Local mode (the simulator is the carrier): the simulator's URL and the account SID, for
the page's device adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from chalicelib.domain.calls.voice import VoiceCredentials
from chalicelib.domain.errors import HotlineError, NotFound
from chalicelib.domain.identity import Principal, Tenant
from chalicelib.services.calls.ports import CallUrls, TenantVoiceStore, VoiceSetup

log = logging.getLogger("hotline.calls.voice")

Sign = Callable[[str, VoiceCredentials, str, int], str]


class VoiceTokens:
    def __init__(self, tenants: TenantVoiceStore, setup: VoiceSetup, urls: CallUrls,
                 sign: Sign, *, sim_url: str | None, ttl: int = 3600) -> None:
        self.tenants = tenants
        self.setup = setup
        self.urls = urls
        self.sign = sign
        self.sim_url = sim_url
        self.ttl = ttl

    def token(self, who: Principal) -> dict[str, Any]:
        tenant = self.tenants.get(who.tenant_id)
        if tenant is None:
            raise NotFound("your business was not found")
        identity = who.user_id
        if self.sim_url:
            return {"identity": identity, "mode": "sim", "sim_url": self.sim_url,
                    "account_sid": tenant.twilio_account_sid}
        credentials = self.ensure(tenant)
        return {"identity": identity, "mode": "twilio", "expires_in": self.ttl,
                "token": self.sign(tenant.twilio_account_sid, credentials, identity, self.ttl)}

    def ensure(self, tenant: Tenant) -> VoiceCredentials:
        """The tenant's API key and TwiML App, made once (first writer wins)."""
        found = self.tenants.voice_credentials(tenant.tenant_id)
        if found is not None:
            return found
        made = self.setup.create(tenant, self.urls.client_voice())
        stored = self.tenants.save_voice_credentials(tenant.tenant_id, made)
        if stored.api_key_sid != made.api_key_sid:
            # Another request made and stored them first: ours are spare; delete them.
            try:
                self.setup.discard(tenant, made)
            except HotlineError as exc:
                log.warning("spare voice key %s of %s not deleted: %s", made.api_key_sid,
                            tenant.tenant_id, exc.message)
        return stored

    def provision(self, tenant: Tenant) -> dict[str, Any]:
        """Signup: make them now (in local mode too: the simulator keeps keys and Apps as
        Twilio does). A failure is logged; the first token request makes them then."""
        try:
            self.ensure(tenant)
        except HotlineError as exc:
            log.warning("voice setup for %s deferred: %s", tenant.tenant_id, exc.message)
        return {}
