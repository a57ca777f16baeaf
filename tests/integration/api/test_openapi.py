"""The OpenAPI document matches the app's own route table, and is served."""

from __future__ import annotations

import json

from chalice.test import Client

from chalicelib.routes.http import operation_of
from chalicelib.routes.openapi import document


def _app_routes() -> set[tuple[str, str]]:
    from app import app

    return {(method.lower(), path) for path, methods in app.routes.items()
            if path.startswith("/api/") for method in methods}


def _document_routes(doc: dict) -> set[tuple[str, str]]:
    return {(method, path) for path, item in doc["paths"].items() for method in item}


def test_every_api_route_is_in_the_document_and_nothing_else() -> None:
    from app import app

    # given the app's route table and the document built from it
    doc = document(app)
    routes, documented = _app_routes(), _document_routes(doc)
    # then each /api/ route is documented (declare it with @api in chalicelib/routes/http.py)
    undocumented = sorted(routes - documented)
    assert not undocumented, f"routes without an @api(...) declaration: {undocumented}"
    # and the document names no route the app does not have
    assert not sorted(documented - routes)


def test_the_document_uses_the_validators_own_schemas() -> None:
    from app import app
    from chalicelib.routes import flows_api, tenant_api

    doc = document(app)
    create = doc["paths"]["/api/flows"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"] is flows_api.NEW_FLOW
    signup = doc["paths"]["/api/signup"]["post"]
    assert signup["requestBody"]["content"]["application/json"]["schema"] is tenant_api.SIGNUP
    assert signup["security"] == []
    route = app.routes["/api/flows"]["POST"]
    assert operation_of(route.view_function).body is flows_api.NEW_FLOW


def test_path_parameters_are_declared_with_their_limits() -> None:
    from app import app

    doc = document(app)
    for path, item in doc["paths"].items():
        for operation in item.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == {part[1:-1] for part in path.split("/") if part.startswith("{")}
            for parameter in operation.get("parameters", []):
                assert parameter["schema"]["maxLength"] <= 128


def test_the_document_is_served_at_api_openapi_json(client: Client) -> None:
    response = client.http.get("/api/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.body)
    assert doc["openapi"].startswith("3.")
    from app import app

    assert _document_routes(doc) == _document_routes(document(app))
