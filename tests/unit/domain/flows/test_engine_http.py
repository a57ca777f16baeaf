import json

from chalicelib.domain.flows.ports import HttpFailure, HttpResponse
from tests.unit.domain.flows.helpers import (
    FakeHttp,
    FixedClock,
    call,
    engine,
    events,
    flow_of,
    said,
    state,
)

AFTER = [state("ok", "say-play", {"audioComplete": None},
               say="{{widgets.api.parsed.greeting}} {{widgets.api.status_code}}"),
         state("bad", "say-play", {"audioComplete": None},
               say="failed {{widgets.api.status_code}}")]


def request_flow(**props):
    return flow_of(state("api", "make-http-request", {"success": "ok", "failed": "bad"}, **props),
                   *AFTER)


def test_make_http_request_parses_json_into_widgets_parsed():
    http = FakeHttp({"https://api.example/": HttpResponse(200, '{"greeting": "Howdy"}',
                                                          "application/json")})
    flow = request_flow(method="GET", url="https://api.example/hello",
                        parameters=[{"key": "from", "value": "{{trigger.call.From}}"}])

    result = call(flow, engine(http))

    assert said(result) == ["Howdy 200"]
    assert http.requests[0]["url"] == "https://api.example/hello?from=%2B15551230000"
    assert result.context.widgets["api"]["body"] == '{"greeting": "Howdy"}'


def test_post_json_sends_the_rendered_body():
    http = FakeHttp({"https://api.example/": HttpResponse(201, "created", "text/plain")})
    flow = request_flow(method="POST", url="https://api.example/x",
                        content_type="application/json;charset=utf-8",
                        body='{"caller": "{{trigger.call.From}}"}')

    call(flow, engine(http))

    sent = http.requests[0]
    assert json.loads(sent["body"]) == {"caller": "+15551230000"}
    assert sent["content_type"].startswith("application/json")


def test_non_2xx_network_errors_and_timeouts_take_failed():
    for answer in (HttpResponse(500, "oops", "text/plain"),
                   HttpFailure("timed out", timed_out=True),
                   HttpFailure("refused")):
        http = FakeHttp({"https://api.example/": answer})
        result = call(request_flow(method="GET", url="https://api.example/"), engine(http))
        assert events(result)[1] == ("api", "failed")


def test_each_request_timeout_is_capped_by_the_webhook_budget():
    http = FakeHttp({"https://api.example/": HttpResponse(200, "{}", "application/json")})
    flow = request_flow(method="GET", url="https://api.example/")
    call(flow, engine(http, http_budget_seconds=3.0))
    assert http.requests[0]["timeout"] == 3.0


def test_no_request_is_made_once_the_budget_is_spent():
    clock = FixedClock()

    class SlowHttp(FakeHttp):
        def request(self, *args, **kwargs):
            clock.now += 5
            return super().request(*args, **kwargs)

    http = SlowHttp({"https://api.example/": HttpResponse(200, "{}", "application/json")})
    flow = flow_of(state("a", "run-function", {"success": "b", "fail": "b"}, url="https://api.example/a"),
                   state("b", "run-function", {"success": None, "fail": None}, url="https://api.example/b"))

    result = call(flow, engine(http, clock=clock, http_budget_seconds=4.0))

    assert len(http.requests) == 1
    assert events(result)[-1] == ("b", "fail")
    assert "budget" in result.context.widgets["b"]["error"]


def test_run_function_posts_parameters_as_a_form():
    answer = HttpResponse(200, '{"isOpen": true}', "application/json")
    http = FakeHttp({"https://fn.example/": answer})
    flow = flow_of(state("fn", "run-function", {"success": "yes", "fail": None},
                         url="https://fn.example/check",
                         parameters=[{"key": "name", "value": "Example"}]),
                   state("yes", "split-based-on", [
                       {"event": "noMatch"},
                       {"event": "match", "next": "open", "conditions": [
                           {"arguments": ["{{widgets.fn.parsed.isOpen}}"], "type": "equal_to",
                            "value": "true"}]}], input="{{widgets.fn.parsed.isOpen}}"),
                   state("open", "say-play", {"audioComplete": None}, say="We are open"))

    result = call(flow, engine(http))

    assert http.requests[0]["method"] == "POST"
    assert http.requests[0]["body"] == b"name=Example"
    assert said(result) == ["We are open"]


def test_a_url_that_is_not_http_fails_without_a_request():
    http = FakeHttp()
    result = call(request_flow(method="GET", url="file:///etc/passwd"), engine(http))
    assert http.requests == [] and events(result)[1] == ("api", "failed")
