"""The pure rules of conversations: consent keywords, Twilio's media fields, the body
limit, and status callbacks that never go back."""

from __future__ import annotations

import pytest

from chalicelib.domain.conversations import (
    Media,
    advances,
    bare,
    channel_of_address,
    check_body,
    keyword_of,
    media_from_form,
)
from chalicelib.domain.errors import InvalidInput


@pytest.mark.parametrize("body", ["STOP", "stop", " Stopall ", "UNSUBSCRIBE", "cancel",
                                  "End", "QUIT"])
def test_twilios_opt_out_keywords_opt_out(body):
    assert keyword_of(body) == "out"


@pytest.mark.parametrize("body", ["START", "unstop"])
def test_start_and_unstop_opt_back_in(body):
    assert keyword_of(body) == "in"


@pytest.mark.parametrize("body", ["please stop calling me", "STOP!", "", "HELP"])
def test_other_bodies_say_nothing_about_consent(body):
    assert keyword_of(body) is None


def test_media_follow_num_media_with_their_content_types():
    params = {"NumMedia": "2", "MediaUrl0": "https://a/0", "MediaContentType0": "image/png",
              "MediaUrl1": "https://a/1", "MediaContentType1": "video/mp4",
              "MediaUrl2": "https://a/2"}
    assert media_from_form(params) == (Media("https://a/0", "image/png"),
                                       Media("https://a/1", "video/mp4"))
    assert media_from_form({"NumMedia": "x"}) == ()


def test_a_body_must_have_text_and_fit_twilios_limit():
    assert check_body("x" * 1600) == "x" * 1600
    for bad in ("", "   ", "x" * 1601, None):
        with pytest.raises(InvalidInput) as refused:
            check_body(bad)
        assert refused.value.path == "body"


def test_statuses_only_move_forward():
    assert advances("queued", "sent") and advances("sent", "delivered")
    assert advances("delivered", "read") and advances("sent", "undelivered")
    assert not advances("delivered", "sent") and not advances("failed", "delivered")


def test_whatsapp_addresses_are_the_same_number():
    assert bare("whatsapp:+14155550100") == "+14155550100" == bare("+14155550100")
    assert channel_of_address("whatsapp:+14155550100") == "whatsapp"
    assert channel_of_address("+14155550100") == "sms"
