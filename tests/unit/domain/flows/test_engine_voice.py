import json

from chalicelib.domain.flows.engine import APOLOGY
from chalicelib.domain.flows.verbs import (
    Dial,
    Enqueue,
    ExecutionEnded,
    Gather,
    Hangup,
    Play,
    PlayDigits,
    Record,
    Redirect,
    Say,
    VoicemailRecorded,
)
from tests.unit.domain.flows.helpers import (
    ENV,
    FixedClock,
    call,
    engine,
    events,
    flow_of,
    said,
    state,
)

MENU = state("menu", "gather-input-on-call",
             {"keypress": "route", "speech": "heard", "timeout": "timed_out"},
             say="Press 1 or 2", number_of_digits=1, finish_on_key="*", timeout=7, loop=2,
             voice="alice", hints="sales,support", speech_timeout="auto")
ROUTE = state("route", "split-based-on", [
    {"event": "noMatch", "next": "nomatch"},
    {"event": "match", "next": "one", "conditions": [
        {"arguments": ["{{widgets.menu.Digits}}"], "type": "equal_to", "value": "1"}]},
    {"event": "match", "next": "big", "conditions": [
        {"arguments": ["{{widgets.menu.Digits}}"], "type": "greater_than", "value": "5"}]},
], input="{{widgets.menu.Digits}}")
SAYS = [state(n, "say-play", {"audioComplete": None}, say=f"said {n}")
        for n in ("one", "big", "nomatch", "heard", "timed_out")]
IVR = flow_of(MENU, ROUTE, *SAYS)


def test_say_play_says_then_follows_audio_complete():
    flow = flow_of(state("hi", "say-play", {"audioComplete": "bye"},
                         say="Hello {{trigger.call.From}}", voice="Polly.Amy",
                         language="en-GB", loop=2),
                   state("bye", "say-play", {"audioComplete": None}, play="https://a/b.mp3"))

    result = call(flow)

    assert result.verbs[0] == Say("Hello +15551230000", "Polly.Amy", "en-GB", 2)
    assert result.verbs[1] == Play("https://a/b.mp3")
    assert isinstance(result.verbs[-1], Hangup)
    assert result.status == "ended"


def test_say_play_digits_plays_tones():
    result = call(flow_of(state("d", "say-play", {"audioComplete": None}, digits="12#")))
    assert result.verbs[0] == PlayDigits("12#")


def test_gather_waits_with_its_prompt_and_options():
    result = call(IVR)

    gather = result.verbs[0]
    assert isinstance(gather, Gather)
    assert gather.prompts == (Say("Press 1 or 2", "alice", None, 2),)
    assert (gather.num_digits, gather.finish_on_key, gather.timeout) == (1, "*", 7)
    assert (gather.input, gather.hints, gather.speech_timeout) == ("dtmf speech", "sales,support",
                                                                   "auto")
    assert gather.resume == "menu"
    assert result.status == "waiting" and result.context.waiting_on == "menu"


def test_keypress_resumes_into_split_and_matches_the_digit():
    waiting = call(IVR)

    result = engine().resume(IVR, waiting.context, "menu", {"Digits": "1"}, ENV)

    assert said(result) == ["said one"]
    assert events(result)[:2] == [("menu", "keypress"), ("route", "match")]
    assert result.context.widgets["menu"]["Digits"] == "1"


def test_split_greater_than_compares_digits_as_numbers():
    waiting = call(IVR)
    result = engine().resume(IVR, waiting.context, "menu", {"Digits": "7"}, ENV)
    assert said(result) == ["said big"]


def test_split_without_a_match_takes_no_match():
    waiting = call(IVR)
    result = engine().resume(IVR, waiting.context, "menu", {"Digits": "3"}, ENV)
    assert said(result) == ["said nomatch"]


def test_speech_and_timeout_events():
    waiting = call(IVR)
    speech = engine().resume(IVR, waiting.context, "menu",
                             {"SpeechResult": "sales please", "Confidence": "0.8"}, ENV)
    silence = engine().resume(IVR, waiting.context, "menu", {}, ENV)

    assert said(speech) == ["said heard"]
    assert speech.context.widgets["menu"]["SpeechResult"] == "sales please"
    assert said(silence) == ["said timed_out"]


def test_widget_without_a_transition_for_its_event_ends_the_call():
    flow = flow_of(state("menu", "gather-input-on-call", {"keypress": None}, say="Hi"))
    waiting = call(flow)

    result = engine().resume(flow, waiting.context, "menu", {"Digits": "5"}, ENV)

    assert result.status == "ended"
    assert result.verbs == [Hangup()]
    assert ExecutionEnded("completed", None) in result.effects


