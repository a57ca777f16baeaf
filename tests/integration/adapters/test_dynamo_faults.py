"""Fault injection with botocore's Stubber on the shared DynamoDB client: each provider
error becomes one domain error, and a webhook still answers politely."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botocore.exceptions import ReadTimeoutError
from botocore.stub import Stubber

from chalicelib.adapters.dynamo import base
from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.adapters.dynamo.idempotency_repository import IdempotencyRepository
from chalicelib.adapters.dynamo.models.crm import InteractionModel
from chalicelib.domain.errors import NotFound, Unavailable


@pytest.fixture
def stubbed(settings) -> Iterator[Stubber]:
    InteractionModel._get_connection()  # bind the model to the shared connection
    assert base._SHARED is not None
    client = base._SHARED.client
    with Stubber(client) as stubber:
        yield stubber


def test_throttling_becomes_unavailable(stubbed, tenant_id):
    stubbed.add_client_error("get_item", "ProvisionedThroughputExceededException",
                             "slow down", 400)
    with pytest.raises(Unavailable, match="throttling"):
        CrmRepository().get_interaction(tenant_id, "CA1")


def test_failed_condition_on_update_becomes_not_found(stubbed, tenant_id):
    stubbed.add_client_error("update_item", "ConditionalCheckFailedException", "no", 400)
    with pytest.raises(NotFound):
        CrmRepository().update_interaction(tenant_id, "CA-missing", {"status": "queued"})


def test_internal_server_error_becomes_unavailable(stubbed, settings):
    stubbed.add_client_error("transact_write_items", "InternalServerError", "boom", 500)
    with pytest.raises(Unavailable):
        IdempotencyRepository(settings).commit("AC#CA#/x?", "r", [])


class TimingOutClient:
    """A client whose every call times out with no HTTP response (as under a partition)."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _make_api_call(self, operation, params):
        raise ReadTimeoutError(endpoint_url="http://dynamodb")


def test_timeout_without_a_response_becomes_unavailable(settings, tenant_id, monkeypatch):
    InteractionModel._get_connection()
    shared = base._SHARED
    monkeypatch.setattr(shared, "_client", TimingOutClient(shared.client))
    with pytest.raises(Unavailable):
        CrmRepository().get_interaction(tenant_id, "CA1")


def test_webhook_answers_politely_when_dynamodb_throttles(client, line, stubbed):
    # The first read of the webhook (the signing account's tenant) is throttled.
    stubbed.add_client_error("query", "ThrottlingException", "slow", 400)
    body, headers = line.signed("/twilio/voice", line.call_params("CA" + "7" * 32))
    response = client.http.post("/twilio/voice", body=body, headers=headers)
    assert response.status_code == 200
    assert b"<Say>Sorry" in response.body and b"<Hangup" in response.body
