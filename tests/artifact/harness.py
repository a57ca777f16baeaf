"""Run a built artifact as Lambda would: unpack it, create its tables from its own merged
template, and invoke its handler with API Gateway events in an isolated interpreter.

Used by the artifact test (tests/artifact/) and by `bench/artifact.py`.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from devtools.package import Artifact

DRIVER = Path(__file__).with_name("driver.py")
LAYER_SITE = Path("python") / "lib" / "python3.11" / "site-packages"


def unpack(artifact: Artifact, dest: Path) -> list[Path]:
    """Unzip the function into dest/task and the layer into dest/opt (Lambda's /var/task
    and /opt); returns the sys.path entries Lambda gives them."""
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty")
    task, opt = dest / "task", dest / "opt"
    with zipfile.ZipFile(artifact.app_zip) as zf:
        zf.extractall(task)
    roots = [task]
    if artifact.layer_zip:
        with zipfile.ZipFile(artifact.layer_zip) as zf:
            zf.extractall(opt)
        roots += [opt / LAYER_SITE, opt / "python"]
    return roots


def function_environment(template: dict[str, Any], refs: dict[str, str],
                         function: str = "APIHandler") -> dict[str, str]:
    """The function's environment variables as the template sets them, Refs resolved."""
    variables = template["Resources"][function]["Properties"]["Environment"]["Variables"]
    return {name: refs[value["Ref"]] if isinstance(value, dict) else str(value)
            for name, value in variables.items()}


def create_tables(template: dict[str, Any], stage: str, endpoint: str) -> list[str]:
    """Create the template's DynamoDB tables (as CloudFormation would) on DynamoDB Local."""
    import boto3

    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="local", aws_secret_access_key="local")
    names = []
    for resource in template["Resources"].values():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        props = resource["Properties"]
        name = props["TableName"]["Fn::Sub"].replace("${Stage}", stage)
        client.create_table(TableName=name, **{
            key: props[key] for key in ("AttributeDefinitions", "KeySchema", "BillingMode",
                                        "GlobalSecondaryIndexes") if key in props})
        names.append(name)
    return names