def test_set_variables_renders_liquid_into_flow_variables():
    flow = flow_of(state("vars", "set-variables", {"next": "say"},
                         variables=[{"key": "n", "value": "{{ 2 | plus: 3 }}"},
                                    {"key": "m", "value": "{{ flow.variables.n | plus: 1 }}"}]),
                   state("say", "say-play", {"audioComplete": None},
                         say="{{flow.variables.n}} {{flow.variables.m}}"))

    result = call(flow)

    assert said(result) == ["5 6"]
    assert result.context.variables == {"n": "5", "m": "6"}


def test_enqueue_call_goes_into_hotlines_queue_with_rendered_attributes():
    flow = flow_of(state("q", "enqueue-call",
                         {"callComplete": None, "failedToEnqueue": "sorry", "callFailure": None},
                         queue_name="support", priority="{{ 5 | plus: 5 }}", timeout=300,
                         task_attributes='{"from": "{{trigger.call.From}}", "vip": true}'),
                   state("sorry", "say-play", {"audioComplete": None}, say="Sorry"))

    result = call(flow)

    assert result.verbs == [Enqueue("support", 10, 300, {"from": "+15551230000", "vip": True},
                                    "q")]
    assert result.status == "waiting"


def test_enqueue_action_queue_result_picks_studios_event():
    flow = flow_of(state("q", "send-to-flex",
                         {"callComplete": None, "failedToEnqueue": "sorry", "callFailure": "fail"},
                         attributes='{"type": "inbound"}', priority="3"),
                   state("sorry", "say-play", {"audioComplete": None}, say="Sorry"),
                   state("fail", "say-play", {"audioComplete": None}, say="Failed"))
    waiting = call(flow)
    assert waiting.verbs[0].attributes == {"type": "inbound"}

    def outcome(result: str) -> list[tuple[str, str | None]]:
        return events(engine().resume(flow, waiting.context, "q", {"QueueResult": result}, ENV))

    assert outcome("bridged")[0] == ("q", "callComplete")
    assert outcome("hangup")[0] == ("q", "callComplete")
    assert outcome("queue-full")[0] == ("q", "failedToEnqueue")
    assert outcome("system-error")[0] == ("q", "callFailure")


def test_record_voicemail_records_and_reports_the_recording():
    flow = flow_of(state("vm", "record-voicemail",
                         {"recordingComplete": "thanks", "noAudio": "none", "hangup": None},
                         max_length=120, timeout=4, finish_on_key="#", play_beep="true",
                         transcribe=True),
                   state("thanks", "say-play", {"audioComplete": None}, say="Thanks"),
                   state("none", "say-play", {"audioComplete": None}, say="Nothing"))
    waiting = call(flow)
    assert waiting.verbs == [Record(120, 4, "#", True, True, None, "vm")]

    done = engine().resume(flow, waiting.context, "vm",
                           {"RecordingUrl": "https://r/RE1", "RecordingDuration": "12",
                            "RecordingSid": "RE1"}, ENV)
    silent = engine().resume(flow, waiting.context, "vm", {"RecordingDuration": "0"}, ENV)
    hung_up = engine().resume(flow, waiting.context, "vm",
                              {"RecordingUrl": "https://r/RE2", "RecordingDuration": "4",
                               "Digits": "hangup"}, ENV)

    assert said(done) == ["Thanks"]
    assert VoicemailRecorded("https://r/RE1", 12, None, "vm", "RE1") in done.effects
    assert said(silent) == ["Nothing"]
    assert events(hung_up)[0] == ("vm", "hangup")
    assert any(isinstance(e, VoicemailRecorded) for e in hung_up.effects)


def test_check_business_hours_uses_the_tenants_hours_or_its_own():
    flow = flow_of(state("hours", "check-business-hours", {"open": "o", "closed": "c"}),
                   state("o", "say-play", {"audioComplete": None}, say="open"),
                   state("c", "say-play", {"audioComplete": None}, say="closed"))
    own = flow_of(state("hours", "check-business-hours", {"open": "o", "closed": "c"},
                        timezone="Asia/Tokyo", hours={"sun": [["00:00", "01:00"]]},
                        holidays=[]),
                  state("o", "say-play", {"audioComplete": None}, say="open"),
                  state("c", "say-play", {"audioComplete": None}, say="closed"))

    assert said(call(flow)) == ["open"]  # ENV is always open
    assert said(call(own)) == ["closed"]  # Monday 00:06 in Tokyo, after the Sunday hour


