"""An agent call as a conference (Flex's model): who is in it, and what may happen next.

Every agent call is a conference named for its task. The customer and the agent are
participants; a warm transfer adds a consulted party, monitoring adds a supervisor. Hold,
mute, transfer and monitoring are participant operations; this module decides whether
each is allowed now (``Conflict`` with the reason if not) and returns the new state. It
is pure: the services carry the decisions out through the carrier's REST API.

    ringing --agent answers--> connected --call ends--> ended
    connected: hold <-> resume, mute <-> unmute,
               transfer cold (the agent leaves) | warm: ringing -> consulting -> complete | cancel,
               monitor listen | whisper | barge (one supervisor at a time), stop
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from chalicelib.domain.errors import Conflict, InvalidInput


class CallPhase(StrEnum):
    RINGING = "ringing"
    CONNECTED = "connected"
    ENDED = "ended"


class TransferMode(StrEnum):
    COLD = "cold"
    WARM = "warm"


class MonitorMode(StrEnum):
    LISTEN = "listen"    # a muted listener
    WHISPER = "whisper"  # a coach heard only by the agent
    BARGE = "barge"      # a full participant


TARGET_KINDS = ("queue", "agent", "number")
_DIGITS = re.compile(r"^[0-9*#wW]{1,32}$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


@dataclass(frozen=True)
class TransferTarget:
    kind: str   # "queue" | "agent" | "number"
    value: str

    def doc(self) -> dict[str, str]:
        return {self.kind: self.value}


def parse_target(raw: Any) -> TransferTarget:
    """``{"queue": name} | {"agent": user_id} | {"number": e164}``, or InvalidInput."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise InvalidInput('"to" must be one of {"queue": name}, {"agent": user_id} or '
                           '{"number": e164}', path="to")
    kind, value = next(iter(raw.items()))
    if kind not in TARGET_KINDS:
        raise InvalidInput(f'"to" names {kind!r}; use queue, agent or number', path="to")
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"to.{kind} must be a non-empty string", path=f"to.{kind}")
    value = value.strip()
    if kind == "number" and not _E164.match(value):
        raise InvalidInput("to.number must be an E.164 number like +14155550123",
                           path="to.number")
    return TransferTarget(kind, value)


def parse_mode(raw: Any) -> TransferMode:
    try:
        return TransferMode(str(raw or "cold"))
    except ValueError as exc:
        raise InvalidInput('mode must be "cold" or "warm"', path="mode") from exc


def parse_monitor_mode(raw: Any) -> MonitorMode:
    try:
        return MonitorMode(str(raw or ""))
    except ValueError as exc:
        raise InvalidInput('mode must be "listen", "whisper" or "barge"', path="mode") from exc


def check_digits(raw: Any) -> str:
    digits = str(raw or "")
    if not _DIGITS.match(digits):
        raise InvalidInput("digits must be 1 to 32 of 0-9, *, # and w (a pause)",
                           path="digits")
    return digits


@dataclass(frozen=True)
class Transfer:
    mode: TransferMode
    to: TransferTarget
    state: str = "ringing"          # "ringing" | "consulting"
    target_name: str = ""
    task_id: str | None = None      # the new task (to a queue or an agent)
    call_sid: str | None = None     # the consulted party's leg (to a number)
    started_at: float = 0.0


@dataclass(frozen=True)
class Monitor:
    supervisor_id: str
    mode: MonitorMode
    started_at: float
    call_sid: str | None = None
    visible: bool = False           # the tenant lets agents see they are monitored


@dataclass(frozen=True)
class CallState:
    conference: str                 # the conference's friendly name: the task id
    phase: CallPhase = CallPhase.RINGING
    direction: str = "inbound"
    conference_sid: str | None = None
    customer_sid: str | None = None
    agent_sid: str | None = None
    on_hold: bool = False
    hold_started_at: float | None = None
    hold_count: int = 0
    hold_seconds: float = 0.0
    muted: bool = False
    transfer: Transfer | None = None
    monitor: Monitor | None = None

    def hold_total(self, now: float) -> float:
        """Seconds on hold so far, the current hold included."""
        running = now - self.hold_started_at if self.on_hold and self.hold_started_at else 0.0
        return round(self.hold_seconds + max(0.0, running), 3)


def _connected(state: CallState, doing: str) -> None:
    if state.phase is CallPhase.RINGING:
        raise Conflict(f"cannot {doing}: the call is not connected yet")
    if state.phase is CallPhase.ENDED:
        raise Conflict(f"cannot {doing}: the call has ended")


def connect(state: CallState, *, agent_sid: str | None, customer_sid: str | None) -> CallState:
    """The agent answered; the customer is (or is being) moved into the conference."""
    return replace(state, phase=CallPhase.CONNECTED, agent_sid=agent_sid or state.agent_sid,
                   customer_sid=customer_sid or state.customer_sid)


def hold(state: CallState, now: float) -> CallState:
    _connected(state, "hold")
    if state.on_hold:
        raise Conflict("the caller is already on hold")
    if state.customer_sid is None:
        raise Conflict("cannot hold: the customer is not on the call yet")
    return replace(state, on_hold=True, hold_started_at=now, hold_count=state.hold_count + 1)


