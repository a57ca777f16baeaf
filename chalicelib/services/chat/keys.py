"""The tenant's public web chat widget key: made once, on first use (first writer wins)."""

from __future__ import annotations

import secrets

from chalicelib.domain.chat import widget_key_for
from chalicelib.services.chat.ports import Tenants


class WidgetKeys:
    def __init__(self, tenants: Tenants) -> None:
        self.tenants = tenants

    def ensure(self, tenant_id: str) -> str:
        stored = self.tenants.widget_key(tenant_id)
        if stored:
            return stored
        return self.tenants.save_widget_key(tenant_id,
                                            widget_key_for(tenant_id, secrets.token_hex(12)))
