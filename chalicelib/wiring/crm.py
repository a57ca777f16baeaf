"""The CRM: interactions, contacts, and the reports built from them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from chalicelib import wiring

if TYPE_CHECKING:
    from chalicelib.adapters.dynamo.contacts_repository import ContactsRepository
    from chalicelib.services.contact_history import ContactHistory
    from chalicelib.services.contact_import import ContactImport
    from chalicelib.services.contacts import ContactsService
    from chalicelib.services.crm import CrmService

__all__ = [
    "get_contact_history",
    "get_contact_import",
    "get_contacts_repository",
    "get_contacts_service",
    "get_crm_service",
    "get_live_reports",
    "get_metric_settings",
    "get_metrics_recorder",
    "get_reports",
]


@lru_cache(maxsize=1)
def get_crm_service() -> CrmService:
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.services.crm import CrmService

    wiring.bound_settings()
    return CrmService(CrmRepository(), metrics=wiring.get_metrics_recorder(),
                      events=wiring.get_crm_events())


@lru_cache(maxsize=1)
def get_metrics_recorder():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.adapters.dynamo.metrics_repository import MetricsRepository
    from chalicelib.services.reports.recorder import MetricsRecorder

    return MetricsRecorder(
        MetricsRepository(wiring.bound_settings()), wiring.get_directory(), lookup=CrmRepository()
    )


@lru_cache(maxsize=1)
def get_reports():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.services.reports.reading import AggregateReading
    from chalicelib.services.reports.service import ReportsService

    return ReportsService(
        AggregateReading(MetricsRepository(wiring.bound_settings())),
        InteractionHistory(),
        wiring.get_routing_service().store,
        wiring.get_directory(),
    )


@lru_cache(maxsize=1)
def get_metric_settings():  # type: ignore[no-untyped-def]
    from chalicelib.services.reports.settings import MetricSettings

    return MetricSettings(wiring.get_tenant_repository())


@lru_cache(maxsize=1)
def get_live_reports():  # type: ignore[no-untyped-def]
    from chalicelib.adapters.dynamo.metrics_repository import (
        InteractionHistory,
        MetricsRepository,
    )
    from chalicelib.services.reports.board import RoutingBoard
    from chalicelib.services.reports.live import LiveReports
    from chalicelib.services.reports.reading import AggregateReading

    board = RoutingBoard(wiring.get_routing_admin(), wiring.get_routing_service().store)
    return LiveReports(
        AggregateReading(MetricsRepository(wiring.bound_settings())),
        InteractionHistory(),
        board,
        wiring.get_directory(),
    )


@lru_cache(maxsize=1)
def get_contacts_repository() -> ContactsRepository:
    from chalicelib.adapters.dynamo.contacts_repository import ContactsRepository

    return ContactsRepository(wiring.bound_settings())


@lru_cache(maxsize=1)
def get_contacts_service() -> ContactsService:
    from chalicelib.services.contacts import ContactsService

    return ContactsService(wiring.get_contacts_repository(),
                           on_created=lambda c: wiring.get_crm_events().contact_created(c))


@lru_cache(maxsize=1)
def get_contact_history() -> ContactHistory:
    from chalicelib.services.contact_history import ContactHistory

    return ContactHistory(wiring.get_contacts_service(), wiring.get_contacts_repository())


@lru_cache(maxsize=1)
def get_contact_import() -> ContactImport:
    from chalicelib.services.contact_import import ContactImport

    return ContactImport(wiring.get_contacts_service(), wiring.get_contacts_repository())
