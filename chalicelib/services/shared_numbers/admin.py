"""The operator's shared numbers: list every number, make one shared, make it ordinary.

The operator sees only the routing: each number's owner, its menu (business, key, the
business's own number it forwards to) and greeting; never a call, contact or message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import unquote

from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.identity import PLATFORM_TENANT, PhoneNumber, Tenant
from chalicelib.domain.shared_numbers import SharedLine, check_greeting, check_menu


class Directory(Protocol):
    def number(self, number: str) -> PhoneNumber | None: ...
    def get(self, tenant_id: str) -> Tenant | None: ...
    def numbers_of(self, tenant_id: str) -> list[PhoneNumber]: ...


class MenuStore(Protocol):
    def all_numbers(self) -> list[PhoneNumber]: ...
    def set_menu(self, number: str, menu: Sequence[SharedLine], greeting: str) -> None: ...
    def clear_menu(self, number: str) -> None: ...


def number_view(number: PhoneNumber, owner: Tenant | None) -> dict[str, Any]:
    return {
        "number": number.number,
        "friendly_name": number.friendly_name,
        "owner": {"tenant_id": number.tenant_id, "name": owner.name if owner else None},
        "shared": number.is_shared,
        "greeting": number.greeting if number.is_shared else None,
        "tenants": [line.public() for line in number.shared_menu],
    }


class SharedNumberAdmin:
    def __init__(self, directory: Directory, menus: MenuStore,
                 clock: Callable[[], float]) -> None:
        self.directory = directory
        self.menus = menus
        self.clock = clock

    def list(self) -> dict[str, Any]:
        numbers = self.menus.all_numbers()
        owners = {t: self.directory.get(t) for t in {n.tenant_id for n in numbers}}
        return {"numbers": [number_view(n, owners[n.tenant_id]) for n in numbers]}

    def share(self, e164: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Make ``e164`` shared: POST body ``{"tenants": [{"tenant_id", "digit"}],
        "greeting"}``. Each business must exist, be active and own a number of its own."""
        number = self._number(e164)
        greeting = check_greeting(str(body.get("greeting") or ""))
        rows = list(body.get("tenants") or [])
        check_menu([(str(r.get("tenant_id", "")), str(r.get("digit", ""))) for r in rows])
        now = self.clock()
        menu = [self._line(number, i, str(r["tenant_id"]), str(r["digit"]), now)
                for i, r in enumerate(rows)]
        self.menus.set_menu(number.number, menu, greeting)
        shared = PhoneNumber(number.number, number.tenant_id, number.flow_id,
                             number.sms_flow_id, tuple(line.tenant_id for line in menu),
                             number.friendly_name, tuple(menu), greeting)
        return number_view(shared, self.directory.get(number.tenant_id))

    def unshare(self, e164: str) -> dict[str, Any]:
        number = self._number(e164)
        self.menus.clear_menu(number.number)
        plain = PhoneNumber(number.number, number.tenant_id, number.flow_id,
                            number.sms_flow_id, (), number.friendly_name)
        return number_view(plain, self.directory.get(number.tenant_id))

    def _number(self, e164: str) -> PhoneNumber:
        wanted = unquote(e164).strip()
        number = self.directory.number(wanted)
        if number is None:
            raise NotFound(f"there is no number {wanted}")
        return number

    def _line(self, shared: PhoneNumber, i: int, tenant_id: str, digit: str,
              now: float) -> SharedLine:
        field = f"tenants[{i}].tenant_id"
        tenant = self.directory.get(tenant_id) if tenant_id != PLATFORM_TENANT else None
        if tenant is None:
            raise InvalidInput(f"there is no tenant {tenant_id!r}", path=field)
        reason = tenant.standing().reason(now)
        if reason is not None:
            raise InvalidInput(f"tenant {tenant.name!r} is not active ({reason})", path=field)
        own = sorted(n.number for n in self.directory.numbers_of(tenant_id)
                     if n.number != shared.number and not n.is_shared)
        if not own:
            raise InvalidInput(f"tenant {tenant.name!r} ({tenant_id}) has no number of its "
                               "own to take the calls: give it one first", path=field)
        return SharedLine(tenant_id, digit, own[0], tenant.name)
