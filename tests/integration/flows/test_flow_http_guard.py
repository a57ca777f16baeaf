"""A flow's make-http-request / run-function aimed at a blocked address takes its failure
event, with the reason in the widget's variables and the log; the call goes on."""

from __future__ import annotations

import pytest

from chalicelib.adapters.http_client import UrllibHttp
from chalicelib.domain.flows.engine import FlowEngine
from tests.unit.domain.flows.helpers import FixedClock, call, events, flow_of, said, state

AFTER = [state("ok", "say-play", {"audioComplete": None}, say="reached it"),
         state("bad", "say-play", {"audioComplete": None},
               say="Sorry, {{widgets.api.error}}")]


def guarded_engine(**kwargs) -> FlowEngine:
    def resolve(host: str, port: int) -> list[str]:
        return {"metadata.internal.example": ["169.254.169.254"],
                "db.internal.example": ["10.1.2.3"]}[host]
    return FlowEngine(UrllibHttp(resolver=resolve, **kwargs), clock=FixedClock())


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://metadata.internal.example/",
    "https://db.internal.example:8443/admin",
    "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
    "http://[::ffff:10.0.0.1]/"])
def test_make_http_request_to_a_blocked_address_takes_failed_and_logs_why(url, caplog):
    flow = flow_of(state("api", "make-http-request", {"success": "ok", "failed": "bad"},
                         method="GET", url=url), *AFTER)

    with caplog.at_level("WARNING", logger="chalicelib.adapters.http_client"):
        result = call(flow, guarded_engine())

    assert ("api", "failed") in events(result)
    assert said(result)[0].startswith("Sorry, ")
    assert "may not reach" in said(result)[0] or "runtime API" in said(result)[0]
    assert result.context.widgets["api"]["status_code"] == 0
    assert "flow HTTP GET" in caplog.text and "refused or failed" in caplog.text


def test_run_function_to_a_private_address_takes_fail():
    flow = flow_of(state("fn", "run-function", {"success": "ok", "fail": "bad"},
                         url="https://db.internal.example/fn"), *AFTER)

    result = call(flow, guarded_engine())

    assert ("fn", "fail") in events(result)
    assert "10.1.2.3" in result.context.widgets["fn"]["error"]
