"""A month's invoice: the plan applied to the month's units per kind.

Each usage line bills the units above the plan's included units at the plan's unit
price, rounded half-up to cents; the monthly fee is a line of its own; when usage comes
to less than the plan's monthly minimum, a "minimum top-up" line makes up the difference.
The total is the sum of the rounded lines, so the lines always add up to it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from chalicelib.domain.billing.plan import KINDS, LABELS, UNITS, Plan

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceLine:
    kind: str  # a usage kind, "monthly_fee" or "minimum_top_up"
    description: str
    quantity: int
    included: int
    billable: int
    unit: str
    unit_price: Decimal
    amount: Decimal

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "description": self.description, "quantity": self.quantity,
                "included": self.included, "billable": self.billable, "unit": self.unit,
                "unit_price": str(self.unit_price), "amount": str(self.amount)}


@dataclass(frozen=True)
class Invoice:
    tenant_id: str
    month: str
    plan: Plan
    lines: tuple[InvoiceLine, ...]
    usage_total: Decimal
    total: Decimal
    final: bool  # the month is over

    @property
    def currency(self) -> str:
        return self.plan.currency

    def to_dict(self) -> dict[str, object]:
        return {"tenant_id": self.tenant_id, "month": self.month, "plan": self.plan.name,
                "currency": self.currency, "status": "final" if self.final else "open",
                "lines": [line.to_dict() for line in self.lines],
                "usage_total": str(self.usage_total), "total": str(self.total)}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["month", "kind", "description", "quantity", "included", "billable",
                         "unit", "unit_price", "amount", "currency"])
        for line in self.lines:
            writer.writerow([self.month, line.kind, line.description, line.quantity,
                             line.included, line.billable, line.unit, line.unit_price,
                             line.amount, self.currency])
        writer.writerow([self.month, "total", "Total", "", "", "", "", "", self.total,
                         self.currency])
        return out.getvalue()


def build_invoice(tenant_id: str, month: str, plan: Plan, units: Mapping[str, int],
                  final: bool = False) -> Invoice:
    """The invoice for ``units`` (per kind) under ``plan``."""
    lines: list[InvoiceLine] = []
    for kind in KINDS:
        quantity = int(units.get(kind, 0) or 0)
        included = plan.free_units(kind)
        if not quantity and not included:
            continue
        billable = max(0, quantity - included)
        price = plan.price(kind)
        lines.append(InvoiceLine(kind, LABELS[kind], quantity, min(included, quantity),
                                 billable, UNITS[kind], price, cents(price * billable)))
    usage_total = sum((line.amount for line in lines), Decimal("0.00"))
    if plan.monthly_fee:
        fee = cents(plan.monthly_fee)
        lines.append(InvoiceLine("monthly_fee", "Monthly fee", 1, 0, 1, "month", fee, fee))
    top_up = cents(plan.monthly_minimum) - usage_total
    if top_up > 0:
        lines.append(InvoiceLine("minimum_top_up",
                                 f"Minimum top-up (monthly minimum {cents(plan.monthly_minimum)})",
                                 1, 0, 1, "month", top_up, top_up))
    total = sum((line.amount for line in lines), Decimal("0.00"))
    return Invoice(tenant_id, month, plan, tuple(lines), usage_total, total, final)
