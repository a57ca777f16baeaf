"""enqueue-call and send-to-flex: both put the contact into Hotline's own queue.

The queue is ``queue_name`` (enqueue-call) or Hotline's ``queue`` property, else
``default``; Studio's TaskRouter ``workflow_sid``/``workflow``/``channel`` SIDs mean
nothing to Hotline and are reported by validation. Attributes are Liquid-rendered JSON.
On voice the caller waits in the queue and the Enqueue action's ``QueueResult`` picks
the event; on messaging the conversation is handed to an agent and the flow ends.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.runtime import END, WAIT, Outcome, Run
from chalicelib.domain.flows.verbs import Enqueue
from chalicelib.domain.flows.widgets.base import WidgetHandler, widget_params

EVENTS = ("callComplete", "failedToEnqueue", "callFailure")

# Twilio's <Enqueue> action QueueResult values, mapped to Studio's events.
_QUEUE_RESULTS = {
    "bridged": "callComplete",
    "bridging-in-progress": "callComplete",
    "redirected": "callComplete",
    "leave": "callComplete",
    "hangup": "callComplete",
    "queue-full": "failedToEnqueue",
    "error": "callFailure",
    "system-error": "callFailure",
}


def _attributes(state: State, run: Run, key: str) -> dict[str, Any]:
    raw = state.prop(key)
    if raw is None or raw == "":
        return {}
    if isinstance(raw, Mapping):
        return {str(k): run.render(v, state) if isinstance(v, str) else v
                for k, v in raw.items()}
    text = run.render(raw, state)
    try:
        parsed = json.loads(text)
    except ValueError:
        run.warnings.append(f"widget '{state.name}': {key} is not JSON after rendering")
        return {}
    if not isinstance(parsed, dict):
        run.warnings.append(f"widget '{state.name}': {key} must be a JSON object")
        return {}
    return parsed


def _enqueue(state: State, run: Run, queue: str, attributes_key: str) -> Outcome:
    timeout_text = run.prop(state, "timeout").strip()
    timeout = run.int_prop(state, "timeout", 0, low=0, high=86400) if timeout_text else None
    run.verbs.append(Enqueue(
        queue=queue or "default",
        priority=run.int_prop(state, "priority", 0, low=0, high=2**31 - 1),
        timeout=timeout or None,
        attributes=_attributes(state, run, attributes_key),
        resume=state.name,
        channel=run.context.channel,
    ))
    if run.voice:
        return WAIT
    run.set_widget(state.name, {"queue": queue or "default"})
    return END


def _enqueue_call(state: State, run: Run) -> Outcome:
    queue = run.prop(state, "queue") or run.prop(state, "queue_name")
    return _enqueue(state, run, queue.strip(), "task_attributes")


def _send_to_flex(state: State, run: Run) -> Outcome:
    return _enqueue(state, run, run.prop(state, "queue").strip(), "attributes")


def _resume(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, widget_params(params))
    result = (params.get("QueueResult") or "").strip().lower()
    return _QUEUE_RESULTS.get(result, "callFailure" if result else "callComplete")


HANDLERS = {
    "enqueue-call": WidgetHandler(_enqueue_call, _resume, events=EVENTS),
    "send-to-flex": WidgetHandler(_send_to_flex, _resume, events=EVENTS),
}
