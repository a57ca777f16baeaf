"""``hotline flows``: validate and simulate flow files with the engine Lambda runs.

    hotline flows validate flows/*.json
    hotline flows simulate flows/voice-ivr.json --channel voice --input digits=2
    hotline flows simulate flow.json --channel sms --input sms="CONFIRM APPT" --json
    hotline flows simulate flow.json --trigger request --data event_type=REMIND \\
        --http-response https://api.example/=answer.json
    hotline flows schema --write
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain.flows.model import FlowInvalid, parse_flow
from chalicelib.domain.flows.ports import HttpFailure, HttpPort, HttpResponse
from chalicelib.domain.flows.runtime import FlowEnvironment
from chalicelib.domain.flows.simulation import NUMBER, Simulation
from chalicelib.domain.flows.validation import validate_flow

INPUT_KINDS = ("digits", "speech", "sms", "record", "dial", "queue", "redirect", "call",
               "hangup")
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "flows" / "schema.json"
ALL_WEEK = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                               "sun")}


def register(commands: Any) -> None:
    flows = commands.add_parser("flows", help="validate and simulate flows")
    sub = flows.add_subparsers(dest="flows_command", required=True)

    validate = sub.add_parser("validate", help="validate flow JSON files")
    validate.add_argument("paths", nargs="+", type=Path)
    validate.add_argument("--account-sid", help="the Twilio account the flows belong to")
    validate.add_argument("--strict", action="store_true", help="warnings fail too")
    validate.set_defaults(run=run_validate)

    simulate = sub.add_parser("simulate", help="run a flow with scripted caller input")
    simulate.add_argument("path", type=Path)
    simulate.add_argument("--channel", choices=("voice", "sms", "whatsapp"), default="voice")
    simulate.add_argument("--trigger", choices=("call", "message", "request"),
                          help="what starts the flow (default: from --channel)")
    simulate.add_argument("--input", action="append", default=[], metavar="KIND=VALUE",
                          help=f"caller input in order; KIND is one of {', '.join(INPUT_KINDS)}")
    simulate.add_argument("--data", action="append", default=[], metavar="KEY=VALUE",
                          help="flow.data for a request trigger")
    simulate.add_argument("--http-stub", metavar="URL",
                          help="send every HTTP widget request to this local base URL")
    simulate.add_argument("--http-response", action="append", default=[],
                          metavar="URL=FILE.json",
                          help="answer requests whose URL starts with URL with this file")
    simulate.add_argument("--closed", action="store_true",
                          help="simulate outside business hours (default: open)")
    simulate.add_argument("--business-name", default="Demo Business")
    simulate.add_argument("--json", action="store_true", help="print the transcript as JSON")
    simulate.set_defaults(run=run_simulate)

    schema = sub.add_parser("schema", help="print or write flows/schema.json")
    schema.add_argument("--write", action="store_true")
    schema.set_defaults(run=run_schema)


# -- validate -------------------------------------------------------------------------

def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def run_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            doc = _load(path)
        except (OSError, ValueError) as exc:
            print(f"{path}: cannot read: {exc}")
            failed += 1
            continue
        if isinstance(doc, dict) and "$schema" in doc:
            print(f"{path}: skipped (a JSON Schema, not a flow)")
            continue
        issues = validate_flow(doc, account_sid=args.account_sid)
        blocking = [i for i in issues if i.severity == "error" or args.strict]
        for issue in issues:
            label = "" if issue.severity == "error" else "warning: "
            print(f"{path}: {label}{issue.describe()}")
        if blocking:
            failed += 1
        elif not issues:
            print(f"{path}: ok")
    return 1 if failed else 0


# -- simulate -------------------------------------------------------------------------

class CannedHttp:
    """HTTP answers from files (``--http-response``), or a local stub (``--http-stub``)."""

    def __init__(self, canned: Mapping[str, Path], stub: str | None) -> None:
        self.canned = dict(canned)
        self.stub = stub.rstrip("/") if stub else None
        self.real: HttpPort | None = None

    def request(self, method: str, url: str, *, headers: Mapping[str, str],
                body: bytes | None, content_type: str | None,
                timeout: float) -> HttpResponse:
        for prefix, path in self.canned.items():
            if url.startswith(prefix):
                text = path.read_text(encoding="utf-8")
                kind = "application/json" if path.suffix == ".json" else "text/plain"
                return HttpResponse(200, text, kind)
        if self.stub is None:
            raise HttpFailure(f"no --http-response or --http-stub for {url}")
        from urllib.parse import urlsplit

        from chalicelib.adapters.http_client import UrllibHttp

        parts = urlsplit(url)
        target = self.stub + parts.path + (f"?{parts.query}" if parts.query else "")
        # --http-stub is the developer naming a local server explicitly: loopback is
        # allowed for it (private and link-local addresses stay blocked).
        self.real = self.real or UrllibHttp(allow_loopback=True)
        return self.real.request(method, target, headers=headers, body=body,
                                 content_type=content_type, timeout=timeout)


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"{what} {item!r} must look like KEY=VALUE")
        out.append((key.strip(), value))
    return out


def run_simulate(args: argparse.Namespace) -> int:
    try:
        flow = parse_flow(_load(args.path))
    except (OSError, ValueError) as exc:
        print(f"{args.path}: cannot read: {exc}", file=sys.stderr)
        return 2
    except FlowInvalid as exc:
        for issue in exc.issues:
            print(f"{args.path}: {issue.describe()}", file=sys.stderr)
        return 1
    inputs = _pairs(args.input, "--input")
    for kind, _ in inputs:
        if kind not in INPUT_KINDS:
            raise SystemExit(f"--input kind {kind!r} is not one of {', '.join(INPUT_KINDS)}")
    canned = {url: Path(file) for url, file in _pairs(args.http_response, "--http-response")}
    env = FlowEnvironment("tn_simulated", "UTC", {} if args.closed else ALL_WEEK,
                          number=NUMBER, business_name=args.business_name)
    trigger = args.trigger or ("call" if args.channel == "voice" else args.channel)
    if trigger == "message":
        trigger = "sms" if args.channel == "voice" else args.channel
    simulation = Simulation(flow, http=CannedHttp(canned, args.http_stub), env=env)
    transcript = simulation.run(trigger, inputs, dict(_pairs(args.data, "--data")))
    if args.json:
        print(json.dumps(transcript.to_dict(), indent=2))
    else:
        print("\n".join(transcript.lines))
        print(f"-- {transcript.status} after {transcript.webhooks} webhook(s)")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from chalicelib.domain.flows.schema import flow_schema

    text = json.dumps(flow_schema(), indent=2) + "\n"
    if args.write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        print(text, end="")
    return 0
