"""``GET /api/openapi.json``: the JSON API's OpenAPI 3 document, built from the app itself.

Every ``/api/`` route declares itself with ``@api(...)`` (``chalicelib/routes/http.py``)
under its ``@bp.route``; this module walks the app's route table and turns each
declaration into an operation. The request schemas are the very dicts the validator
enforces. ``tests/integration/api/test_openapi.py`` fails when a route has no declaration.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.routes.http import Operation, api, operation_of

bp = Blueprint(__name__)

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code: invalid_input, "
                  "unauthorized, forbidden, not_found, conflict, too_large, rate_limited, "
                  "unavailable, internal"},
        "message": {"type": "string", "description": "what went wrong, for a person"},
        "path": {"type": "string", "description": "the field at fault (invalid_input)"},
        "error_id": {"type": "string", "description": "internal: the id in the server log"},
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ERROR_RESPONSE = {"description": "an error",
                   "content": {"application/json": {"schema": _ERROR_REF}}}
_built: dict[str, Any] | None = None


def _operation(operation: Operation, method: str, view_args: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "summary": operation.summary,
        "responses": {"200": {"description": "OK",
                              "content": {"application/json": {"schema": {}}}},
                      "default": _ERROR_RESPONSE},
    }
    if operation.tag:
        entry["tags"] = [operation.tag]
    parameters = [{"name": name, "in": "path", "required": True,
                   "schema": operation.param(name)} for name in view_args]
    parameters += [{"name": name, "in": "query", "required": False, "schema": schema}
                   for name, schema in operation.query.items()]
    if parameters:
        entry["parameters"] = parameters
    if operation.body is not None:
        entry["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": operation.body}}}
    if operation.public:
        entry["security"] = []
    return entry


def document(app: Any) -> dict[str, Any]:
    """The OpenAPI document of ``app``'s declared ``/api/`` routes."""
    paths: dict[str, dict[str, Any]] = {}
    for path in sorted(app.routes):
        for method, route in sorted(app.routes[path].items()):
            operation = operation_of(route.view_function)
            if path.startswith("/api/") and operation is not None:
                paths.setdefault(path, {})[method.lower()] = _operation(
                    operation, method, list(route.view_args))
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hotline API", "version": "1",
                 "description": "Hotline's JSON API. Errors are {error, message, path?}; "
                                "sessions are Authorization: Bearer <token> from "
                                "POST /api/login or POST /api/signup."},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "bearerFormat": "JWT"}}},
        "security": [{"bearer": []}],
    }


@bp.route("/api/openapi.json", methods=["GET"])
@api("This document: the JSON API in OpenAPI 3", public=True, tag="meta")
def openapi_document() -> Any:
    global _built
    if _built is None:
        _built = document(bp.current_app)
    return _built
