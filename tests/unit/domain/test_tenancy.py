"""A tenant's standing (domain/tenancy.py): validity, media permissions, its messages,
the grace before its numbers are released, and what its admin sees."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import Forbidden
from chalicelib.domain.identity import Tenant
from chalicelib.domain.tenancy import (
    ALL_ON,
    DEFAULT_MESSAGES,
    EXPIRED,
    PERMISSIONS,
    NoSeatLeft,
    PermissionOff,
    SpendingCapReached,
    Standing,
    TenantInactive,
    require_seat,
)

NOW = 1_800_000_000.0
DAY = 86400.0


def test_a_new_standing_is_active_with_every_medium_on() -> None:
    standing = Standing()

    assert standing.active(NOW)
    assert standing.reason(NOW) is None
    assert standing.message(NOW) is None
    assert all(standing.allows(p) for p in PERMISSIONS)
    standing.require_active(NOW)  # raises nothing


def test_a_suspended_or_closed_tenant_is_not_active_whatever_its_validity() -> None:
    for status in ("suspended", "closed"):
        standing = Standing(status=status, valid_until=NOW + DAY)

        assert standing.reason(NOW) == status
        assert not standing.active(NOW)


def test_validity_ends_at_valid_until_exactly() -> None:
    standing = Standing(valid_until=NOW)

    assert standing.active(NOW - 1)
    assert standing.reason(NOW) == EXPIRED
    assert standing.reason(NOW + 1) == EXPIRED


def test_require_active_names_the_reason_and_the_date_it_expired() -> None:
    standing = Standing(valid_until=NOW - DAY)

    with pytest.raises(TenantInactive) as raised:
        standing.require_active(NOW)

    assert raised.value.reason == EXPIRED
    assert raised.value.error_code == "tenant_inactive"
    assert "expired" in raised.value.message
    assert "2027-01-14T08:00:00Z" in raised.value.message  # NOW - 1 day, in UTC
    assert isinstance(raised.value, Forbidden)


def test_suspension_is_explained_in_the_refusal() -> None:
    with pytest.raises(TenantInactive) as raised:
        Standing(status="suspended").require_active(NOW)

    assert "suspended" in raised.value.message
    assert raised.value.reason == "suspended"


def test_a_switched_off_permission_is_refused_by_name() -> None:
    standing = Standing(permissions={**ALL_ON, "sms_out": False})

    assert not standing.allows("sms_out")
    assert standing.allows("sms_in")
    with pytest.raises(PermissionOff) as raised:
        standing.require("sms_out")
    assert raised.value.permission == "sms_out"
    assert "sms_out" in raised.value.message
    assert raised.value.error_code == "permission_off"


def test_a_permission_missing_from_the_map_is_on_and_an_unknown_one_is_an_error() -> None:
    standing = Standing(permissions={"voice_in": False})

    assert standing.allows("chat")
    with pytest.raises(ValueError, match="fax"):
        standing.allows("fax")


def test_an_inactive_tenant_speaks_its_own_message_else_the_default() -> None:
    own = Standing(status="suspended", messages={"suspended": "Back on Monday."})
    default = Standing(status="closed")
    expired = Standing(valid_until=NOW - 1, messages={"suspended": "not this one"})

    assert own.message(NOW) == "Back on Monday."
    assert default.message(NOW) == DEFAULT_MESSAGES["closed"]
    assert expired.message(NOW) == DEFAULT_MESSAGES[EXPIRED]


def test_a_closed_tenants_numbers_are_released_after_its_grace() -> None:
    closed = Standing(status="closed", closed_at=NOW, release_grace_days=10)

    assert closed.release_at() == NOW + 10 * DAY
    assert Standing(status="suspended", closed_at=NOW).release_at() is None
    assert Standing(status="closed").release_at() is None


def test_the_public_view_says_why_and_until_when() -> None:
    view = Standing(status="active", valid_until=NOW - 1,
                    permissions={**ALL_ON, "chat": False}, spending_cap=50.0).public(NOW)

    assert view["active"] is False
    assert view["reason"] == EXPIRED
    assert view["valid_until"] == "2027-01-15T07:59:59Z"
    assert view["permissions"] == {**dict(ALL_ON), "chat": False}
    assert view["spending_cap"] == 50.0
    assert view["numbers_released_at"] is None


def test_a_closed_tenants_public_view_names_the_release_date() -> None:
    view = Standing(status="closed", closed_at=NOW, release_grace_days=1).public(NOW)

    assert view["reason"] == "closed"
    assert view["numbers_released_at"] == "2027-01-16T08:00:00Z"


def test_a_tenant_hands_its_terms_to_its_standing() -> None:
    tenant = Tenant(tenant_id="tn_1", name="Aqua", timezone="UTC", twilio_account_sid="AC1",
                    twilio_auth_token="tok", status="suspended", valid_until=NOW,
                    permissions={**ALL_ON, "voice_out": False}, spending_cap=10.0,
                    closed_at=None, release_grace_days=7, messages={"suspended": "Paused."})

    standing = tenant.standing()

    assert standing.status == "suspended"
    assert standing.valid_until == NOW
    assert not standing.allows("voice_out")
    assert standing.spending_cap == 10.0
    assert standing.release_grace_days == 7
    assert standing.message(NOW) == "Paused."


def test_the_spending_cap_refusal_gives_cap_and_spend() -> None:
    error = SpendingCapReached(100.0, 100.5)

    assert error.error_code == "spending_cap_reached"
    assert "100.00" in error.message and "100.50" in error.message


def test_a_seat_is_free_below_the_allowance_and_unlimited_without_one() -> None:
    require_seat(None, 500)
    require_seat(3, 2)
    with pytest.raises(NoSeatLeft) as refused:
        require_seat(3, 3)
    assert refused.value.error_code == "no_seat_left" and "all 3 seats" in refused.value.message
