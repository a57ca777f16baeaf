import xml.etree.ElementTree as ET

from chalicelib.adapters.twilio.twiml import render_messaging, render_voice
from chalicelib.domain.flows.verbs import (
    Dial,
    DialTarget,
    Enqueue,
    Gather,
    Hangup,
    Message,
    Pause,
    Play,
    PlayDigits,
    Record,
    Redirect,
    Reject,
    Say,
)
from tests.unit.domain.flows.helpers import Urls


def root(xml: str) -> ET.Element:
    element = ET.fromstring(xml)
    assert element.tag == "Response"
    return element


def test_gather_posts_to_the_widgets_resume_url_even_without_input():
    xml = render_voice([Gather((Say("Press 1", "alice", "en-US", 2), Play("https://a/b.mp3")),
                               input="dtmf speech", num_digits=1, finish_on_key="*", timeout=7,
                               hints="a,b", resume="menu")], Urls())

    gather, redirect = list(root(xml))
    assert gather.tag == "Gather"
    assert gather.get("action") == Urls().resume("menu")
    assert gather.get("actionOnEmptyResult") == "true"
    options = (gather.get("numDigits"), gather.get("finishOnKey"), gather.get("timeout"))
    assert options == ("1", "*", "7")
    assert gather.get("input") == "dtmf speech"
    assert [c.tag for c in gather] == ["Say", "Play"]
    assert gather[0].get("loop") == "2" and gather[0].text == "Press 1"
    assert redirect.tag == "Redirect" and redirect.text == Urls().resume("menu")


def test_say_text_is_escaped_not_concatenated():
    xml = render_voice([Say("Tom & Jerry <3")], Urls())
    assert root(xml)[0].text == "Tom & Jerry <3"


def test_every_voice_verb_renders_as_its_twiml_verb():
    verbs = [Say("hi"), Play("https://a/b.wav", loop=3), PlayDigits("12"), Pause(2),
             Record(120, 4, "#", True, True, "trim-silence", "vm"),
             Dial((DialTarget("number", "+1555"), DialTarget("client", "agent"),
                   DialTarget("sip", "sip:a@b", username="u", password="p"),
                   DialTarget("conference", "room")), caller_id="+1666", resume="fwd"),
             Enqueue("support", 5, None, {}, "q", task_id="TK1"),
             Redirect("https://x/t?a=1", resume="r"), Hangup(), Reject("busy")]

    element = root(render_voice(verbs, Urls()))

    assert [e.tag for e in element] == ["Say", "Play", "Play", "Pause", "Record", "Dial",
                                        "Enqueue", "Redirect", "Hangup", "Reject"]
    record, dial, enqueue, redirect = element[4], element[5], element[6], element[7]
    assert record.get("action") == Urls().resume("vm") and record.get("maxLength") == "120"
    assert [c.tag for c in dial] == ["Number", "Client", "Sip", "Conference"]
    assert dial.get("action") == Urls().resume("fwd") and dial.get("callerId") == "+1666"
    assert enqueue.text == "TK1"  # one Twilio queue per task: Hotline decides the order
    assert enqueue.get("waitUrl") == Urls().queue_wait("TK1")
    assert enqueue.get("action") == Urls().queue_result("TK1", "q")
    assert redirect.text.startswith("https://x/t?a=1&ReturnUrl=")
    assert element[9].get("reason") == "busy"


def test_render_messaging_replies_with_message_and_media():
    xml = render_messaging([Message("Hello"), Message("Pic", media_urls=("https://m/1.png",)),
                            Hangup()])

    element = root(xml)
    assert [e.tag for e in element] == ["Message", "Message"]
    assert element[0].text == "Hello"
    assert [c.tag for c in element[1]] == ["Body", "Media"]


def test_an_empty_step_renders_an_empty_response():
    assert list(root(render_voice([], Urls()))) == []
    assert list(root(render_messaging([]))) == []


def test_characters_xml_forbids_are_dropped_not_sent_to_twilio():
    element = root(render_voice([Say("a\x08b\x00c")], Urls()))
    assert element[0].text == "abc"
    assert root(render_messaging([Message("hi\x1b")]))[0].text == "hi"