def api_event(method: str, path: str, *, body: str | None = None,
              headers: dict[str, str] | None = None, stage: str = "api",
              resource: str | None = None,
              path_params: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway REST API (v1) proxy event, as Lambda receives it; ``resource`` is
    the route's template (`/vendor/{name}`) when it has path parameters."""
    headers = {"Host": "artifact.example.com", "User-Agent": "artifact-test",
               "X-Forwarded-Proto": "https", **(headers or {})}
    return {
        "resource": resource or path, "path": path, "httpMethod": method,
        "headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": path_params, "stageVariables": None,
        "requestContext": {"resourcePath": resource or path, "httpMethod": method,
                           "path": f"/{stage}{path}", "stage": stage,
                           "requestId": f"req-{time.monotonic_ns()}",
                           "identity": {"sourceIp": "203.0.113.7", "userAgent": "artifact-test"}},
        "body": body, "isBase64Encoded": False,
    }


def scheduled_event(rule: str = "hotline-dev-routing-sweep") -> dict[str, Any]:
    """An EventBridge scheduled event, as a `Rate` schedule delivers it."""
    return {"version": "0", "id": f"evt-{time.monotonic_ns()}", "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "123456789012",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "region": "us-east-1",
            "resources": [f"arn:aws:events:us-east-1:123456789012:rule/{rule}"], "detail": {}}


def json_event(method: str, path: str, doc: Any) -> dict[str, Any]:
    return api_event(method, path, body=json.dumps(doc),
                     headers={"Content-Type": "application/json"})


def signed_form_event(path: str, params: dict[str, str], public_base_url: str,
                      auth_token: str) -> dict[str, Any]:
    """A Twilio webhook, signed as Twilio signs it: PUBLIC_BASE_URL + path."""
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(auth_token).compute_signature(public_base_url + path, params)
    return api_event("POST", path, body=urlencode(params), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


class HandlerError(RuntimeError):
    """The handler raised: Lambda would report the invocation as failed."""


class FakeSecretsManager:
    """Secrets Manager's GetSecretValue over HTTP on 127.0.0.1, as botocore calls it
    (JSON 1.1, X-Amz-Target); the packaged handler reaches it through
    AWS_ENDPOINT_URL_SECRETS_MANAGER. It counts the reads."""

    def __init__(self, secrets: dict[str, dict[str, str]]) -> None:
        self.secrets = secrets
        self.reads: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                target = self.headers.get("X-Amz-Target", "")
                secret_id = str(body.get("SecretId", ""))
                fake.reads.append(secret_id)
                if target != "secretsmanager.GetSecretValue":
                    self._answer(400, {"__type": "InvalidRequestException", "message": target})
                elif secret_id not in fake.secrets:
                    self._answer(400, {"__type": "ResourceNotFoundException",
                                       "message": "Secrets Manager can't find the secret."})
                else:
                    self._answer(200, {
                        "ARN": f"arn:aws:secretsmanager:us-east-1:123456789012:secret:"
                               f"{secret_id}-AbCdEf", "Name": secret_id, "VersionId": "v1",
                        "SecretString": json.dumps(fake.secrets[secret_id]),
                        "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9})

            def _answer(self, status: int, doc: dict[str, Any]) -> None:
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the test reads `reads`, not an access log

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class IsolatedHandler:
    """The artifact's handler in `python -I -S`: sys.path is the artifact and the stdlib."""

    def __init__(self, roots: list[Path], env: dict[str, str], log_path: Path,
                 timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.log_path = log_path
        self._log: TextIO = open(log_path, "w")  # noqa: SIM115  (closed in close())
        driver = log_path.with_name(DRIVER.name)  # a copy: the child reads nothing of the repo
        shutil.copyfile(DRIVER, driver)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(driver), *map(str, roots)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
            env=env, cwd=roots[0])
        # The function's own stdout (powertools' EMF metrics, prints) shares the pipe with
        # the driver's answers: one thread reads every line, answers are picked by mark.
        self.stdout_lines: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._pump, name="artifact-stdout",
                                        daemon=True)
        self._reader.start()
        self._requests = 0
        self.ready: dict[str, Any] = self._read("READY ")

    def invoke(self, event: dict[str, Any], handler: str = "app.app",
               remaining_ms: int = 15_000) -> Any:
        """The handler's answer to ``event`` (API Gateway's, by default to ``app.app``)."""
        assert self.process.stdin is not None
        self._requests += 1
        request = {"id": self._requests, "handler": handler, "event": event,
                   "remaining_ms": remaining_ms}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self._read(f"RESPONSE {self._requests} ")
        if isinstance(answer, dict) and "__handler_error__" in answer:
            raise HandlerError(f"{handler} raised:\n{answer['__handler_error__']}")
        return answer

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text().splitlines()[-lines:])

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)  # end of output: the process exited

    def _read(self, mark: str) -> Any:
        """The next line starting with ``mark`` (an earlier request's late answer, or the
        function's own output, is kept in stdout_lines and skipped)."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.process.send_signal(signal.SIGUSR1)  # the driver dumps its stacks
                time.sleep(0.5)
                raise TimeoutError(f"the handler did not answer in {self.timeout} s:\n"
                                   f"{self.log_tail()}") from None
            if line is None:
                raise RuntimeError(f"the handler exited ({self.process.wait()}):\n"
                                   f"{self.log_tail()}")
            if line.startswith(mark):
                return json.loads(line[len(mark):])
            self.stdout_lines.append(line)

    def close(self) -> None:
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def base_environ() -> dict[str, str]:
    """What a process needs from the machine (no PYTHON* variables: -I ignores them)."""
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "HOME", "HOTLINE_LOG_LEVEL")
    return {key: os.environ[key] for key in keep if key in os.environ}