def resume(state: CallState, now: float) -> CallState:
    _connected(state, "resume")
    if not state.on_hold:
        raise Conflict("the caller is not on hold")
    if state.transfer is not None and state.transfer.mode is TransferMode.WARM:
        raise Conflict("the caller waits for the warm transfer: complete or cancel it")
    return _off_hold(state, now)


def _off_hold(state: CallState, now: float) -> CallState:
    if not state.on_hold:
        return state
    return replace(state, on_hold=False, hold_started_at=None,
                   hold_seconds=state.hold_total(now))


def mute(state: CallState, muted: bool) -> CallState:
    _connected(state, "unmute" if not muted else "mute")
    if state.muted == muted:
        raise Conflict("you are already muted" if muted else "you are not muted")
    return replace(state, muted=muted)


def dtmf_target(state: CallState) -> str:
    """The leg that hears the digits: the party consulted on a number, else the customer."""
    _connected(state, "send digits")
    transfer = state.transfer
    if transfer is not None and transfer.call_sid and transfer.to.kind == "number":
        return transfer.call_sid
    if state.customer_sid is None:
        raise Conflict("cannot send digits: nobody is on the far side yet")
    return state.customer_sid


def start_transfer(state: CallState, mode: TransferMode, to: TransferTarget, now: float,
                   target_name: str = "") -> CallState:
    """The caller goes on hold while the transfer rings (both modes); a cold transfer then
    lets the first agent go, a warm one keeps them on to consult."""
    _connected(state, "transfer")
    if state.transfer is not None:
        raise Conflict("a transfer is already in progress: complete or cancel it first")
    if state.customer_sid is None:
        raise Conflict("cannot transfer: the customer is not on the call yet")
    held = state if state.on_hold else hold(state, now)
    return replace(held, transfer=Transfer(mode, to, "ringing", target_name or to.value,
                                           started_at=now))


def transfer_placed(state: CallState, *, task_id: str | None = None,
                    call_sid: str | None = None) -> CallState:
    if state.transfer is None:
        raise Conflict("no transfer is in progress")
    return replace(state, transfer=replace(state.transfer, task_id=task_id or
                                           state.transfer.task_id,
                                           call_sid=call_sid or state.transfer.call_sid))


def consulting(state: CallState) -> CallState:
    """The warm transfer's target answered: the two agents talk, the caller still holds."""
    if state.transfer is None or state.transfer.mode is not TransferMode.WARM:
        raise Conflict("no warm transfer is ringing")
    return replace(state, transfer=replace(state.transfer, state="consulting"))


def complete_transfer(state: CallState, now: float) -> CallState:
    """A warm transfer completes: the caller comes off hold with the new party; the first
    agent leaves (the services end their leg)."""
    _connected(state, "complete the transfer")
    transfer = state.transfer
    if transfer is None or transfer.mode is not TransferMode.WARM:
        raise Conflict("no warm transfer to complete")
    if transfer.state != "consulting":
        raise Conflict("the transfer has not been answered yet: wait, or cancel it")
    return replace(_off_hold(state, now), transfer=None)


def cancel_transfer(state: CallState, now: float) -> CallState:
    """Abandon a warm transfer: the consulted party goes, the caller comes back."""
    _connected(state, "cancel the transfer")
    transfer = state.transfer
    if transfer is None:
        raise Conflict("no transfer to cancel")
    if transfer.mode is not TransferMode.WARM:
        raise Conflict("a cold transfer has already left this call")
    return replace(_off_hold(state, now), transfer=None)


def abandon_transfer(state: CallState, now: float) -> CallState:
    """A transfer that could not be placed: as if it never started."""
    if state.transfer is None:
        return state
    return replace(_off_hold(state, now), transfer=None)


def monitor(state: CallState, supervisor_id: str, mode: MonitorMode, now: float,
            visible: bool) -> CallState:
    """Start monitoring, or change mode while monitoring (the same supervisor)."""
    _connected(state, "monitor")
    current = state.monitor
    if current is not None and current.supervisor_id != supervisor_id:
        raise Conflict("another supervisor is already monitoring this call")
    if current is not None:
        if current.mode is mode:
            raise Conflict(f"you are already monitoring in {mode.value} mode")
        return replace(state, monitor=replace(current, mode=mode))
    return replace(state, monitor=Monitor(supervisor_id, mode, now, visible=visible))


def monitor_placed(state: CallState, call_sid: str) -> CallState:
    if state.monitor is None:
        raise Conflict("nobody is monitoring this call")
    return replace(state, monitor=replace(state.monitor, call_sid=call_sid))


def stop_monitor(state: CallState, supervisor_id: str) -> CallState:
    if state.monitor is None:
        raise Conflict("nobody is monitoring this call")
    if state.monitor.supervisor_id != supervisor_id:
        raise Conflict("another supervisor is monitoring this call")
    return replace(state, monitor=None)


def end(state: CallState, now: float) -> CallState:
    """The call is over: an open hold closes, so handle time counts it."""
    if state.phase is CallPhase.ENDED:
        return state
    return replace(_off_hold(state, now), phase=CallPhase.ENDED, monitor=None)
