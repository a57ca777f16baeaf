"""``api_errors``: domain errors keep their statuses; anything else is a logged 500 with an
error id that is in the log."""

from __future__ import annotations

import json
import logging

import pytest
from chalice import Chalice
from chalice.test import Client

from chalicelib.domain.errors import (
    Conflict,
    Forbidden,
    HotlineError,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)
from chalicelib.routes.http import api, api_errors

RAISED: dict[str, BaseException] = {}


def _app() -> Chalice:
    app = Chalice(app_name="errors-under-test")

    @app.route("/legacy/{name}")
    @api_errors
    def legacy(name: str) -> object:
        raise RAISED[name]

    @app.route("/declared/{name}")
    @api("raises what the test names")
    def declared(name: str) -> object:
        raise RAISED[name]

    return app


@pytest.fixture
def client() -> Client:
    with Client(_app()) as test_client:
        yield test_client


@pytest.mark.parametrize("route", ["legacy", "declared"])
@pytest.mark.parametrize(("error", "status", "code"), [
    (InvalidInput("bad", path="x"), 400, "invalid_input"),
    (Unauthorized("who?"), 401, "unauthorized"),
    (Forbidden("no"), 403, "forbidden"),
    (NotFound("gone"), 404, "not_found"),
    (Conflict("raced"), 409, "conflict"),
    (RateLimited("slow down"), 429, "rate_limited"),
    (Unavailable("later"), 503, "unavailable"),
])
def test_a_domain_error_keeps_its_mapped_status(client: Client, route: str,
                                                error: HotlineError, status: int,
                                                code: str) -> None:
    RAISED["it"] = error
    response = client.http.get(f"/{route}/it")
    body = json.loads(response.body)
    assert response.status_code == status
    assert body["error"] == code and body["message"] == error.message
    assert "error_id" not in body


@pytest.mark.parametrize("route", ["legacy", "declared"])
@pytest.mark.parametrize("error", [KeyError("boom"), RecursionError("deep"), TypeError("t")])
def test_an_unexpected_error_is_a_500_whose_error_id_is_in_the_log_with_the_stack(
        client: Client, route: str, error: Exception, caplog: pytest.LogCaptureFixture) -> None:
    # given a route that fails in a way nobody planned for
    RAISED["it"] = error
    # when it is called
    with caplog.at_level(logging.ERROR, logger="hotline.api"):
        response = client.http.get(f"/{route}/it")
    # then the caller gets a 500 with an error id, and the log has that id and the stack
    body = json.loads(response.body)
    assert response.status_code == 500
    assert body["error"] == "internal" and body["message"]
    assert len(body["error_id"]) == 16
    [record] = [r for r in caplog.records if body["error_id"] in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[1] is error
    assert type(error).__name__ in caplog.text and "Traceback" in caplog.text


def test_each_500_gets_its_own_error_id(client: Client) -> None:
    RAISED["it"] = ValueError("again")
    ids = {json.loads(client.http.get("/declared/it").body)["error_id"] for _ in range(3)}
    assert len(ids) == 3
