"""Flow engine throughput on the largest real flow, and engine time per webhook (no I/O).

    .venv/bin/python bench/flow_engine.py

Prints widgets (steps) per second through patient-appointments.json (a reminder sent,
a reply, a confirmation request: HTTP answered by an in-memory fake), and the time one
voice webhook spends in the engine plus TwiML rendering for the default IVR, warm, with
no DynamoDB and no network. Figures only; no assertion on time.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.adapters.twilio.twiml import render_voice  # noqa: E402
from chalicelib.config import Settings  # noqa: E402
from chalicelib.domain.flows.engine import FlowEngine, Trigger  # noqa: E402
from chalicelib.domain.flows.model import parse_flow  # noqa: E402
from chalicelib.domain.flows.ports import HttpResponse  # noqa: E402
from chalicelib.domain.flows.runtime import FlowEnvironment  # noqa: E402
from chalicelib.services.voice import VoiceUrls  # noqa: E402

REAL = ROOT / "tests" / "fixtures" / "studio-flows" / "real"
ALL_WEEK = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                               "sun")}
ENV = FlowEnvironment("tn_bench", "UTC", ALL_WEEK, (), None, "+15005550001",
                      business_name="Bench Co")
DATA = json.dumps({"event_type": "REMIND", "patient_first_name": "Ann",
                   "provider_last_name": "Lee", "appointment_location": "Main St",
                   "provider_callback_phone": "555-0100", "appointment_id": "A1"})

# The app's own callback URLs (what a webhook renders), for a made-up public base URL.
SETTINGS = Settings.from_environ({
    "HOTLINE_STAGE": "bench", "PUBLIC_BASE_URL": "https://hotline.example.com/api",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "bench-token",
    "HOTLINE_JWT_SECRET": "bench-secret-bench-secret-bench-secret!!"})
URLS = VoiceUrls(SETTINGS, step=1, tenant_id="tn_bench")


class InstantHttp:
    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        return HttpResponse(200, '{"readable_datetime": "Monday at 10am"}', "application/json")


def appointments(rounds: int) -> tuple[int, float]:
    flow = parse_flow(json.loads((REAL / "patient-appointments.json").read_text()))
    engine = FlowEngine(InstantHttp())
    trigger = Trigger("incomingRequest", {"From": "+15005550001", "To": "+15005550006",
                                          "Parameters": DATA})
    steps = 0
    started = time.perf_counter()
    for _ in range(rounds):
        first = engine.start(flow, trigger, ENV, flow_id="FW1", revision=1)
        reply = engine.resume(flow, first.context, "send_remind",
                              {"Body": "CONFIRM APPT", "From": "+15005550006"}, ENV)
        steps += len(first.trail) + len(reply.trail)
    return steps, time.perf_counter() - started


def ivr_webhooks(rounds: int) -> list[float]:
    flow = parse_flow(json.loads((ROOT / "flows" / "voice-ivr.json").read_text()))
    engine = FlowEngine(InstantHttp())
    call = {"CallSid": "CA1", "From": "+15005550006", "To": "+15005550001"}
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        first = engine.start(flow, Trigger("incomingCall", call), ENV, flow_id="F", revision=1)
        render_voice(first.verbs, URLS)
        samples.append(time.perf_counter() - started)
        started = time.perf_counter()
        second = engine.resume(flow, first.context, "menu", {"Digits": "2"}, ENV)
        render_voice(second.verbs, URLS)
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    appointments(20)  # warm: Liquid imported and templates cached
    steps, seconds = appointments(300)
    print(f"patient-appointments.json: {steps} widget steps in {seconds:.3f}s "
          f"= {steps / seconds:,.0f} steps/s")
    ivr_webhooks(20)
    samples = sorted(ivr_webhooks(500))
    median = statistics.median(samples) * 1000
    p95 = samples[int(len(samples) * 0.95)] * 1000
    print(f"voice-ivr.json webhook in the engine + TwiML (no I/O): median {median:.3f} ms, "
          f"p95 {p95:.3f} ms over {len(samples)} webhooks")


if __name__ == "__main__":
    main()
