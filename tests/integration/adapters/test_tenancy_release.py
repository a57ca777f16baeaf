"""A closed tenant's numbers are released after its grace (services/tenancy/release.py,
adapters/dynamo/tenancy_repository.py) on DynamoDB Local: one outbox ``release_number``
item per number, the number no longer routes, and a second sweep does nothing."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

from chalicelib.config import Settings
from chalicelib.domain.identity import PhoneNumber, Tenant

DAY = 86400.0


def _tenant(settings: Settings, **terms: object) -> tuple[Tenant, list[str]]:
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    repo = TenantRepository(settings)
    tenant = replace(Tenant(tenant_id="tn_" + uuid.uuid4().hex[:12], name="Gone Water",
                            timezone="UTC", twilio_account_sid="AC" + uuid.uuid4().hex,
                            twilio_auth_token="t", created_at=time.time()),
                     **terms)  # type: ignore[arg-type]
    repo.save(tenant)
    numbers = ["+1628" + str(uuid.uuid4().int)[:7] for _ in range(2)]
    for number in numbers:
        repo.save_number(PhoneNumber(number=number, tenant_id=tenant.tenant_id))
    return tenant, numbers


def test_a_closed_tenant_past_its_grace_gives_its_numbers_back_once(settings: Settings) -> None:
    from chalicelib import wiring
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository

    wiring.reset()
    now = time.time()
    # given a tenant closed 8 days ago with a 7-day grace, and one closed yesterday
    gone, gone_numbers = _tenant(settings, status="closed", closed_at=now - 8 * DAY,
                                 release_grace_days=7)
    grace, grace_numbers = _tenant(settings, status="closed", closed_at=now - DAY,
                                   release_grace_days=7)
    # when the scheduled sweep's release runs
    released = wiring.get_closed_tenant_numbers().sweep(now, force=True)
    # then the first tenant's numbers no longer route and each has a release to run
    repo = TenantRepository(settings)
    assert released >= 2
    assert [repo.number(n) for n in gone_numbers] == [None, None]
    outbox = wiring.get_outbox()
    for number in gone_numbers:
        item = outbox.store.get(f"closed#{gone.tenant_id}#release:{number}")
        assert item is not None and item.kind == wiring.RELEASE_NUMBER
        assert item.payload == {"account_sid": gone.twilio_account_sid, "number": number}
        assert item.status == "pending"
    # and the tenant still in its grace keeps its numbers
    assert all(repo.number(n) is not None for n in grace_numbers)
    assert outbox.store.get(f"closed#{grace.tenant_id}#release:{grace_numbers[0]}") is None
    # and a second sweep (a fresh container) releases nothing of the first tenant again
    wiring.reset()
    wiring.get_closed_tenant_numbers().sweep(now, force=True)
    assert repo.numbers_of(gone.tenant_id) == []
    wiring.reset()


def test_a_number_given_to_another_tenant_meanwhile_is_not_removed(settings: Settings) -> None:
    from chalicelib.adapters.dynamo.tenancy_repository import TenancyRepository

    tenant, numbers = _tenant(settings, status="closed", closed_at=time.time() - 60 * DAY)
    repo = TenancyRepository(settings)
    repo.save_number(PhoneNumber(number=numbers[0], tenant_id="tn_someone_else"))

    assert repo.remove_number(numbers[0], tenant.tenant_id) is False
    assert repo.remove_number(numbers[1], tenant.tenant_id) is True
    assert repo.number(numbers[0]) is not None and repo.number(numbers[1]) is None
    assert tenant.tenant_id in {t.tenant_id for t in repo.closed_tenants()}
