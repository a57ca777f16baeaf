"""The routing sweep ends a wrap-up whose time ran out and tells the CRM, so the contact
is counted in the reports (its handle time is then known)."""

from __future__ import annotations

from tests.integration.routing.conftest import Routing, routing  # noqa: F401


def test_the_sweep_records_a_wrap_up_that_ran_out(routing: Routing) -> None:  # noqa: F811
    routing.queue("support")
    routing.agent("alex", wrapup_seconds=20)
    routing.call("CA160")
    routing.desk.accept(routing.tenant_id, "alex", routing.offer_of("alex"))
    routing.service.on_call_ended(routing.tenant_id, "CA160", "completed")
    routing.clock.advance(20)
    assert routing.sweep.run().wrapped_up == 1
    assert routing.crm.named("wrapup_expired") == [(routing.tenant_id, "CA160")]
