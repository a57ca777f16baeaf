"""The data interface's pure rules: webhook signatures, retry backoff, key tokens, URLs
and export cursors."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chalicelib.domain.errors import InvalidInput, Unauthorized
from chalicelib.domain.integrations import (
    BACKOFF_BASE_SECONDS,
    JITTER,
    MAX_ATTEMPTS,
    backoff_seconds,
    check_events,
    check_webhook_url,
    decode_cursor,
    encode_cursor,
    hash_secret,
    key_token,
    parse_key_token,
    retry_at,
    secrets_match,
    signature_header,
    tenant_mark,
    verify_signature,
)

SECRET = "whsec_test-secret"
BODY = '{"id":"evt_1","type":"contact.created"}'


def test_signature_header_is_stripe_shaped_hmac_sha256_of_timestamp_dot_body():
    # given a secret, a timestamp and a body
    # when the header is built
    header = signature_header(SECRET, 1_700_000_000, BODY)
    # then it is t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>
    expected = hmac.new(SECRET.encode(), f"1700000000.{BODY}".encode(),
                        hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_receiver_verifies_a_fresh_signature_and_refuses_tampering_and_replays():
    header = signature_header(SECRET, 1_700_000_000, BODY)
    assert verify_signature(header, BODY, SECRET, now=1_700_000_010)
    assert not verify_signature(header, BODY + " ", SECRET, now=1_700_000_010)
    assert not verify_signature(header, BODY, "whsec_other", now=1_700_000_010)
    assert not verify_signature(header, BODY, SECRET, now=1_700_000_000 + 301)
    assert not verify_signature("t=abc,v1=00", BODY, SECRET, now=1_700_000_000)


def test_backoff_grows_threefold_from_90_seconds_with_at_most_ten_percent_jitter():
    delays = [backoff_seconds(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays == [90.0, 270.0, 810.0, 2430.0, 7290.0, 21870.0, 65610.0]
    for n, plain in enumerate(delays, start=1):
        jittered = backoff_seconds(n, "tenant#delivery")
        assert plain <= jittered < plain * (1 + JITTER)
        assert jittered == backoff_seconds(n, "tenant#delivery")  # a replay agrees


def test_eight_attempts_span_about_a_day_and_the_eighth_failure_is_final():
    # given each failed attempt scheduling the next
    at, times = 0.0, [0.0]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        nxt = retry_at(attempt, at, "k")
        if nxt is None:
            break
        at = nxt
        times.append(at)
    # then there are 8 attempts, the last about 27 hours after the first
    assert len(times) == MAX_ATTEMPTS == 8
    assert 26 * 3600 < times[-1] < 30 * 3600
    assert retry_at(MAX_ATTEMPTS, 0.0) is None
    assert retry_at(1, 100.0) == 100.0 + BACKOFF_BASE_SECONDS


def test_a_key_token_parses_back_to_its_id_and_secret_and_matches_only_its_hash():
    token = key_token("a1b2c3", "s3cr3t")
    assert token == "hk_a1b2c3_s3cr3t"
    assert parse_key_token(token) == ("a1b2c3", "s3cr3t")
    assert secrets_match("s3cr3t", hash_secret("s3cr3t"))
    assert not secrets_match("s3cr3u", hash_secret("s3cr3t"))
    assert hash_secret("s3cr3t") == hashlib.sha256(b"s3cr3t").hexdigest()


@pytest.mark.parametrize("token", ["hk_", "hk_abc", "hk__secret", "hk_a-b_secret",
                                   "eyJhbGciOi", "hk_" + "a" * 300 + "_x"])
def test_a_malformed_key_token_is_unauthorized(token):
    with pytest.raises(Unauthorized):
        parse_key_token(token)


def test_webhook_urls_must_be_https_and_reach_loopback_only_in_a_local_run():
    assert check_webhook_url("https://hooks.example.com/in") == "https://hooks.example.com/in"
    for bad, allow in [("http://hooks.example.com/in", False),
                       ("http://127.0.0.1:9000/in", False),
                       ("https://localhost/in", False),
                       ("http://hooks.example.com/in", True),
                       ("ftp://hooks.example.com/", True),
                       ("https://user:pw@hooks.example.com/", False),
                       ("", False)]:
        with pytest.raises(InvalidInput) as err:
            check_webhook_url(bad, allow_loopback=allow)
        assert err.value.path == "url"
    assert check_webhook_url("http://127.0.0.1:9000/in", allow_loopback=True)


def test_events_must_be_known_and_the_bad_one_is_named_by_its_path():
    assert check_events(["contact.created", "contact.created"]) == ("contact.created",)
    with pytest.raises(InvalidInput) as err:
        check_events(["contact.created", "call.made"])
    assert err.value.path == "events[1]"
    with pytest.raises(InvalidInput):
        check_events([])


def test_cursors_round_trip_for_their_tenant_only_and_garbage_is_refused_by_name():
    cursor = encode_cursor(["i", tenant_mark("tn_1"), "CA123", "1700000000.5", "0.0", "9.0"])
    assert len(cursor) <= 128
    assert decode_cursor(cursor, "i", "tn_1", 4) == ["CA123", "1700000000.5", "0.0", "9.0"]
    assert decode_cursor(None, "i", "tn_1", 4) is None
    for junk, tenant, kind in [(cursor, "tn_2", "i"), (cursor, "tn_1", "c"), ("%%%", "tn_1", "i"),
                               ("bm90IGEgY3Vyc29y", "tn_1", "i")]:
        with pytest.raises(InvalidInput) as err:
            decode_cursor(junk, kind, tenant, 4)
        assert err.value.path == "cursor"
