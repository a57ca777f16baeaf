"""Bad input to the JSON API gets a 4xx naming the field, never a 5xx (DynamoDB Local)."""

from __future__ import annotations

import json

import pytest

from tests.integration.api.conftest import Session

DEEP_LIST = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def _routes_with_a_body() -> list[tuple[str, str]]:
    """Every route that declares a JSON body (see @api in chalicelib/routes/http.py)."""
    from app import app
    from chalicelib.routes.http import operation_of

    return sorted((method, path.replace("{e164}", "+14155550100")
                   .replace("{", "").replace("}", ""))
                  for path, methods in app.routes.items() if path.startswith("/api/")
                  for method, route in methods.items()
                  if (operation_of(route.view_function) or NO_BODY).body is not None)


class _NoBody:
    body = None


NO_BODY = _NoBody()


@pytest.mark.parametrize(("method", "path"), _routes_with_a_body())
@pytest.mark.parametrize("deep", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
def test_a_body_nested_a_thousand_deep_is_refused_on_every_json_route(
        owner: Session, operator: Session, method: str, path: str, deep: str) -> None:
    # given a body nested a thousand levels deep
    # when it is sent to a route that takes a JSON body, by whoever may use that route
    caller = operator if path.startswith("/api/operator/") else owner
    status, body = caller.send(method, path, raw=deep)
    # then it is refused as invalid input, before anything parses it
    assert status == 400, (status, body)
    assert "nested deeper than 32" in body["message"]


@pytest.mark.parametrize("path", ["/api/login", "/api/signup"])
def test_login_and_signup_refuse_deep_json_before_parsing_it(owner: Session, path: str) -> None:
    status, body = owner.send("POST", path, raw=DEEP_OBJECT, token=False)
    assert status == 400
    assert body["error"] == "invalid_input"
    assert "nested deeper than 32" in body["message"]


def test_a_non_string_flow_id_is_a_400_naming_flow_id(owner: Session) -> None:
    status, body = owner.send("POST", "/api/flows", body={
        "name": "Menu", "definition": {"states": []}, "flow_id": {"x": 1}})
    assert status == 400
    assert body["path"] == "flow_id" and "must be a string" in body["message"]


def test_a_path_id_over_the_limit_is_a_400_naming_it(owner: Session) -> None:
    status, body = owner.send("GET", "/api/flows/" + "f" * 1200)
    assert status == 400
    assert body["path"] == "flow_id" and "longer than 128" in body["message"]


def test_a_megabyte_flow_name_is_refused_as_too_large(owner: Session) -> None:
    status, body = owner.send("POST", "/api/flows", body={
        "name": "n" * 1_000_000, "definition": {}})
    assert status == 413
    assert body["error"] == "too_large"


def test_a_long_flow_name_is_a_400_naming_name(owner: Session) -> None:
    status, body = owner.send("POST", "/api/flows", body={"name": "n" * 500, "definition": {}})
    assert status == 400
    assert body["path"] == "name" and "longer than 120" in body["message"]


@pytest.mark.parametrize(("method", "path", "payload", "field"), [
    ("POST", "/api/flows", {"name": ["a", "list"], "definition": {}}, "name"),
    ("PUT", "/api/flows/menu", {"definition": {}, "name": ["x"]}, "name"),
    ("PUT", "/api/queues/support", {"strategy": "round-robin", "ring_all_limit": "3"},
     "ring_all_limit"),
    ("PUT", "/api/me/activity", {"activity": {"a": 1}}, "activity"),
    ("PATCH", "/api/contacts/c1", {"name": 5}, "name"),
    ("PUT", "/api/tenant", {"hours": {"mon": "all day"}}, "hours.mon"),
    ("PUT", "/api/tenant", {"holidays": ["2026-02-30"]}, "holidays[0]"),
    ("POST", "/api/users", {"name": "A", "email": "a@b.co", "password": "p" * 12,
                            "skills": "x"}, "skills"),
])
def test_a_value_of_the_wrong_type_is_a_400_naming_the_field(
        owner: Session, method: str, path: str, payload: dict[str, object], field: str) -> None:
    status, body = owner.send(method, path, body=payload)
    assert status == 400, body
    assert body["error"] == "invalid_input" and body["path"] == field


def test_an_object_as_area_code_is_refused_before_any_number_is_bought(owner: Session) -> None:
    status, body = owner.send("POST", "/api/signup", token=False, body={
        "business_name": "Bob's", "name": "Bob", "email": "bob@example.com",
        "password": "x" * 12, "area_code": {"npa": 415}})
    assert status == 400
    assert body["path"] == "area_code"


def test_an_unknown_signup_field_is_named(owner: Session) -> None:
    status, body = owner.send("POST", "/api/signup", token=False, body={
        "business_name": "Bob's", "name": "Bob", "email": "bob@example.com",
        "password": "x" * 12, "plan": "gold"})
    assert status == 400 and body["path"] == "plan"


def test_an_oversized_query_parameter_is_a_400_naming_it(owner: Session) -> None:
    status, body = owner.send("GET", "/api/contacts?phone=" + "1" * 500)
    assert status == 400
    assert body["path"] == "phone"


@pytest.mark.parametrize("raw", ['{"name": NaN, "definition": {}}',
                                 '{"name": "a", "definition": {"n": 1e999}}',
                                 '{"name": "a", "definition": {"n": ' + "9" * 60 + "}}",
                                 '{"name": "\\ud800", "definition": {}}'])
def test_numbers_and_text_dynamodb_cannot_store_are_refused(owner: Session, raw: str) -> None:
    status, body = owner.send("POST", "/api/flows", raw=raw)
    assert status == 400, body
    assert body["error"] == "invalid_input"


def test_a_valid_request_still_works(owner: Session) -> None:
    status, body = owner.send("POST", "/api/flows", body={
        "name": "Menu", "definition": {"states": []}, "flow_id": "menu-1"})
    assert status == 200, body
    status, body = owner.send("PUT", "/api/tenant", body={"holidays": ["2026-12-25"]})
    assert status == 200 and body["holidays"] == ["2026-12-25"]
    assert json.dumps(body)
