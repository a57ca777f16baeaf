"""Per-queue metric settings (service-level threshold and target, short-abandon threshold,
service-level formula) and the FCR window, kept in the tenant's profile under ``metrics``.
A change applies to contacts counted from then on (aggregates store each contact's
service-level result as decided when it was counted), as Flex's SL preferences do."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Protocol

from chalicelib.domain.errors import NotFound
from chalicelib.services.reports.recorder import fcr_window_of, settings_of


class Profiles(Protocol):
    def get(self, tenant_id: str) -> Any: ...
    def update_profile(self, tenant_id: str, profile: dict[str, object],
                       timezone: str | None = None) -> None: ...


def _view(tenant: Any) -> dict[str, Any]:
    settings = settings_of(tenant)

    def one(qs: Any) -> dict[str, Any]:
        return {"sl_threshold_seconds": qs.sl_threshold_seconds, "sl_target": qs.sl_target,
                "short_abandon_seconds": qs.short_abandon_seconds,
                "sl_formula": qs.formula.name}

    return {"default": one(settings.default),
            "queues": {name: one(qs) for name, qs in sorted(settings.per_queue.items())},
            "fcr_window_days": fcr_window_of(tenant) / 86400}


class MetricSettings:
    def __init__(self, profiles: Profiles) -> None:
        self.profiles = profiles

    def _tenant(self, tenant_id: str) -> Any:
        tenant = self.profiles.get(tenant_id)
        if tenant is None:
            raise NotFound("tenant not found")
        return tenant

    def get(self, tenant_id: str) -> dict[str, Any]:
        return _view(self._tenant(tenant_id))

    def put(self, tenant_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Set the queues given (others keep theirs) and, if given, the FCR window."""
        tenant = self._tenant(tenant_id)
        profile = dict(tenant.profile or {})
        metrics = dict(profile.get("metrics") or {})
        queues = dict(metrics.get("queues") or {})
        for name, values in (body.get("queues") or {}).items():
            queues[name] = {**queues.get(name, {}), **values}
        metrics["queues"] = queues
        if body.get("fcr_window_days") is not None:
            metrics["fcr_window_days"] = body["fcr_window_days"]
        candidate = SimpleNamespace(profile={**profile, "metrics": metrics})
        settings_of(candidate)  # refuses a bad formula or threshold, naming the field
        profile["metrics"] = metrics
        self.profiles.update_profile(tenant_id, profile)
        return _view(candidate)
