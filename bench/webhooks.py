"""Cold start and DynamoDB requests per webhook. Prints its figures; asserts nothing.

    .venv/bin/python -m bench.webhooks [--runs 7]

1. Cold import of app.py in a fresh process (bytecode compiled), median of N runs.
2. The first voice webhook in a fresh process: imports + one signed POST /twilio/voice
   through the flow engine, on DynamoDB Local, median of N runs.
3. DynamoDB requests each webhook of the journey makes, cold (first in a container) and
   warm (caches filled), counted at botocore's API-call boundary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dynamo_requests import counted  # noqa: E402
from devtools.ddblocal import DynamoDBLocal, free_port, local_aws_environ  # noqa: E402

ENV = {
    "HOTLINE_STAGE": "bench", "PUBLIC_BASE_URL": "https://bench.example.com/api",
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "platform-token",
    "HOTLINE_JWT_SECRET": "bench-secret-bench-secret-bench-secret!!",
    "HOTLINE_TABLE_PREFIX": "bench", "PYTHONDONTWRITEBYTECODE": "0",
}
ALWAYS_OPEN = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}

FIRST_WEBHOOK = r"""
import time
t0 = time.perf_counter()
import json, sys
from urllib.parse import urlencode
import app
params, token = json.loads(sys.argv[1]), sys.argv[2]
t_import = time.perf_counter()
from twilio.request_validator import RequestValidator  # the caller's part: not timed
sig = RequestValidator(token).compute_signature(
    "https://bench.example.com/api/twilio/voice", params)
t_sign = time.perf_counter()
event = {  # what API Gateway hands Lambda: the handler runs as in AWS, no test client
    "resource": "/twilio/voice", "path": "/twilio/voice", "httpMethod": "POST",
    "headers": {"Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": sig, "Host": "bench.example.com"},
    "multiValueHeaders": {}, "queryStringParameters": None,
    "multiValueQueryStringParameters": None, "pathParameters": None,
    "stageVariables": None, "body": urlencode(params), "isBase64Encoded": False,
    "requestContext": {"resourcePath": "/twilio/voice", "httpMethod": "POST",
                       "path": "/api/twilio/voice", "stage": "api",
                       "identity": {"sourceIp": "127.0.0.1"}},
}
response = app.app(event, None)
assert response["statusCode"] == 200 and "<Gather" in response["body"], response
t_end = time.perf_counter()
print((t_import - t0) + (t_end - t_sign))
"""


def median_of(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[float, list[float]]:
    samples = []
    for _ in range(runs):
        out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()[-1]
        samples.append(float(out))
    return statistics.median(samples), samples


def seed(env: dict[str, str]) -> dict[str, Any]:
    os.environ.update(env)
    from chalicelib.adapters.dynamo.flow_repository import FlowRepository
    from chalicelib.adapters.dynamo.tables import create_all
    from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
    from chalicelib.config import Settings
    from chalicelib.domain.identity import PhoneNumber, Tenant

    settings = Settings.from_environ(env)
    create_all(settings)
    tenant = Tenant(tenant_id="tn_bench", name="Bench Water", timezone="UTC",
                    twilio_account_sid="AC" + "5" * 32, twilio_auth_token="bench-token",
                    created_at=time.time(), profile={"hours": ALWAYS_OPEN})
    repo = TenantRepository(settings)
    repo.save(tenant)
    doc = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())
    flows = FlowRepository(settings)
    flows.create(tenant.tenant_id, "voice-ivr", "IVR", doc)
    flows.publish(tenant.tenant_id, "voice-ivr", doc, expected_revision=0)
    repo.save_number(PhoneNumber(number="+14155550100", tenant_id=tenant.tenant_id,
                                 flow_id="voice-ivr"))
    return {"account": tenant.twilio_account_sid, "token": tenant.twilio_auth_token,
            "number": "+14155550100"}


def count_requests(line: dict[str, Any]) -> list[tuple[str, Counter[str]]]:
    from urllib.parse import urlencode

    from chalice.test import Client
    from twilio.request_validator import RequestValidator

    import app
    from chalicelib import wiring

    wiring.reset()
    rows: list[tuple[str, Counter[str]]] = []

    def post(label: str, path: str, params: dict[str, str]) -> str:
        url = ENV["PUBLIC_BASE_URL"] + path
        sig = RequestValidator(line["token"]).compute_signature(url, params)
        with Client(app.app, stage_name="local") as client, counted() as calls:
            r = client.http.post(path, body=urlencode(params), headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": sig})
        rows.append((label, calls))
        return r.body.decode()

    def call_params(sid: str, **extra: str) -> dict[str, str]:
        return {"CallSid": sid, "AccountSid": line["account"], "From": "+14155550199",
                "To": line["number"], "CallStatus": "ringing", "Direction": "inbound",
                **extra}

    import re

    for label in ("cold", "warm"):
        sid = "CA" + uuid.uuid4().hex
        twiml = post(f"incoming call ({label})", "/twilio/voice", call_params(sid))
        action = re.search(r'action="([^"]+)"', twiml)
        assert action, twiml
        path = action.group(1).replace("&amp;", "&")[len(ENV["PUBLIC_BASE_URL"]):]
        post(f"menu answer, invalid digit ({label})", path, call_params(sid, Digits="9"))
        post(f"status callback ({label})", "/twilio/voice/status",
             call_params(sid, CallStatus="completed", CallDuration="30"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    ddb = DynamoDBLocal(free_port(), log_path=work / "ddb.log")
    ddb.start()
    try:
        env = {**os.environ, **ENV, **local_aws_environ(ddb.endpoint)}
        line = seed(env)
        python = sys.executable
        subprocess.run([python, "-m", "compileall", "-q", "app.py", "chalicelib"], cwd=ROOT,
                       check=True)
        import_cmd = [python, "-c", "import time; t=time.perf_counter(); import app; "
                      "print(time.perf_counter()-t)"]
        median, samples = median_of(import_cmd, args.runs, env)
        print(f"cold import of app.py: median {median * 1000:.1f} ms over {args.runs} runs "
              f"(min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f}); budget 150 ms")
        params = {"CallSid": "CA" + uuid.uuid4().hex, "AccountSid": line["account"],
                  "From": "+14155550123", "To": line["number"], "CallStatus": "ringing",
                  "Direction": "inbound"}
        samples = []
        for _ in range(args.runs):
            params["CallSid"] = "CA" + uuid.uuid4().hex
            out = subprocess.run([python, "-c", FIRST_WEBHOOK, json.dumps(params),
                                  line["token"]], env=env, cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1]
            samples.append(float(out))
        print(f"first voice webhook in a fresh process (imports + request + DynamoDB Local): "
              f"median {statistics.median(samples) * 1000:.1f} ms "
              f"(min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f}); budget 500 ms")
        print("\nDynamoDB requests per webhook (budget: at most 3 on the warm common path):")
        for label, calls in count_requests(line):
            detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
            print(f"  {label:<40} {sum(calls.values()):>2}   {detail}")
    finally:
        ddb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
