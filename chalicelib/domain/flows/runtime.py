"""One step of an execution in progress: what widgets read and write while they run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.flows.context import ExecutionContext
from chalicelib.domain.flows.model import Flow, State
from chalicelib.domain.flows.ports import HttpPort
from chalicelib.domain.flows.templating import RenderError, has_markup, render
from chalicelib.domain.flows.verbs import Effect, Verb, Visit


@dataclass(frozen=True)
class FlowEnvironment:
    """Tenant facts a flow may use (business hours, its number)."""

    tenant_id: str
    timezone: str = "UTC"
    weekly_hours: Mapping[str, Any] = field(default_factory=dict)
    holidays: tuple[str, ...] = ()
    account_sid: str | None = None
    number: str | None = None
    business_name: str = ""
    closed_hours_message: str = ""  # the tenant's own words for after hours (admin page)
    # The tenant gate (docs/tenancy.md): None if the tenant may send on this outbound
    # permission ("sms_out", "whatsapp_out"), else the reason; None: no gate (the CLI).
    outbound: Callable[[str], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Taken:
    """A widget chose a transition itself (split-based-on: several ``match`` events)."""

    event: str
    next: str | None


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


WAIT = _Marker("WAIT")  # the widget waits for the carrier or the contact
END = _Marker("END")  # the widget ends the execution (hand-off-to-tenant)

Outcome = str | Taken | _Marker


@dataclass
class Run:
    """Mutable state of one step: the context plus what the step produced so far."""

    flow: Flow
    context: ExecutionContext
    env: FlowEnvironment
    http: HttpPort
    clock: Callable[[], float]
    http_deadline: float
    can_reply: bool
    verbs: list[Verb] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    trail: list[Visit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, Exception]] = field(default_factory=list)  # widget, error

    @property
    def voice(self) -> bool:
        return self.context.channel == "voice"

    def scope(self) -> dict[str, Any]:
        scope = self.context.scope()
        scope["hotline"] = {"business_name": self.env.business_name,
                            "tenant_id": self.env.tenant_id,
                            "closed_hours_message": self.env.closed_hours_message}
        return scope

    def render(self, template: Any, state: State | None = None) -> str:
        """Render a property with Liquid; a broken template renders as empty text."""
        if template is None:
            return ""
        if not isinstance(template, str):
            return str(template).lower() if isinstance(template, bool) else str(template)
        if not has_markup(template):
            return template
        try:
            return render(template, self.scope())
        except RenderError as exc:
            where = f"widget '{state.name}'" if state else "a template"
            self.warnings.append(f"{where}: Liquid error: {exc.message}")
            return ""

    def prop(self, state: State, key: str, default: str = "") -> str:
        value = state.prop(key)
        return default if value is None else self.render(value, state)

    def int_prop(self, state: State, key: str, default: int, low: int = 0,
                 high: int = 10**6) -> int:
        text = self.prop(state, key, "").strip()
        try:
            value = int(float(text)) if text else default
        except ValueError:
            self.warnings.append(f"widget '{state.name}': {key} {text!r} is not a number")
            value = default
        return max(low, min(high, value))

    def bool_prop(self, state: State, key: str, default: bool) -> bool:
        raw = state.prop(key)
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        return self.render(raw, state).strip().lower() in ("true", "1", "yes", "on")

    def set_widget(self, name: str, values: Mapping[str, Any]) -> None:
        current = self.context.widgets.setdefault(name, {})
        current.update(values)

    def http_seconds_left(self) -> float:
        return self.http_deadline - self.clock()
