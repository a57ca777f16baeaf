"""A tenant's price plan: per-unit prices, included units, a monthly fee and minimum.

The operator sets ``Tenant.plan`` (``PATCH /api/operator/tenants/{id}``), validated with
``PLAN_SCHEMA``; ``Plan.from_dict`` reads it back. A tenant with no plan pays
``DEFAULT_PLAN``. A kind a plan leaves out of ``prices`` keeps the default plan's price,
so an operator can discount one kind without restating the others.

Money is ``Decimal`` throughout (built from the decimal text of each number, never from a
binary float's digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# What is metered (docs/billing.md says how each is counted).
KINDS: tuple[str, ...] = (
    "voice_in_minutes", "voice_out_minutes", "sms_in_segments", "sms_out_segments",
    "whatsapp_in", "whatsapp_out", "chat_conversations", "numbers", "recording_minutes",
)
UNITS: Mapping[str, str] = {
    "voice_in_minutes": "minute", "voice_out_minutes": "minute",
    "sms_in_segments": "segment", "sms_out_segments": "segment",
    "whatsapp_in": "message", "whatsapp_out": "message",
    "chat_conversations": "conversation", "numbers": "number-month",
    "recording_minutes": "minute",
}
LABELS: Mapping[str, str] = {
    "voice_in_minutes": "Voice, inbound", "voice_out_minutes": "Voice, outbound",
    "sms_in_segments": "SMS, inbound", "sms_out_segments": "SMS, outbound",
    "whatsapp_in": "WhatsApp, inbound", "whatsapp_out": "WhatsApp, outbound",
    "chat_conversations": "Web chat conversations", "numbers": "Phone numbers",
    "recording_minutes": "Recordings",
}

MAX_PRICE = 1000
MAX_FEE = 1_000_000
MAX_UNITS = 1_000_000_000

_PRICE: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": MAX_PRICE}
_UNITS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_UNITS}

# An OpenAPI 3.0 schema object (the dialect of chalicelib/routes/schema.py's validator).
PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 80},
        "currency": {"type": "string", "enum": ["USD"]},
        "monthly_fee": {"type": "number", "minimum": 0, "maximum": MAX_FEE},
        "monthly_minimum": {"type": "number", "minimum": 0, "maximum": MAX_FEE},
        "prices": {"type": "object", "properties": {k: dict(_PRICE) for k in KINDS},
                   "additionalProperties": False, "maxProperties": len(KINDS)},
        "included": {"type": "object", "properties": {k: dict(_UNITS) for k in KINDS},
                     "additionalProperties": False, "maxProperties": len(KINDS)},
    },
    "additionalProperties": False,
    "maxProperties": 6,
}


def money(value: object) -> Decimal:
    """A Decimal from a JSON number or text, by its decimal digits."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{value!r} is not an amount")
    return Decimal(str(value))


@dataclass(frozen=True)
class Plan:
    name: str
    currency: str
    monthly_fee: Decimal
    monthly_minimum: Decimal
    prices: Mapping[str, Decimal]
    included: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Plan:
        """The plan stored on a tenant (None: the default plan)."""
        if not data:
            return DEFAULT_PLAN
        prices = dict(DEFAULT_PLAN.prices)
        prices.update({k: money(v) for k, v in dict(data.get("prices") or {}).items()
                       if k in KINDS})
        included = {k: int(v) for k, v in dict(data.get("included") or {}).items()
                    if k in KINDS and int(v) > 0}
        return cls(name=str(data.get("name") or "Custom"),
                   currency=str(data.get("currency") or DEFAULT_PLAN.currency),
                   monthly_fee=money(data.get("monthly_fee", 0)),
                   monthly_minimum=money(data.get("monthly_minimum", 0)),
                   prices=prices, included=included)

    def price(self, kind: str) -> Decimal:
        return self.prices.get(kind, Decimal(0))

    def free_units(self, kind: str) -> int:
        return int(self.included.get(kind, 0))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (numbers as floats; the stored plan keeps the operator's)."""
        return {"name": self.name, "currency": self.currency,
                "monthly_fee": float(self.monthly_fee),
                "monthly_minimum": float(self.monthly_minimum),
                "prices": {k: float(v) for k, v in self.prices.items()},
                "included": dict(self.included)}


# Pay as you go: no fee, no minimum, nothing included; prices a little above Twilio's
# US list prices (docs/billing.md) so the platform covers carrier and AWS costs.
DEFAULT_PLAN = Plan(
    name="Pay as you go",
    currency="USD",
    monthly_fee=Decimal("0"),
    monthly_minimum=Decimal("0"),
    prices={
        "voice_in_minutes": Decimal("0.0150"),
        "voice_out_minutes": Decimal("0.0200"),
        "sms_in_segments": Decimal("0.0100"),
        "sms_out_segments": Decimal("0.0120"),
        "whatsapp_in": Decimal("0.0100"),
        "whatsapp_out": Decimal("0.0150"),
        "chat_conversations": Decimal("0.0200"),
        "numbers": Decimal("2.00"),
        "recording_minutes": Decimal("0.0040"),
    },
    included={},
)
