"""Workflows: filters that match a task and the targets it walks through.

As in TaskRouter, the first filter whose expression matches the task decides its
targets; each target names a queue, a worker expression, a priority and a timeout after
which the task escalates to the next target. A task no filter matches takes the default
filter (by default: the queue the flow put it in, with no further condition).

The document, as stored and as sent to ``PUT /api/workflow``::

    {"filters": [{"name": "VIP", "expression": "vip == true",
                  "targets": [{"queue": "support", "expression": "level >= 2",
                               "priority": 10, "timeout": 30},
                              {"queue": "support"}]}],
     "default_filter": {"queue": "support"}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.routing.expressions import parse, validate
from chalicelib.domain.routing.model import Target

MAX_FILTERS = 50
MAX_TARGETS = 10
MAX_PRIORITY = 999_999
MAX_TIMEOUT = 86_400


@dataclass(frozen=True)
class Filter:
    name: str
    expression: str
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Workflow:
    filters: tuple[Filter, ...] = ()
    default_queue: str | None = None  # None: the queue the task was sent to

    def route(self, task_scope: Mapping[str, Any], entry_queue: str) -> tuple[Target, ...]:
        """The targets of the first matching filter, or the default filter's one target."""
        for one in self.filters:
            if parse(one.expression).matches(task=task_scope, default="task"):
                return one.targets
        return (Target(queue=self.default_queue or entry_queue),)

    def queues(self) -> set[str]:
        named = {t.queue for f in self.filters for t in f.targets}
        if self.default_queue:
            named.add(self.default_queue)
        return named

    def to_document(self) -> dict[str, Any]:
        return {
            "filters": [{"name": f.name, "expression": f.expression,
                         "targets": [target_document(t) for t in f.targets]}
                        for f in self.filters],
            "default_filter": {"queue": self.default_queue} if self.default_queue else None,
        }


def target_document(target: Target) -> dict[str, Any]:
    doc: dict[str, Any] = {"queue": target.queue}
    if target.expression:
        doc["expression"] = target.expression
    if target.priority is not None:
        doc["priority"] = target.priority
    if target.timeout is not None:
        doc["timeout"] = target.timeout
    return doc


def _whole(value: Any, path: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{path} must be a whole number", path=path)
    if not low <= value <= high:
        raise InvalidInput(f"{path} must be between {low} and {high}", path=path)
    return value


def _text(value: Any, path: str, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"{path} must be a non-empty string" if required
                           else f"{path} must be a string", path=path)
    return value.strip()


def _only(doc: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
    unknown = sorted(set(doc) - set(allowed))
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise InvalidInput(f"unknown field {where}", path=where)


def _target(doc: Any, path: str, known_queues: set[str]) -> Target:
    if not isinstance(doc, dict):
        raise InvalidInput(f"{path} must be an object", path=path)
    _only(doc, ("queue", "expression", "priority", "timeout"), path)
    queue = _text(doc.get("queue"), f"{path}.queue", required=True)
    if queue not in known_queues:
        raise InvalidInput(f"{path}.queue names an unknown queue {queue!r}", path=f"{path}.queue")
    expression = _text(doc.get("expression"), f"{path}.expression")
    validate(expression, f"{path}.expression")
    return Target(queue=queue, expression=expression,
                  priority=_whole(doc.get("priority"), f"{path}.priority", 0, MAX_PRIORITY),
                  timeout=_whole(doc.get("timeout"), f"{path}.timeout", 1, MAX_TIMEOUT))


def parse_workflow(doc: Any, known_queues: set[str]) -> Workflow:
    """Validate a workflow document; errors name the JSON path of the fault."""
    if not isinstance(doc, dict):
        raise InvalidInput("the workflow must be a JSON object")
    _only(doc, ("filters", "default_filter"), "")
    raw_filters = doc.get("filters", [])
    if not isinstance(raw_filters, list):
        raise InvalidInput("filters must be a list", path="filters")
    if len(raw_filters) > MAX_FILTERS:
        raise InvalidInput(f"filters has more than {MAX_FILTERS} entries", path="filters")
    filters: list[Filter] = []
    for i, raw in enumerate(raw_filters):
        path = f"filters[{i}]"
        if not isinstance(raw, dict):
            raise InvalidInput(f"{path} must be an object", path=path)
        _only(raw, ("name", "filter_friendly_name", "expression", "targets"), path)
        name = _text(raw.get("name") or raw.get("filter_friendly_name") or f"filter {i + 1}",
                     f"{path}.name")
        expression = _text(raw.get("expression"), f"{path}.expression")
        validate(expression, f"{path}.expression")
        targets = raw.get("targets")
        if not isinstance(targets, list) or not targets:
            raise InvalidInput(f"{path}.targets must be a non-empty list", path=f"{path}.targets")
        if len(targets) > MAX_TARGETS:
            raise InvalidInput(f"{path}.targets has more than {MAX_TARGETS} entries",
                               path=f"{path}.targets")
        filters.append(Filter(name, expression, tuple(
            _target(t, f"{path}.targets[{j}]", known_queues) for j, t in enumerate(targets))))
    default = doc.get("default_filter")
    default_queue: str | None = None
    if default is not None:
        if not isinstance(default, dict):
            raise InvalidInput("default_filter must be an object", path="default_filter")
        _only(default, ("queue",), "default_filter")
        default_queue = _text(default.get("queue"), "default_filter.queue") or None
        if default_queue is not None and default_queue not in known_queues:
            raise InvalidInput(f"default_filter.queue names an unknown queue {default_queue!r}",
                               path="default_filter.queue")
    return Workflow(tuple(filters), default_queue)


def load_workflow(doc: Any) -> Workflow:
    """A stored workflow (validated when it was saved): trust its queue names."""
    if not doc:
        return Workflow()
    names = {t.get("queue") for f in doc.get("filters", []) for t in f.get("targets", [])}
    default = (doc.get("default_filter") or {}).get("queue")
    return parse_workflow(doc, {str(n) for n in names | {default} if n})
