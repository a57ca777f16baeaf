from chalicelib.domain.flows.engine import Trigger
from chalicelib.domain.flows.verbs import (
    Enqueue,
    HandOffToTenant,
    MakeOutgoingCall,
    Message,
    SendMessage,
)
from tests.unit.domain.flows.helpers import (
    ENV,
    SMS,
    FixedClock,
    call,
    engine,
    events,
    flow_of,
    said,
    state,
    text,
)

ASK = state("ask", "send-and-wait-for-reply",
            {"incomingMessage": "check", "timeout": "late", "deliveryFailure": None},
            body="Reply YES to confirm", timeout="120")
CHECK = state("check", "split-based-on", [
    {"event": "noMatch", "next": "huh"},
    {"event": "match", "next": "thanks", "conditions": [
        {"arguments": ["{{widgets.ask.inbound.Body}}"], "type": "equal_to", "value": "YES"}]},
], input="{{widgets.ask.inbound.Body}}")
REPLIES = [state(n, "send-message", {"sent": None, "failed": None}, body=b)
           for n, b in (("thanks", "Confirmed, {{contact.channel.address}}"),
                        ("huh", "Sorry?"), ("late", "You did not answer in time"))]
CONFIRM = flow_of(ASK, CHECK, *REPLIES, trigger_event="incomingMessage")


def test_send_and_wait_replies_in_twiml_and_sets_a_deadline():
    clock = FixedClock()
    result = text(CONFIRM, eng=engine(clock=clock))

    assert result.verbs == [Message("Reply YES to confirm")]
    assert result.status == "waiting" and result.context.waiting_on == "ask"
    assert result.context.deadline == clock.now + 120
    assert result.context.channel == "sms"


def test_a_reply_resumes_the_flow_with_the_inbound_message():
    waiting = text(CONFIRM)

    result = engine().resume(CONFIRM, waiting.context, "ask", {**SMS, "Body": "yes"}, ENV)

    assert result.verbs == [Message("Confirmed, +15551230000")]
    assert result.context.widgets["ask"]["inbound"]["Body"] == "yes"
    assert result.context.deadline is None
    assert result.status == "ended"


def test_expire_takes_the_timeout_transition_once_the_deadline_passed():
    clock = FixedClock()
    waiting = text(CONFIRM, eng=engine(clock=clock))

    early = engine(clock=clock).expire(CONFIRM, waiting.context, ENV)
    clock.now += 121
    late = engine(clock=clock).expire(CONFIRM, waiting.context, ENV)

    assert early.status == "waiting" and early.effects == []
    assert events(late)[0] == ("ask", "timeout")
    # no webhook to answer: the message goes out through the REST API
    assert SendMessage("+15551230000", "+15559870000", "You did not answer in time") in late.effects
    assert late.status == "ended"


def test_whatsapp_is_sms_with_whatsapp_addresses():
    flow = flow_of(state("hi", "send-message", {"sent": None}, body="Hi {{trigger.message.Body}}"),
                   trigger_event="incomingMessage")
    params = {**SMS, "From": "whatsapp:+15551230000", "To": "whatsapp:+15559870000"}

    result = engine().start(flow, Trigger("incomingMessage", params), ENV, flow_id="F", revision=1)

    assert result.context.channel == "whatsapp"
    assert result.context.contact_address == "whatsapp:+15551230000"
    assert result.verbs == [Message("Hi hello")]


def test_send_message_to_someone_else_is_an_effect():
    flow = flow_of(state("tell", "send-message", {"sent": None}, to="+15550009999",
                         body="New call from {{trigger.call.From}}"))

    result = call(flow)

    sent = SendMessage("+15550009999", "+15559870000", "New call from +15551230000")
    assert sent in result.effects


def test_send_to_flex_on_sms_hands_the_conversation_to_an_agent_and_ends():
    flow = flow_of(state("agent", "send-to-flex", {"callComplete": None}, queue="support",
                         attributes='{"name": "{{trigger.message.From}}"}'),
                   trigger_event="incomingMessage")

    result = text(flow)

    assert result.verbs == [Enqueue("support", 0, None, {"name": "+15551230000"}, "agent",
                                    channel="sms")]
    assert result.status == "ended"


def test_hand_off_to_tenant_ends_with_a_hand_off_effect_and_no_hangup():
    flow = flow_of(state("pick", "gather-input-on-call", {"keypress": "go"}, say="1 or 2"),
                   state("go", "hand-off-to-tenant", {"failed": None},
                         tenant_id=("{% if widgets.pick.Digits == 1 %}tn_a"
                                    "{% else %}tn_b{% endif %}")))
    waiting = call(flow)

    result = engine().resume(flow, waiting.context, "pick", {"Digits": "1"}, ENV)

    assert HandOffToTenant("tn_a") in result.effects
    assert result.verbs == [] and result.status == "ended"


def test_make_outgoing_call_waits_for_the_call_and_maps_its_status():
    flow = flow_of(state("dial", "make-outgoing-call-v2",
                         {"answered": "hello", "busy": None, "noAnswer": None, "failed": None},
                         to="{{contact.channel.address}}", **{"from": "{{flow.channel.address}}"},
                         timeout=20),
                   state("hello", "say-play", {"audioComplete": None},
                         say="Hello {{flow.data.name}}"),
                   trigger_event="incomingRequest")
    start = engine().start(flow, Trigger("incomingRequest", {
        "From": "+15559870000", "To": "+15551230000", "Parameters": '{"name": "Ann"}'}),
        ENV, flow_id="F", revision=1)

    assert MakeOutgoingCall("+15551230000", "+15559870000", "dial", 20) in start.effects
    answered = engine().resume(flow, start.context, "dial", {"CallStatus": "in-progress"}, ENV)
    busy = engine().resume(flow, start.context, "dial", {"CallStatus": "busy"}, ENV)
    assert said(answered) == ["Hello Ann"]
    assert answered.context.channel == "voice"
    assert events(busy) == [("dial", "busy")]


def test_resuming_an_ended_execution_does_nothing():
    flow = flow_of(state("hi", "send-message", {"sent": None}, body="Hi"),
                   trigger_event="incomingMessage")
    ended = text(flow)

    again = engine().resume(flow, ended.context, "hi", SMS, ENV)

    assert again.verbs == [] and again.status == "ended"
