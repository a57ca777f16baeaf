"""The Twilio side of routing: the queue's TwiML, and Twilio's REST errors translated."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException

from chalicelib.adapters.twilio.telephony import TwilioTelephony, render_twiml
from chalicelib.config import Settings
from chalicelib.domain.errors import InvalidInput, Unavailable
from chalicelib.domain.routing import callflow as cf
from chalicelib.services.routing.ports import ConfigCache, RoutingUrls
from tests.conftest import TEST_ENV


def test_the_wait_menu_is_one_gather_with_the_prompts_inside() -> None:
    twiml = render_twiml([cf.GatherDigit(action="https://h.example.com/choice?task=TK1",
                                         prompts=(cf.Say("You are next in line."),
                                                  cf.Play("https://m.example.com/hold.mp3")))])

    assert twiml == (
        '<?xml version="1.0" encoding="UTF-8"?><Response>'
        '<Gather action="https://h.example.com/choice?task=TK1" input="dtmf" method="POST" '
        'numDigits="1" timeout="5"><Say>You are next in line.</Say>'
        "<Play>https://m.example.com/hold.mp3</Play></Gather></Response>")


def test_bridging_a_queued_caller_and_a_callback_conference() -> None:
    assert "<Dial><Queue>TK1</Queue></Dial>" in render_twiml([cf.DialQueue("TK1")])
    conference = render_twiml([cf.DialConference("TK2")])
    assert 'endConferenceOnExit="true"' in conference and ">TK2</Conference>" in conference


def test_leaving_recording_and_empty_prompts() -> None:
    twiml = render_twiml([cf.Say(""), cf.Leave(), cf.RecordMessage("https://h.example.com/vm"),
                          cf.Pause(2), cf.Hangup()])

    assert "<Say" not in twiml
    assert '<Leave /><Record action="https://h.example.com/vm" maxLength="120" method="POST" ' \
           'playBeep="true" /><Pause length="2" /><Hangup />' in twiml


class FailingCalls:
    """A Twilio client whose calls resource fails the way it is told to."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def create(self, **_: Any) -> Any:
        raise self.error

    def __call__(self, sid: str) -> FailingCalls:
        return self

    def update(self, **_: Any) -> Any:
        raise self.error

    def fetch(self) -> Any:
        raise self.error


class FakeTwilio:
    def __init__(self, error: Exception) -> None:
        self.calls = FailingCalls(error)


class TelephonyWith(TwilioTelephony):
    def __init__(self, error: Exception) -> None:
        super().__init__(Settings.from_environ(TEST_ENV), lambda tenant: ("AC1", "token"))
        self.fake = FakeTwilio(error)

    def _client(self, tenant_id: str) -> Any:
        return self.fake


def rest_error(status: int) -> TwilioRestException:
    return TwilioRestException(status, "https://api.twilio.com/Calls", msg=f"status {status}")


@pytest.mark.parametrize("status", [429, 500, 503])
def test_twilio_throttling_and_outages_are_unavailable(status: int) -> None:
    with pytest.raises(Unavailable):
        TelephonyWith(rest_error(status)).place_call("tn", to="client:a", from_="+1",
                                                     url="u", status_callback="s", timeout=5)


def test_a_network_failure_is_unavailable() -> None:
    with pytest.raises(Unavailable, match="could not be reached"):
        TelephonyWith(ConnectionError("refused")).place_call(
            "tn", to="client:a", from_="+1", url="u", status_callback="s", timeout=5)


def test_a_refused_call_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        TelephonyWith(rest_error(400)).place_call("tn", to="nope", from_="+1", url="u",
                                                  status_callback="s", timeout=5)


def test_ending_a_call_that_is_over_is_fine_and_its_status_is_unknown() -> None:
    gone = TelephonyWith(rest_error(404))

    gone.end_call("tn", "CA1")
    assert gone.call_status("tn", "CA1") is None
    with pytest.raises(Unavailable):
        TelephonyWith(rest_error(503)).end_call("tn", "CA1")


def test_callback_urls_carry_the_tenant_and_a_sorted_query() -> None:
    urls = RoutingUrls(lambda path: "https://h.example.com/api" + path)

    assert urls.agent_connect("tn_1", "WR01") == (
        "https://h.example.com/api/twilio/voice/agent/connect?r=WR01&t=tn_1")
    assert urls.choice("tn_1", "TK1") == (
        "https://h.example.com/api/twilio/voice/queue/choice?t=tn_1&task=TK1")


class CountingConfigStore:
    def __init__(self) -> None:
        self.loads = 0

    def load(self, tenant_id: str) -> tuple[list[Any], dict[str, Any] | None, int]:
        self.loads += 1
        return [], None, 0


def test_the_config_cache_reloads_after_its_ttl_or_when_told() -> None:
    store, now = CountingConfigStore(), [0.0]
    cache = ConfigCache(store, ttl=5.0, clock=lambda: now[0])  # type: ignore[arg-type]

    cache.get("tn")
    now[0] = 4.9
    cache.get("tn")
    assert store.loads == 1
    now[0] = 5.0
    cache.get("tn")
    cache.forget("tn")
    cache.get("tn")
    assert store.loads == 3
