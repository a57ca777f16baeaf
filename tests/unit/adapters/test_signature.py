"""X-Twilio-Signature: Twilio's published known-answer vectors and the URL cases."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from chalicelib.adapters.twilio.signature import candidate_urls, is_valid

# Twilio's documented example (also in every official SDK's RequestValidator tests).
TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
          "From": "+14158675309", "To": "+18005551212"}
SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
MIXED_CASE_SIGNATURE = "g9IN/x4Cft2g517EjYvEvM/W7LU="


def test_documented_vector_is_accepted() -> None:
    urls = candidate_urls("https://mycompany.com", "/myapp.php", [("foo", "1"), ("bar", "2")])
    assert urls[0] == URL
    assert is_valid(urls, PARAMS, SIGNATURE, TOKEN)


def test_documented_mixed_case_host_vector_is_accepted() -> None:
    urls = candidate_urls("https://MyCompany.com", "/myapp.php", [("foo", "1"), ("bar", "2")])
    assert is_valid(urls, PARAMS, MIXED_CASE_SIGNATURE, TOKEN)


def test_tampered_parameter_is_rejected() -> None:
    urls = [URL]
    assert not is_valid(urls, {**PARAMS, "Digits": "9999"}, SIGNATURE, TOKEN)


def test_extra_query_parameter_is_rejected() -> None:
    assert not is_valid([URL + "&extra=1"], PARAMS, SIGNATURE, TOKEN)


def test_wrong_token_and_empty_signature_are_rejected() -> None:
    assert not is_valid([URL], PARAMS, SIGNATURE, "54321")
    assert not is_valid([URL], PARAMS, "", TOKEN)


def test_signature_made_with_port_443_validates_against_a_base_without_port() -> None:
    signed = RequestValidator(TOKEN).compute_signature(
        "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)
    urls = candidate_urls("https://mycompany.com", "/myapp.php", [("foo", "1"), ("bar", "2")])
    assert is_valid(urls, PARAMS, signed, TOKEN)


def test_signature_made_without_port_validates_against_a_base_with_port_443() -> None:
    urls = candidate_urls("https://mycompany.com:443", "/myapp.php", [("foo", "1"), ("bar", "2")])
    assert is_valid(urls, PARAMS, SIGNATURE, TOKEN)


def test_api_gateway_stage_prefix_is_part_of_the_signed_url() -> None:
    base = "https://abc123.execute-api.us-east-1.amazonaws.com/api"
    signed = RequestValidator(TOKEN).compute_signature(base + "/twilio/voice", PARAMS)
    assert is_valid(candidate_urls(base, "/twilio/voice", []), PARAMS, signed, TOKEN)
    without_stage = "https://abc123.execute-api.us-east-1.amazonaws.com"
    assert not is_valid(candidate_urls(without_stage, "/twilio/voice", []), PARAMS, signed,
                        TOKEN)


def test_query_in_sorted_order_is_also_tried() -> None:
    signed = RequestValidator(TOKEN).compute_signature(
        "https://h.example/twilio/voice/flow?s=3&w=menu", PARAMS)
    urls = candidate_urls("https://h.example", "/twilio/voice/flow", [("w", "menu"), ("s", "3")])
    assert is_valid(urls, PARAMS, signed, TOKEN)
