"""The local stack: DynamoDB Local, the carrier simulator and the Chalice app.

Used by `./dev up` (on disk, fixed ports) and by the e2e tests (in memory, free ports).
Each child runs in its own process group so stopping the stack stops all of it,
including anything `chalice local` forks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from devtools.ddblocal import DynamoDBLocal, local_aws_environ, port_open

ROOT = Path(__file__).resolve().parent.parent

PLATFORM_ACCOUNT_SID = "AC" + "1" * 32
PLATFORM_AUTH_TOKEN = "local-platform-auth-token"
LOCAL_JWT_SECRET = "local-only-jwt-secret-not-for-production-0123456789"


class StackError(RuntimeError):
    pass


@dataclass
class StackConfig:
    app_port: int
    sim_port: int
    ddb_port: int
    data_dir: Path | None  # None: DynamoDB Local in memory, simulator state in memory
    log_dir: Path
    table_prefix: str = "hotline-local"
    time_scale: float = 1.0
    extra_env: dict[str, str] = field(default_factory=dict)
    # How long the simulator waits for a webhook, in real seconds (None: Twilio's 15 s
    # times time_scale, at least 2 s). A loaded test machine wants more than a scaled 2 s.
    sim_webhook_timeout: float | None = None

    @property
    def app_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}"

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    @property
    def ddb_url(self) -> str:
        return f"http://127.0.0.1:{self.ddb_port}"

    def environ(self) -> dict[str, str]:
        """The app's settings for local mode."""
        env = {
            "HOTLINE_STAGE": "local",
            "HOTLINE_TABLE_PREFIX": self.table_prefix,
            "PUBLIC_BASE_URL": self.app_url,
            "TWILIO_ACCOUNT_SID": PLATFORM_ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": PLATFORM_AUTH_TOKEN,
            "TWILIO_API_BASE": self.sim_url,
            "HOTLINE_JWT_SECRET": LOCAL_JWT_SECRET,
            "HOTLINE_DYNAMODB_TIMEOUT": "3",
            **local_aws_environ(self.ddb_url),
        }
        env.update(self.extra_env)
        return env


def wait_http(url: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(f"the process behind {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers: up
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise StackError(f"{url} did not answer within {timeout}s")


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.ddb = DynamoDBLocal(config.ddb_port, config.data_dir / "dynamodb"
                                 if config.data_dir else None,
                                 log_path=config.log_dir / "dynamodb.log")
        self.children: list[subprocess.Popen[bytes]] = []

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.config.log_dir / f"{name}.log", "ab")  # noqa: SIM115
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        self.children.append(child)
        return child

    def start(self) -> None:
        cfg = self.config
        cfg.log_dir.mkdir(parents=True, exist_ok=True)
        for port in (cfg.app_port, cfg.sim_port, cfg.ddb_port):
            if port_open(port):
                raise StackError(f"port {port} is already in use")
        self.ddb.start()
        env = {**os.environ, **cfg.environ(), "PYTHONUNBUFFERED": "1"}
        os.environ.update(cfg.environ())
        self.create_tables()
        sim_cmd = [sys.executable, "-m", "sim", "--port", str(cfg.sim_port),
                   "--account-sid", PLATFORM_ACCOUNT_SID, "--auth-token", PLATFORM_AUTH_TOKEN,
                   "--time-scale", str(cfg.time_scale)]
        if cfg.data_dir:
            sim_cmd += ["--data-dir", str(cfg.data_dir / "simulator")]
        if cfg.sim_webhook_timeout is not None:
            sim_cmd += ["--webhook-timeout", str(cfg.sim_webhook_timeout)]
        sim = self._spawn("simulator", sim_cmd, env)
        # `chalice local` with a listen backlog that holds a burst of webhooks (see there).
        app = self._spawn("app", [sys.executable, "-m", "devtools.app_server", "--stage",
                                  "local", "--host", "127.0.0.1", "--port", str(cfg.app_port)],
                          env)
        wait_http(cfg.sim_url + "/sim/messages", 30, sim)
        wait_http(cfg.app_url + "/api/me", 60, app)

    def create_tables(self) -> None:
        from chalicelib import wiring
        from chalicelib.adapters.dynamo.tables import create_all
        from chalicelib.config import Settings

        wiring.reset()
        create_all(Settings.from_environ(self.config.environ()))

    def stop(self) -> None:
        for child in reversed(self.children):
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for child in self.children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.children.clear()
        self.ddb.stop()
