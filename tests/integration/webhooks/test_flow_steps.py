"""Flow webhooks, once per event: final steps replay their answer, a flow's HTTP requests
happen once per step, conversations do not double-step, and a widget that raises is
seen (logged with its stack, counted) while the caller hears the apology."""

from __future__ import annotations

import dataclasses
import json
import re
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.integration.webhooks.conftest import Business, path_of

APOLOGY = "Sorry, we can't take your call right now"


def _sid(prefix: str = "CA") -> str:
    return prefix + uuid.uuid4().hex


def _action(twiml: str, biz: Business, verb: str = "Gather") -> str:
    found = re.search(rf'<{verb}[^>]*action="([^"]+)"', twiml)
    assert found, twiml
    return path_of(found.group(1), biz.settings)


def _menu(biz: Business) -> tuple[str, str]:
    call = _sid()
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    return call, _action(twiml, biz)


def test_a_retried_voicemail_recording_replays_its_answer_not_the_apology(business_factory):
    # given a caller who chose voicemail and recorded a message (the flow's last step)
    biz = business_factory()
    call, menu = _menu(biz)
    record = _action(biz.answer(menu, biz.call_params(call, Digits="3")), biz, "Record")
    recorded = biz.call_params(call, RecordingUrl="https://api.twilio.com/rec/RE1",
                               RecordingSid=_sid("RE"), RecordingDuration="9")
    first = biz.answer(record, recorded)
    # when Twilio retries the Record action
    retry = biz.answer(record, recorded)
    print(f"\nRecord action: {first}")
    # then it hears the same answer, and the voicemail is on the interaction once
    assert retry == first
    assert APOLOGY not in first
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository

    stored = CrmRepository().get_interaction(biz.tenant_id, call)
    assert stored is not None and stored.outcome == "voicemail"


def test_a_retried_bridged_queue_result_replays_its_answer_not_the_apology(business_factory):
    # given a caller bridged to an agent, whose conversation has ended
    biz = business_factory()
    agent = biz.agent("dana")
    call, menu = _menu(biz)
    enqueue = biz.answer(menu, biz.call_params(call, Digits="2"))
    result = _action(enqueue, biz, "Enqueue")
    from chalicelib.wiring import get_agent_desk

    get_agent_desk().accept(biz.tenant_id, agent, biz.offer_of(agent))
    bridged = biz.call_params(call, QueueResult="bridged", QueueTime="20")
    first = biz.answer(result, bridged)
    # when Twilio retries the Enqueue action
    retry = biz.answer(result, bridged)
    print(f"\nEnqueue action (bridged): {first}")
    # then it hears the first answer again
    assert retry == first
    assert APOLOGY not in first


def test_a_widget_that_raises_is_logged_counted_and_answered_politely(
        business_factory, monkeypatch, caplog, capsys):
    # given a business-hours widget that raises
    from chalicelib.domain.flows.widgets import HANDLERS

    def broken(state, run):
        raise RuntimeError("calendar service exploded")

    monkeypatch.setitem(HANDLERS, "check-business-hours",
                        dataclasses.replace(HANDLERS["check-business-hours"], enter=broken))
    biz = business_factory()
    call = _sid()
    # when a call arrives
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    # then the caller hears the apology and the call ends
    print(f"\nwidget error: {twiml}")
    assert APOLOGY in twiml and "<Hangup" in twiml
    # and the error is logged with its stack and masked numbers
    logged = [r for r in caplog.records if "widget 'business_hours' failed" in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert biz.caller not in logged[0].getMessage() and "0123" in logged[0].getMessage()
    # and counted as an EMF metric in the Hotline namespace
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines()
           if line.startswith("{") and "_aws" in line]
    assert any(m["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Hotline"
               and m.get("WidgetErrors") in (1, 1.0, [1.0]) for m in emf), emf


# --- a flow's outbound HTTP ---------------------------------------------------------
class Endpoint:
    """A local HTTP endpoint that counts its hits, and can hang."""

    def __init__(self) -> None:
        self.hits = 0
        self.hang_seconds = 0.0
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with endpoint.lock:
                    endpoint.hits += 1
                if endpoint.hang_seconds:
                    threading.Event().wait(endpoint.hang_seconds)
                body = b'{"status": "ready"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/orders"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint(monkeypatch) -> Iterator[Endpoint]:
    """The test server on 127.0.0.1, reachable through the local-run setting only."""
    from chalicelib import wiring
    from chalicelib.config import get_settings

    monkeypatch.setenv("HOTLINE_ALLOW_LOOPBACK_HTTP", "1")
    monkeypatch.setenv("HOTLINE_HTTP_TIMEOUT", "1")
    get_settings.cache_clear()
    wiring.get_flow_engine.cache_clear()
    server = Endpoint()
    yield server
    server.close()
    get_settings.cache_clear()
    wiring.get_flow_engine.cache_clear()


def http_flow(url: str) -> dict:
    say = lambda name, text: {"name": name, "type": "say-play",  # noqa: E731
                              "transitions": [{"event": "audioComplete"}],
                              "properties": {"say": text}}
    return {"description": "order status over HTTP", "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": True},
            "states": [
                {"name": "Trigger", "type": "trigger", "properties": {},
                 "transitions": [{"event": "incomingMessage"}, {"event": "incomingRequest"},
                                 {"event": "incomingCall", "next": "fetch"}]},
                {"name": "fetch", "type": "make-http-request",
                 "properties": {"method": "GET", "url": url,
                                "content_type": "application/json"},
                 "transitions": [{"event": "success", "next": "ready"},
                                 {"event": "failed", "next": "unknown"}]},
                say("ready", "Your order is {{widgets.fetch.parsed.status}}."),
                say("unknown", "We could not check your order just now. Goodbye.")]}


