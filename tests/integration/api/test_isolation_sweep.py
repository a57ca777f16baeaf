"""Tenant isolation, swept over the app's own route table.

Every ``/api/`` route is found in ``app.routes`` at collection time, so a route added
tomorrow is swept tomorrow without anyone listing it here. For each one:
- business B's credentials (its owner's session, and an API key) on business A's objects
  answer 403 or 404, never A's data, and never change A's objects;
- B's lists never carry a row of A's (every A id and name holds a random marker);
- the operator's session reaches no business route at all, and the operator's own routes
  carry no business's CRM data (contact names or customer numbers);
- a business's credentials reach no operator route;
- the web chat's visitor token of one business never reads the other's conversation.

A route whose path names a parameter the sweep cannot fill fails the sweep, naming it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.config import Settings
from chalicelib.routes.http import Operation, operation_of
from tests.integration.api.example_bodies import example
from tests.integration.api.isolation_world import (
    Business,
    World,
    business,
    fill,
    operator_token,
)

OPERATOR_PREFIX = "/api/operator/"
# Path parameters that name a business's object: B must never reach A's.
OBJECT_PARAMS = {"contact_id", "flow_id", "revision", "user_id", "task_id", "reservation_id",
                 "number", "key_id", "webhook_id", "id"}
# Parameters that name something in the caller's own namespace (B's "q-…" queue is B's).
OWN_NAMESPACE = {"name", "month"}
# Bodies the schema alone cannot make meaningful: the service would refuse the schema's
# smallest body (400) before it looked the object up, which proves nothing either way.
MEANINGFUL_BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/contacts/{contact_id}"): {"name": "Renamed by another business"},
    ("POST", "/api/tasks/{task_id}/dtmf"): {"digits": "1"},
    ("POST", "/api/tasks/{task_id}/transfer"): {"to": {"queue": "support"}},
}


def _routes() -> list[tuple[str, str, Operation | None]]:
    from app import app

    found = []
    for path in sorted(app.routes):
        if not path.startswith("/api/"):
            continue
        for method, route in sorted(app.routes[path].items()):
            operation = operation_of(route.view_function)
            if operation is not None and operation.public:
                continue
            found.append((method, path, operation))
    return found


ROUTES = _routes()
BUSINESS_ROUTES = [r for r in ROUTES if not r[1].startswith(OPERATOR_PREFIX)]
OPERATOR_ROUTES = [r for r in ROUTES if r[1].startswith(OPERATOR_PREFIX)]
ADDRESSED = [r for r in BUSINESS_ROUTES if set(_params := r[1].split("{")[1:])
             and any(p.split("}")[0] in OBJECT_PARAMS for p in _params)]
UNADDRESSED_READS = [r for r in BUSINESS_ROUTES if r[0] == "GET" and r not in ADDRESSED]


def _ids(routes: list[tuple[str, str, Operation | None]]) -> list[str]:
    return [f"{method} {path}" for method, path, _ in routes]


def _path(path: str, ids: dict[str, str]) -> str:
    for part in path.split("{")[1:]:
        name = part.split("}")[0]
        assert name in ids, (f"the isolation sweep cannot fill {{{name}}} in {path}: give "
                             "tests/integration/api/isolation_world.py an object for it")
        path = path.replace("{" + name + "}", ids[name])
    return path


def test_every_route_parameter_is_classified_for_the_sweep() -> None:
    """A new parameter must be named an object of a business or the caller's own scope."""
    known = OBJECT_PARAMS | OWN_NAMESPACE | {"tenant_id", "e164"}
    unknown = {f"{method} {path}": name for method, path, _ in ROUTES
               for part in path.split("{")[1:] if (name := part.split("}")[0]) not in known}
    assert unknown == {}


def _platform_ids(who: Business) -> dict[str, str]:
    """How the operator's routes name a business and its numbers."""
    return {"id": who.tenant_id, "tenant_id": who.tenant_id, "e164": who.number,
            "month": "2026-11"}


def _body(method: str, operation: Operation | None, path: str = "") -> Any:
    if (method, path) in MEANINGFUL_BODIES:
        return MEANINGFUL_BODIES[(method, path)]
    if method in ("GET", "DELETE") or operation is None or operation.body is None:
        return None
    return example(operation.body)


@pytest.fixture(scope="module")
def world(settings: Settings, test_environ: dict[str, str]) -> Iterator[World]:
    from app import app
    from chalicelib import wiring
    from tests.conftest import activate

    activate(test_environ)
    wiring.reset()
    with Client(app, stage_name="local") as client:
        a, b = business(settings, client, "alpha"), business(settings, client, "bravo")
        found = World(client=client, settings=settings, a=a, b=b,
                      operator_token=operator_token(settings))
        fill(found, a)
        fill(found, b)
        _with_api_keys(found)
        yield found
    wiring.reset()


def _with_api_keys(world: World) -> None:
    """An admin-role API key and a webhook for each business, when the API offers them."""
    if not any(path == "/api/keys" and method == "POST" for method, path, _ in ROUTES):
        return
    for who in (world.a, world.b):
        made = world.ok("POST", "/api/keys", who.tokens["owner"],
                        {"name": f"sweep {who.marker}", "role": "admin"})
        who.tokens["api_key"] = made["key"]
        who.ids["key_id"] = made["id"]
        hook = world.ok("POST", "/api/webhooks", who.tokens["owner"],
                        {"url": f"https://hooks.example.com/{who.marker}",
                         "events": ["contact.created"]})
        who.ids["webhook_id"] = hook["id"]