def test_connect_call_to_dials_and_maps_the_dial_outcome():
    flow = flow_of(state("fwd", "connect-call-to", {"callCompleted": "after", "hangup": None},
                         noun="number-multi", to="+15550001, +15550002",
                         caller_id="{{contact.channel.address}}", timeout=20, record=True),
                   state("after", "say-play", {"audioComplete": None}, say="after"))
    waiting = call(flow)
    dial = waiting.verbs[0]
    assert isinstance(dial, Dial)
    assert [t.value for t in dial.targets] == ["+15550001", "+15550002"]
    assert (dial.caller_id, dial.timeout, dial.record) == ("+15551230000", 20, True)

    done = engine().resume(flow, waiting.context, "fwd",
                           {"DialCallStatus": "completed", "CallStatus": "in-progress"}, ENV)
    gone = engine().resume(flow, waiting.context, "fwd",
                           {"DialCallStatus": "completed", "CallStatus": "completed"}, ENV)
    assert said(done) == ["after"]
    assert done.context.widgets["fwd"]["DialCallStatus"] == "completed"
    assert events(gone) == [("fwd", "hangup")]


def test_connect_call_to_client_sip_and_conference():
    for noun, props, kind, value in [
        ("client", {"to": "agent_7"}, "client", "agent_7"),
        ("sip", {"sip_endpoint": "sip:a@b.com", "sip_username": "u"}, "sip", "sip:a@b.com"),
        ("conference", {"to": "room-1"}, "conference", "room-1"),
    ]:
        flow = flow_of(state("c", "connect-call-to", {"callCompleted": None, "hangup": None},
                             noun=noun, **props))
        target = call(flow).verbs[0].targets[0]
        assert (target.kind, target.value) == (kind, value)


def test_add_twiml_redirect_waits_and_resumes_on_return_timeout_or_fail():
    flow = flow_of(state("r", "add-twiml-redirect",
                         {"return": "back", "timeout": None, "fail": None},
                         url="https://x.example/twiml", method="GET"),
                   state("back", "say-play", {"audioComplete": None}, say="welcome back"))
    waiting = call(flow)
    assert waiting.verbs == [Redirect("https://x.example/twiml", "GET", "r")]

    assert said(engine().resume(flow, waiting.context, "r", {"FlowEvent": "return"}, ENV)) == [
        "welcome back"]
    assert events(engine().resume(flow, waiting.context, "r", {"FlowEvent": "fail"}, ENV)) == [
        ("r", "fail")]


def test_a_runaway_loop_stops_after_max_steps_and_apologises():
    flow = flow_of(state("a", "set-variables", {"next": "b"}, variables=[]),
                   state("b", "set-variables", {"next": "a"}, variables=[]))

    result = call(flow, engine(max_steps=20))

    assert result.verbs == [Say(APOLOGY), Hangup()]
    assert result.status == "ended"
    assert ExecutionEnded("max-steps", "b") in result.effects or ExecutionEnded(
        "max-steps", "a") in result.effects


def test_resume_for_another_widget_is_ignored_and_changes_nothing():
    waiting = call(IVR)

    result = engine().resume(IVR, waiting.context, "route", {"Digits": "1"}, ENV)

    assert result.verbs == [] and result.status == "waiting"
    assert result.context.waiting_on == "menu"
    assert result.warnings


def test_resume_does_not_mutate_the_stored_context():
    waiting = call(IVR)
    before = json.dumps(waiting.context.to_dict(), sort_keys=True)

    engine().resume(IVR, waiting.context, "menu", {"Digits": "1"}, ENV)

    assert json.dumps(waiting.context.to_dict(), sort_keys=True) == before


def test_unsupported_widget_at_run_time_ends_the_call_politely():
    flow = flow_of(state("pay", "capture-payments", {"success": None}))
    result = call(flow)
    assert result.verbs == [Hangup()]
    assert events(result)[-1] == ("pay", "unsupported")


def test_context_survives_json_round_trip_mid_call():
    waiting = call(IVR)
    stored = json.loads(json.dumps(waiting.context.to_dict()))

    from chalicelib.domain.flows.context import ExecutionContext
    context = ExecutionContext.from_dict(stored)
    result = engine(clock=FixedClock()).resume(IVR, context, "menu", {"Digits": "1"}, ENV)

    assert said(result) == ["said one"]
    assert context.revision == 1 and context.flow_id == "FW1"
    assert context.flow_address == "+15559870000"
    assert context.contact_address == "+15551230000"
