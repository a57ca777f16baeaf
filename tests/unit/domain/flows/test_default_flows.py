"""The default flows in flows/ through the journeys a small business's callers take."""

import json
from dataclasses import replace
from pathlib import Path

from chalicelib.domain.flows.model import parse_flow
from chalicelib.domain.flows.runtime import FlowEnvironment
from chalicelib.domain.flows.simulation import Simulation
from chalicelib.domain.flows.verbs import Enqueue, HandOffToTenant, VoicemailRecorded
from tests.unit.domain.flows.helpers import ALWAYS_OPEN, FakeHttp

FLOWS = Path(__file__).resolve().parents[4] / "flows"
OPEN = FlowEnvironment("tn_acme", weekly_hours=ALWAYS_OPEN, business_name="Acme Bikes")
CLOSED = FlowEnvironment("tn_acme", weekly_hours={}, business_name="Acme Bikes")


def run(name, env, trigger, inputs=()):
    flow = parse_flow(json.loads((FLOWS / name).read_text()))
    return Simulation(flow, http=FakeHttp(), env=env).run(trigger, list(inputs))


def queued(transcript):
    return [v for v in transcript.verbs if isinstance(v, Enqueue)]


def test_ivr_welcomes_by_name_and_queues_support_on_2():
    t = run("voice-ivr.json", OPEN, "call", [("digits", "2")])
    assert t.heard[:2] == ["Thanks for calling Acme Bikes.",
                           "Press 1 for orders, press 2 for support, press 3 to leave a voicemail."]
    [enqueue] = queued(t)
    assert enqueue.queue == "support"
    assert enqueue.attributes["from"] == "+15005550006"


def test_ivr_queues_orders_on_1_and_by_speech():
    assert queued(run("voice-ivr.json", OPEN, "call", [("digits", "1")]))[0].queue == "orders"
    assert queued(run("voice-ivr.json", OPEN, "call",
                      [("speech", "I have a question about my order")]))[0].queue == "orders"


def test_ivr_takes_a_voicemail_on_3():
    t = run("voice-ivr.json", OPEN, "call", [("digits", "3"), ("record", "25")])
    assert any(isinstance(e, VoicemailRecorded) and e.duration == 25 for e in t.effects)
    assert t.heard[-1] == "Thank you for your message. Goodbye."


def test_ivr_reprompts_once_on_invalid_input_then_ends_politely():
    t = run("voice-ivr.json", OPEN, "call", [("digits", "9"), ("digits", "8")])
    assert t.heard[2] == "Sorry, I didn't get that."
    assert t.heard[-1] == "Sorry, we could not understand your choice. Please call again. Goodbye."
    assert queued(t) == [] and t.status == "ended"


def test_ivr_reprompts_after_silence():
    t = run("voice-ivr.json", OPEN, "call", [])
    assert t.heard.count("Sorry, I didn't get that.") == 1
    assert t.status == "ended"


def test_ivr_after_hours_goes_to_voicemail():
    t = run("voice-ivr.json", CLOSED, "call", [("record", "12")])
    assert t.heard[1].startswith("We are closed right now.")
    assert any(isinstance(e, VoicemailRecorded) for e in t.effects)


def test_ivr_after_hours_says_the_owners_own_closed_hours_message():
    # given an owner who wrote what callers hear after hours (admin page, Tenant.messages)
    env = replace(CLOSED, closed_hours_message="Aqua is closed until 8. Leave a message.")
    # when a caller rings while closed
    t = run("voice-ivr.json", env, "call", [("record", "12")])
    # then they hear those words, then the voicemail prompt, as before
    assert t.heard[1] == "Aqua is closed until 8. Leave a message."
    assert any(isinstance(e, VoicemailRecorded) for e in t.effects)


def test_ivr_falls_back_to_voicemail_when_the_queue_is_full():
    t = run("voice-ivr.json", OPEN, "call", [("digits", "2"), ("queue", "queue-full"),
                                             ("record", "9")])
    assert "Sorry, no one can take your call right now." in t.heard
    assert any(isinstance(e, VoicemailRecorded) for e in t.effects)


def test_sms_autoreply_acknowledges_and_hands_off_to_an_agent():
    t = run("sms-autoreply.json", OPEN, "sms", [("sms", "Is my bike ready?")])
    assert t.received == ["Thanks for texting Acme Bikes! An agent will reply here shortly."]
    [enqueue] = queued(t)
    assert (enqueue.queue, enqueue.channel, enqueue.attributes["after_hours"]) == (
        "support", "sms", False)


def test_sms_autoreply_after_hours_says_so_and_still_queues():
    t = run("sms-autoreply.json", CLOSED, "sms", [("sms", "hello")])
    assert "closed right now" in t.received[0]
    assert queued(t)[0].attributes["after_hours"] is True


def test_whatsapp_gets_the_same_autoreply():
    t = run("sms-autoreply.json", OPEN, "whatsapp", [("sms", "hi")])
    assert t.received == ["Thanks for texting Acme Bikes! An agent will reply here shortly."]
    assert queued(t)[0].channel == "whatsapp"


def test_shared_number_menu_hands_the_caller_to_the_chosen_business():
    t = run("shared-number-menu.json", OPEN, "call", [("digits", "2")])
    assert t.heard[0].startswith("Welcome. For Acme Plumbing, press 1. For Bright Dental")
    assert HandOffToTenant("tn_bright_dental") in t.effects


def test_shared_number_menu_understands_a_spoken_business_name():
    t = run("shared-number-menu.json", OPEN, "call", [("speech", "city tutors please")])
    assert HandOffToTenant("tn_city_tutors") in t.effects