def _credentials(who: Business) -> list[tuple[str, str]]:
    return [(kind, who.tokens[kind]) for kind in ("owner", "api_key") if kind in who.tokens]


def _leaks(answer: Any, marker: str, asked: str = "") -> bool:
    """Whether ``answer`` carries ``marker``, beyond echoing the ids the request named."""
    text = answer if isinstance(answer, str) else json.dumps(answer)
    for part in asked.split("/"):
        if marker in part:
            text = text.replace(part, "")
    return marker in text


@pytest.mark.parametrize(("method", "path", "operation"), ADDRESSED, ids=_ids(ADDRESSED))
def test_another_business_cannot_reach_an_object_by_its_id(
        world: World, method: str, path: str, operation: Operation | None) -> None:
    target = _path(path, {**world.b.ids, **{k: v for k, v in world.a.ids.items()
                                             if k in OBJECT_PARAMS}})
    for kind, token in _credentials(world.b):
        status, answer = world.send(method, target, token, _body(method, operation, path))
        assert status in (403, 404), (
            f"{kind} of B on A's {method} {target}: {status} {answer}")
        assert not _leaks(answer, world.a.marker, target), (kind, target, answer)


@pytest.mark.parametrize(("method", "path", "operation"), UNADDRESSED_READS,
                         ids=_ids(UNADDRESSED_READS))
def test_a_list_never_shows_another_business_rows(
        world: World, method: str, path: str, operation: Operation | None) -> None:
    target = _path(path, world.b.ids)
    for kind, token in [*_credentials(world.b), ("supervisor", world.b.tokens["supervisor"])]:
        status, answer = world.send(method, target, token)
        assert status < 500, (kind, target, status, answer)
        assert not _leaks(answer, world.a.marker), (
            f"{kind} of B reading {target} saw A's rows: {answer}")


@pytest.mark.parametrize(("method", "path", "operation"), BUSINESS_ROUTES,
                         ids=_ids(BUSINESS_ROUTES))
def test_the_operator_reaches_no_business_route(
        world: World, method: str, path: str, operation: Operation | None) -> None:
    target = _path(path, world.a.ids)
    status, answer = world.send(method, target, world.operator_token,
                                _body(method, operation, path))
    assert status == 403, (target, status, answer)
    assert not _leaks(answer, world.a.marker, target)


@pytest.mark.parametrize(("method", "path", "operation"), OPERATOR_ROUTES,
                         ids=_ids(OPERATOR_ROUTES))
def test_a_business_reaches_no_operator_route(
        world: World, method: str, path: str, operation: Operation | None) -> None:
    target = _path(path, {**_platform_ids(world.a), **world.a.ids})
    for who in (world.a, world.b):
        for kind, token in _credentials(who):
            status, answer = world.send(method, target, token, _body(method, operation, path))
            assert status == 403, (kind, target, status, answer)


@pytest.mark.parametrize(("method", "path", "operation"),
                         [r for r in OPERATOR_ROUTES if r[0] == "GET"],
                         ids=_ids([r for r in OPERATOR_ROUTES if r[0] == "GET"]))
def test_the_operators_reads_carry_no_crm_data(
        world: World, method: str, path: str, operation: Operation | None) -> None:
    target = _path(path, _platform_ids(world.a))
    status, answer = world.send(method, target, world.operator_token)
    assert status < 500, (target, status, answer)
    text = answer if isinstance(answer, str) else json.dumps(answer)
    contact = world.ok("GET", f"/api/contacts/{world.a.ids['contact_id']}",
                       world.a.tokens["owner"])
    assert contact["name"] not in text and contact["phone"] not in text, (target, text)


def test_the_sweep_left_every_object_of_a_unchanged(world: World) -> None:
    a = world.a
    owner = a.tokens["owner"]
    contact = world.ok("GET", f"/api/contacts/{a.ids['contact_id']}", owner)
    assert contact["name"] == f"Customer {a.marker}"
    task = world.ok("GET", f"/api/tasks/{a.ids['task_id']}", owner)
    assert task["status"] == "assigned"
    flow = world.ok("GET", f"/api/flows/{a.ids['flow_id']}", owner)
    assert flow["flow"]["published_revision"] == 1, flow
    queues = world.ok("GET", "/api/queues", owner)
    assert a.ids["name"] in json.dumps(queues)
    assert not _leaks(queues, world.b.marker)


def test_a_visitor_token_never_reads_or_writes_another_business_chat(world: World) -> None:
    chats = {}
    for who in (world.a, world.b):
        key = world.ok("GET", "/api/tenant", who.tokens["owner"])["widget_key"]
        chats[who.marker] = world.ok("POST", f"/chat/{key}/conversations", None,
                                     {"name": f"Visitor {who.marker}"})
    a_chat, b_chat = chats[world.a.marker], chats[world.b.marker]
    path = f"/chat/conversations/{a_chat['conversation_id']}/messages"
    read, answer = world.send("GET", path + "?wait=0", b_chat["visitor_token"])
    wrote, refused = world.send("POST", path, b_chat["visitor_token"], {"body": "hello A"})
    assert read in (401, 403, 404) and wrote in (401, 403, 404), (answer, refused)
    assert not _leaks(answer, world.a.marker, path)