def with_http_flow(biz: Business, url: str) -> None:
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository

    flows = FlowRepository(biz.settings)
    flows.create(biz.tenant_id, "orders", "orders", http_flow(url))
    flows.publish(biz.tenant_id, "orders", http_flow(url), expected_revision=0)
    flows.bind_number(biz.tenant_id, biz.number, "orders", "voice")  # before any call


def test_a_flows_http_request_happens_once_per_event(business_factory, endpoint):
    # given a flow that asks an HTTP endpoint for the order's status
    biz = business_factory()
    with_http_flow(biz, endpoint.url)
    call = biz.call_params(_sid(), CallStatus="ringing")
    # when the call's webhook is delivered twice, then five times at once for another call
    first = biz.answer("/twilio/voice", call)
    again = biz.answer("/twilio/voice", call)
    other = biz.call_params(_sid(), CallStatus="ringing")
    with ThreadPoolExecutor(max_workers=5) as pool:
        burst = list(pool.map(lambda _: biz.answer("/twilio/voice", other), range(5)))
    print(f"\nHTTP flow: {first}")
    # then each call made one request and its answers agree
    assert "Your order is ready." in first and again == first
    assert len(set(burst)) == 1 and "Your order is ready." in burst[0]
    assert endpoint.hits == 2


def test_a_hanging_flow_endpoint_takes_the_failed_path_politely(business_factory, endpoint):
    # given a flow endpoint that hangs past the HTTP timeout (1 s here)
    biz = business_factory()
    with_http_flow(biz, endpoint.url)
    endpoint.hang_seconds = 3.0
    call = _sid()
    # when the call arrives
    twiml = biz.answer("/twilio/voice", biz.call_params(call, CallStatus="ringing"))
    print(f"\nhanging endpoint ({biz.last_seconds:.2f} s): {twiml}")
    # then the caller hears the flow's failure words, and the call is recorded
    assert "We could not check your order" in twiml
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository

    assert CrmRepository().get_interaction(biz.tenant_id, call) is not None


# --- conversations ------------------------------------------------------------------
# The Chalice test client shares one ``current_request`` between threads, so two
# *different* requests cannot run in parallel through it. These races are therefore
# interleaved exactly: the first message reads its execution, then the racer commits,
# then the first tries to commit what it read.
def _sms(biz: Business, sender: str, body: str) -> dict[str, str]:
    return {"MessageSid": _sid("SM"), "AccountSid": biz.tenant.twilio_account_sid,
            "From": sender, "To": biz.number, "Body": body, "SmsStatus": "received"}


def _racing_read(monkeypatch, racer) -> list[str]:
    """The next execution read returns, but only after ``racer()`` has run."""
    from chalicelib.wiring import get_flow_session

    executions = get_flow_session().executions
    read = executions.get_versioned
    fired: list[str] = []

    def stale_read(tenant_id, execution_id):
        found = read(tenant_id, execution_id)
        if not fired:
            fired.append(execution_id)
            racer()
        return found

    monkeypatch.setattr(executions, "get_versioned", stale_read)
    return fired


