"""Shared numbers (services/shared_numbers): the operator's menu and the calls it answers."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.services.shared_numbers.admin import SharedNumberAdmin
    from chalicelib.services.shared_numbers.front import SharedFront

__all__ = ["get_shared_front", "get_shared_number_admin"]


@lru_cache(maxsize=1)
def get_shared_number_admin() -> SharedNumberAdmin:
    from chalicelib.adapters.dynamo.shared_numbers_repository import SharedNumberRepository
    from chalicelib.services.shared_numbers.admin import SharedNumberAdmin

    wiring.bound_settings()
    return SharedNumberAdmin(wiring.get_tenant_repository(), SharedNumberRepository(),
                             time.time)


@lru_cache(maxsize=1)
def get_shared_front() -> SharedFront:
    from chalicelib.adapters.twilio.shared_twiml import render_shared
    from chalicelib.services.shared_numbers.front import SharedFront

    return SharedFront(wiring.bound_settings(), wiring.get_directory(), render_shared,
                       numbers_of=wiring.get_tenant_repository().numbers_of)
