"""Flow control: split-based-on, set-variables, and Hotline's own check-business-hours
and hand-off-to-tenant."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.flows import hours
from chalicelib.domain.flows.conditions import holds
from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.runtime import END, Outcome, Run, Taken
from chalicelib.domain.flows.verbs import HandOffToTenant
from chalicelib.domain.flows.widgets.base import WidgetHandler


def _split(state: State, run: Run) -> Outcome:
    default_subject = run.prop(state, "input")
    for transition in state.transitions:
        if transition.event == "noMatch" or not transition.conditions:
            continue
        matched = True
        for condition in transition.conditions:
            subject = (run.render(condition.arguments[0], state)
                       if condition.arguments else default_subject)
            if not holds(condition, subject, run.render(condition.value, state)):
                matched = False
                break
        if matched:
            return Taken(transition.event, transition.next)
    return "noMatch"


def _set_variables(state: State, run: Run) -> Outcome:
    entries = state.prop("variables", [])
    if isinstance(entries, dict):
        entries = [{"key": k, "value": v} for k, v in entries.items()]
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or not entry.get("key"):
            continue
        value: Any = entry.get("value")
        run.context.variables[str(entry["key"])] = (
            run.render(value, state) if isinstance(value, str) else value)
    return "next"


def _business_hours(state: State, run: Run) -> Outcome:
    timezone = run.prop(state, "timezone") or run.env.timezone or "UTC"
    weekly = state.prop("hours")
    weekly = weekly if isinstance(weekly, dict) else run.env.weekly_hours
    holidays = state.prop("holidays")
    holidays = holidays if isinstance(holidays, list) else list(run.env.holidays)
    try:
        is_open = hours.is_open(run.clock(), timezone, weekly, holidays)
    except hours.HoursInvalid as exc:
        run.warnings.append(f"widget '{state.name}': {exc}; treated as closed")
        is_open = False
    run.set_widget(state.name, {"open": is_open, "timezone": timezone})
    return "open" if is_open else "closed"


def _hand_off(state: State, run: Run) -> Outcome:
    tenant = run.prop(state, "tenant_id").strip()
    if not tenant:
        run.warnings.append(f"widget '{state.name}': tenant_id rendered empty")
        return "failed"
    run.set_widget(state.name, {"tenant_id": tenant})
    run.effects.append(HandOffToTenant(tenant_id=tenant))
    return END


HANDLERS = {
    "split-based-on": WidgetHandler(_split, events=("match", "noMatch"), required=("input",)),
    "set-variables": WidgetHandler(_set_variables, events=("next",)),
    "check-business-hours": WidgetHandler(_business_hours, events=("open", "closed")),
    "hand-off-to-tenant": WidgetHandler(_hand_off, events=("failed",),
                                        required=("tenant_id",)),
}
