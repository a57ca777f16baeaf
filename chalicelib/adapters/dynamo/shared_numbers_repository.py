"""Every phone number, and a number's shared menu, in DynamoDB (the operator's routing).

The menu is written with one UpdateItem that touches only the sharing attributes, so an
owner binding the number to another flow at the same moment loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.adapters.dynamo.errors import dynamo_call
from chalicelib.adapters.dynamo.models.tenants import PhoneNumberModel
from chalicelib.adapters.dynamo.tenant_repository import _number
from chalicelib.domain.identity import PhoneNumber
from chalicelib.domain.shared_numbers import SharedLine


class SharedNumberRepository:
    @dynamo_call("list every number")
    def all_numbers(self) -> list[PhoneNumber]:
        """Every number: a Scan, for the operator's console only (never a webhook's path)."""
        return sorted((_number(m) for m in PhoneNumberModel.scan()), key=lambda n: n.number)

    @dynamo_call("share a number")
    def set_menu(self, number: str, menu: Sequence[SharedLine], greeting: str) -> None:
        tenants: Any = [line.tenant_id for line in menu]
        PhoneNumberModel(number).update(
            actions=[PhoneNumberModel.shared_menu.set([line.public() for line in menu]),
                     PhoneNumberModel.greeting.set(greeting),
                     PhoneNumberModel.shared_tenants.set(tenants)],
            condition=PhoneNumberModel.number.exists())

    @dynamo_call("make a number ordinary")
    def clear_menu(self, number: str) -> None:
        PhoneNumberModel(number).update(
            actions=[PhoneNumberModel.shared_menu.remove(), PhoneNumberModel.greeting.remove(),
                     PhoneNumberModel.shared_tenants.set([])],
            condition=PhoneNumberModel.number.exists())
