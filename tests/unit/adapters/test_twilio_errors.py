"""One translation of Twilio's errors for every adapter that calls its REST API: the
carrier (SMS, signup), the routing telephony (calls, conferences) and the voice setup."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException

from chalicelib.adapters.twilio.carrier import TwilioAccounts, TwilioCarrier
from chalicelib.adapters.twilio.telephony import TwilioTelephony
from chalicelib.config import Settings
from chalicelib.domain.errors import HotlineError, InvalidInput, NotFound, Unavailable
from chalicelib.domain.identity import Tenant
from tests.conftest import TEST_ENV

SETTINGS = Settings.from_environ(TEST_ENV)
TENANT = Tenant(tenant_id="tn_1", name="Acme", timezone="UTC", twilio_account_sid="AC1",
                twilio_auth_token="tok")


class Failing:
    """Any attribute, call or index of a Twilio client, ending in ``error`` on a verb."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __getattr__(self, name: str) -> Any:
        if name in {"create", "update", "fetch", "list", "delete"}:
            def fail(*_: Any, **__: Any) -> Any:
                raise self.error
            return fail
        return self

    def __call__(self, *_: Any, **__: Any) -> Failing:
        return self


def rest_error(status: int) -> TwilioRestException:
    return TwilioRestException(status, "https://api.twilio.com/x", msg=f"status {status}")


def via_carrier(error: BaseException) -> None:
    TwilioCarrier(SETTINGS, lambda *_: Failing(error)).send_message(TENANT, "+1", "+2", "hi")


def via_telephony(error: BaseException) -> None:
    class Telephony(TwilioTelephony):
        def _client(self, tenant_id: str) -> Any:
            return Failing(error)

    Telephony(SETTINGS, lambda _: ("AC1", "tok")).place_call(
        "tn_1", to="client:a", from_="+1", url="u", status_callback="s", timeout=5)


@pytest.mark.parametrize("send", [via_carrier, via_telephony])
@pytest.mark.parametrize(("error", "expected"), [
    (rest_error(404), NotFound), (rest_error(400), InvalidInput),
    (rest_error(429), Unavailable), (rest_error(503), Unavailable),
    (ConnectionError("refused"), Unavailable), (TimeoutError("slow"), Unavailable)])
def test_every_adapter_gives_a_twilio_failure_the_same_domain_error(
        send: Any, error: BaseException, expected: type[HotlineError]) -> None:
    # when a REST call fails, through the carrier or the telephony adapter
    with pytest.raises(HotlineError) as raised:
        send(error)
    # then the domain error is the same for both, and carries the provider's as its cause
    assert type(raised.value) is expected
    assert raised.value.__cause__ is error


@pytest.mark.parametrize("send", [via_carrier, via_telephony])
def test_a_bug_in_hotline_is_not_disguised_as_twilio_being_down(send: Any) -> None:
    with pytest.raises(AttributeError):
        send(AttributeError("'NoneType' object has no attribute 'sid'"))


def test_a_country_twilio_sells_no_numbers_in_is_refused_naming_the_field() -> None:
    accounts = TwilioAccounts(SETTINGS, lambda *_: Failing(rest_error(404)))
    with pytest.raises(InvalidInput) as refused:
        accounts.buy_number("AC1", "tok", "ZZ", None, "https://v", "https://s", "https://c")
    assert refused.value.path == "country"
