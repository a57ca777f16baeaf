"""Every webhook the simulator signs validates with twilio's own RequestValidator."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from sim.webhooks import signed_request_args

TOKEN = "12345678901234567890123456789012"
names = st.text(st.characters(min_codepoint=65, max_codepoint=122,
                              exclude_characters="[\\]^`"), min_size=1, max_size=12)
values = st.text(max_size=40)
params = st.dictionaries(names, values, max_size=8)
paths = st.sampled_from(["https://app.example.com/twilio/voice",
                         "https://app.example.com/api/twilio/voice?tenant=t1&x=%20y",
                         "http://127.0.0.1:8000/twilio/sms"])


@settings(max_examples=60, deadline=None)
@given(url=paths, form=params)
def test_post_webhooks_validate_for_any_params(url: str, form: dict[str, str]) -> None:
    target, headers, body = signed_request_args(url, "POST", form, TOKEN)

    assert target == url and body == form
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert RequestValidator(TOKEN).validate(url, form, headers["X-Twilio-Signature"])
    assert not RequestValidator("another-token").validate(url, form,
                                                          headers["X-Twilio-Signature"])


@settings(max_examples=60, deadline=None)
@given(url=paths, query=params)
def test_get_webhooks_carry_params_in_the_signed_query(url: str, query: dict[str, str]) -> None:
    target, headers, body = signed_request_args(url, "GET", query, TOKEN)

    assert body is None
    assert RequestValidator(TOKEN).validate(target, {}, headers["X-Twilio-Signature"])
    sent = dict(parse_qsl(urlsplit(target).query, keep_blank_values=True))
    assert all(sent[k] == v for k, v in query.items())
