"""The simulator's HTTP server: Twilio's REST paths at the root, the control API under
/sim/, the phone page at /. `start_simulator` runs it in a background thread for tests."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from sim import legs, phone
from sim.clock import Clock
from sim.context import Sim
from sim.control import ControlApi
from sim.devices import DevicesApi
from sim.http import Request, Response, Router
from sim.model import Account
from sim.remote import RemotePartiesApi
from sim.rest_accounts import AccountsApi
from sim.rest_calls import CallsApi
from sim.rest_conferences import ConferencesApi
from sim.rest_keys import KeysApi
from sim.rest_messages import MessagesApi
from sim.store import Store
from sim.webhooks import WebhookClient

log = logging.getLogger("sim.server")

CORS_PREFIX = "/sim/"  # the control API, called by pages served from other origins
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "600",
}
TWILIO_TIMEOUT_SECONDS = 15.0
MIN_WEBHOOK_TIMEOUT = 2.0


def build_router(sim: Sim) -> Router:
    router = Router()
    for api in (AccountsApi(sim), CallsApi(sim), ConferencesApi(sim), MessagesApi(sim),
                KeysApi(sim), ControlApi(sim), DevicesApi(sim), RemotePartiesApi(sim)):
        api.register(router)
    phone.register(router)
    return router


class _Handler(BaseHTTPRequestHandler):
    server_version = "HotlineCarrierSim/1.0"
    protocol_version = "HTTP/1.1"
    router: Router  # set on the subclass made per server

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command, path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        cors = parts.path.startswith(CORS_PREFIX)
        try:
            if cors and self.command == "OPTIONS":
                response = Response.empty()  # the browser's preflight
            else:
                response = self.router.dispatch(request)
        except ValueError as exc:  # unreadable JSON or form data
            response = Response.json({"error": f"bad request: {exc}"}, 400)
        except Exception:
            log.exception("%s %s failed", self.command, self.path)
            response = Response.json({"error": "simulator error, see its log"}, 500)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in {**response.headers, **(CORS_HEADERS if cors else {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


@dataclass
class SimulatorHandle:
    """A running simulator: `url` to reach it, `sim` for its state, `stop()` to end it."""

    url: str
    port: int
    sim: Sim
    server: ThreadingHTTPServer
    thread: threading.Thread

    def stop(self) -> None:
        """Stop serving and hang up every live call, so no call thread outlives the sim."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        with self.sim.store.lock:
            live = [c for c in self.sim.store.calls.values() if not c.ended]
        for call in live:
            legs.end_call(self.sim, call, "completed" if call.answered else "canceled",
                          "simulator-stopped")


def create_sim(*, account_sid: str, auth_token: str, data_dir: str | os.PathLike[str] | None,
               time_scale: float, webhook_timeout: float | None) -> Sim:
    store = Store(data_dir)
    store.load()
    with store.lock:
        master = store.accounts.get(account_sid)
        if master is None:
            store.accounts[account_sid] = Account(sid=account_sid, auth_token=auth_token,
                                                  friendly_name="Master account")
        else:
            master.auth_token = auth_token  # the command line wins over the saved state
    store.save()
    clock = Clock(time_scale)
    timeout = webhook_timeout if webhook_timeout is not None else max(
        MIN_WEBHOOK_TIMEOUT, clock.real(TWILIO_TIMEOUT_SECONDS))
    return Sim(store, clock, WebhookClient(timeout))


def start_simulator(port: int = 0, data_dir: str | os.PathLike[str] | None = None,
                    account_sid: str = "", auth_token: str = "", time_scale: float = 1.0, *,
                    host: str = "127.0.0.1", webhook_timeout: float | None = None,
                    public_url: str | None = None) -> SimulatorHandle:
    """Start the simulator on a background thread. port=0 picks a free port.

    webhook_timeout is in real seconds; by default Twilio's 15 s times time_scale, but never
    under 2 s (so a cold app is not taken for a dead one when the scale is small).
    public_url is the simulator's own base URL in RecordingUrl (default http://host:port).
    """
    if not account_sid.startswith("AC") or not auth_token:
        raise ValueError("start_simulator needs the master account's SID (AC…) and token")
    sim = create_sim(account_sid=account_sid, auth_token=auth_token, data_dir=data_dir,
                     time_scale=time_scale, webhook_timeout=webhook_timeout)
    handler = type("SimHandler", (_Handler,), {"router": build_router(sim)})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    actual = server.server_address[1]
    sim.base_url = (public_url or f"http://{host}:{actual}").rstrip("/")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name=f"sim-http-{actual}",
                              daemon=True)
    thread.start()
    log.info("carrier simulator listening on %s", sim.base_url)
    return SimulatorHandle(url=sim.base_url, port=actual, sim=sim, server=server, thread=thread)
