"""The simulator's shared context, and the request parameters Twilio sends for a call."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import phonenumbers

from sim.clock import Clock
from sim.ids import rfc2822
from sim.model import Call
from sim.store import Store, bare_address
from sim.webhooks import HookResult, WebhookClient

log = logging.getLogger("sim")

API_VERSION = "2010-04-01"


class Sim:
    """Everything a handler or a call thread needs: state, time, outbound HTTP, own URL."""

    def __init__(self, store: Store, clock: Clock, hooks: WebhookClient,
                 base_url: str = "") -> None:
        self.store = store
        self.clock = clock
        self.hooks = hooks
        self.base_url = base_url

    def token_for(self, account_sid: str) -> str:
        with self.store.lock:
            account = self.store.accounts.get(account_sid)
            return account.auth_token if account else ""

    def event(self, call: Call, kind: str, **data: Any) -> None:
        """Append to a call's transcript: what its party heard, did, and whom it met."""
        with self.store.lock:
            entry: dict[str, Any] = {"t": round(self.clock.elapsed(call.created_mono), 2),
                                     "kind": kind}
            entry.update({k.rstrip("_"): v for k, v in data.items() if v is not None})
            call.transcript.append(entry)
            if kind in ("say", "play") and call.peer_sid and call.direction == "inbound":
                from sim.caller import echo_to_near_side

                echo_to_near_side(self, call, entry)  # a number's TwiML, heard by its caller
            self.store.changed.notify_all()

    def spawn(self, name: str, target: Callable[..., None], *args: Any) -> threading.Thread:
        def guarded() -> None:
            try:
                target(*args)
            except Exception:
                log.exception("thread %s crashed", name)

        thread = threading.Thread(target=guarded, name=name, daemon=True)
        thread.start()
        return thread

    def call_webhook(self, call: Call, url: str, method: str, params: dict[str, str]) -> HookResult:
        """A signed request for a call; logged on the call for debugging."""
        result = self.hooks.request(url, method, params, self.token_for(call.account_sid))
        with self.store.lock:
            call.requests.append({
                "t": round(self.clock.elapsed(call.created_mono), 2), "url": url,
                "method": result.method, "status": result.status, "error": result.error,
                "params": dict(params),
            })
        return result

    def call_callback(self, call: Call, url: str, method: str, params: dict[str, str]) -> None:
        """A signed fire-and-forget callback about a call, in order with its others."""
        def record(result: HookResult) -> None:
            with self.store.lock:
                call.requests.append({
                    "t": round(self.clock.elapsed(call.created_mono), 2), "url": url,
                    "method": result.method, "status": result.status, "error": result.error,
                    "params": dict(params), "callback": True,
                })

        self.hooks.send_later(call.sid, url, method, params, self.token_for(call.account_sid),
                              on_done=record)


def country_of(address: str) -> str:
    try:
        parsed = phonenumbers.parse(bare_address(address), None)
    except phonenumbers.NumberParseException:
        return ""
    region = (phonenumbers.region_code_for_number(parsed)
              or phonenumbers.region_code_for_country_code(parsed.country_code or 0))
    return "" if region in (None, "ZZ") else region


def call_params(call: Call) -> dict[str, str]:
    """Twilio's standard voice request parameters for a call (take the store lock first)."""
    params = {
        "CallSid": call.sid,
        "AccountSid": call.account_sid,
        "From": call.from_,
        "To": call.to,
        "Caller": call.from_,
        "Called": call.to,
        "CallStatus": call.status,
        "Direction": call.direction,
        "ApiVersion": API_VERSION,
    }
    for prefix, address in (("From", call.from_), ("To", call.to), ("Caller", call.from_),
                            ("Called", call.to)):
        params[f"{prefix}Country"] = country_of(address)
        params[f"{prefix}City"] = ""
        params[f"{prefix}State"] = ""
        params[f"{prefix}Zip"] = ""
    if call.parent_sid:
        params["ParentCallSid"] = call.parent_sid
    if call.forwarded_from:
        params["ForwardedFrom"] = call.forwarded_from
    if call.caller_name:
        params["CallerName"] = call.caller_name
    return params


def status_callback_params(sim: Sim, call: Call) -> dict[str, str]:
    """Standard parameters plus the call-progress fields (take the store lock first)."""
    params = call_params(call)
    params["CallbackSource"] = "call-progress-events"
    params["SequenceNumber"] = str(call.callback_seq)
    params["Timestamp"] = rfc2822()
    call.callback_seq += 1
    if call.status in ("completed", "busy", "no-answer", "failed", "canceled"):
        duration = 0
        if call.answered_mono is not None:
            duration = round(sim.clock.elapsed(call.answered_mono, call.ended_mono))
        params["CallDuration"] = str(duration)
        params["Duration"] = str((duration + 59) // 60)
    return params