def test_two_messages_racing_in_one_conversation_step_the_flow_once_each(
        business_factory, monkeypatch):
    # given a conversation; message A reads its execution, then message B commits first
    biz = business_factory()
    sender = "+14155550999"
    first, second = _sms(biz, sender, "first"), _sms(biz, sender, "second")
    answers: dict[str, str] = {}
    fired = _racing_read(monkeypatch, lambda: answers.setdefault(
        "B", biz.answer("/twilio/sms", second)))
    # when A commits what it read
    answers["A"] = biz.answer("/twilio/sms", first)
    # then A's stale save lost and A ran again from a fresh read: B's step handed the
    # conversation off, so A (issue 9) joined that task's thread instead of stepping the
    # flow again: one acknowledgement, one hand-off, both messages on the one thread
    assert fired and set(answers) == {"A", "B"}
    assert "<Message>" in answers["B"] and "<Message>" not in answers["A"]
    snapshot = biz.snapshot()
    messages = [i for i in snapshot["interactions"] if i.get("channel") == "sms"]
    assert [m["summary"] for m in messages] == ["second"]
    hand_offs = [i for i in snapshot["outbox"] if i["kind"] == "routing.enqueue_message"]
    assert len(hand_offs) == 1 and hand_offs[0]["status"] == "done"
    from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository

    store = ConversationRepository(biz.settings)
    [thread] = [t for t in snapshot["conversations"] if str(t["key"]).startswith("thread#")]
    bodies = sorted(m.body for m in store.messages(biz.tenant_id, thread["thread_id"]))
    assert bodies == ["first", "second"]


def test_a_reply_racing_the_timeout_sweep_is_not_applied_twice(business_factory,
                                                                monkeypatch):
    # given a conversation waiting for a reply (send-and-wait-for-reply) past its deadline
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository

    biz = business_factory()
    ask = {"description": "confirm", "initial_state": "Trigger", "flags": {},
           "states": [
               {"name": "Trigger", "type": "trigger", "properties": {},
                "transitions": [{"event": "incomingMessage", "next": "ask"},
                                {"event": "incomingCall"}, {"event": "incomingRequest"}]},
               {"name": "ask", "type": "send-and-wait-for-reply",
                "properties": {"body": "Reply YES to confirm", "timeout": "1"},
                "transitions": [{"event": "incomingMessage", "next": "thanks"},
                                {"event": "timeout", "next": "late"},
                                {"event": "deliveryFailure"}]},
               {"name": "thanks", "type": "send-message", "properties": {"body": "Thanks!"},
                "transitions": [{"event": "sent"}, {"event": "failed"}]},
               {"name": "late", "type": "send-message", "properties": {"body": "Too late."},
                "transitions": [{"event": "sent"}, {"event": "failed"}]}]}
    flows = FlowRepository(biz.settings)
    flows.create(biz.tenant_id, "confirm", "confirm", ask)
    flows.publish(biz.tenant_id, "confirm", ask, expected_revision=0)
    flows.bind_number(biz.tenant_id, biz.number, "confirm", "sms")
    sender = "+14155550888"
    biz.answer("/twilio/sms", _sms(biz, sender, "hello"))
    # when the reply reads the execution, and the sweep times it out before the reply saves
    import time as clock

    from chalicelib.routes.schedule import run_sweep

    clock.sleep(1.2)  # the one-second deadline passes (the engine reads the real clock)
    _racing_read(monkeypatch, lambda: run_sweep(clock.time()))
    biz.answer("/twilio/sms", _sms(biz, sender, "YES"))
    # then the timeout path ran once, and the reply was not applied to the ended wait
    bodies = [body for _, body in biz.carrier.of(biz.tenant_id)]
    assert bodies.count("Too late.") == 1
    assert bodies.count("Thanks!") == 0
    # (the reply started a new wait: let it time out too, so no later test's sweep
    # finds this tenant's conversation due)
    clock.sleep(1.2)
    run_sweep(clock.time())
    assert [body for _, body in biz.carrier.of(biz.tenant_id)].count("Too late.") == 2
