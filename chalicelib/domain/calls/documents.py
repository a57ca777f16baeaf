"""A call's state as a plain document (stored on its task) and as the desktop sees it."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.calls.state import (
    CallPhase,
    CallState,
    Monitor,
    MonitorMode,
    Transfer,
    TransferMode,
    TransferTarget,
)


def _transfer_doc(t: Transfer) -> dict[str, Any]:
    return {"mode": t.mode.value, "to": t.to.doc(), "state": t.state,
            "target_name": t.target_name, "task_id": t.task_id, "call_sid": t.call_sid,
            "started_at": t.started_at}


def _transfer(doc: dict[str, Any]) -> Transfer:
    kind, value = next(iter(dict(doc["to"]).items()))
    return Transfer(TransferMode(doc["mode"]), TransferTarget(kind, value),
                    doc.get("state", "ringing"), doc.get("target_name", ""),
                    doc.get("task_id"), doc.get("call_sid"), float(doc.get("started_at", 0)))


def _monitor_doc(m: Monitor) -> dict[str, Any]:
    return {"supervisor_id": m.supervisor_id, "mode": m.mode.value,
            "started_at": m.started_at, "call_sid": m.call_sid, "visible": m.visible}


def _monitor(doc: dict[str, Any]) -> Monitor:
    return Monitor(doc["supervisor_id"], MonitorMode(doc["mode"]),
                   float(doc.get("started_at", 0)), doc.get("call_sid"),
                   bool(doc.get("visible", False)))


def call_doc(state: CallState) -> dict[str, Any]:
    return {
        "conference": state.conference, "phase": state.phase.value,
        "direction": state.direction, "conference_sid": state.conference_sid,
        "customer_sid": state.customer_sid, "agent_sid": state.agent_sid,
        "on_hold": state.on_hold, "hold_started_at": state.hold_started_at,
        "hold_count": state.hold_count, "hold_seconds": state.hold_seconds,
        "muted": state.muted,
        "transfer": _transfer_doc(state.transfer) if state.transfer else None,
        "monitor": _monitor_doc(state.monitor) if state.monitor else None,
    }


def call_from(doc: dict[str, Any]) -> CallState:
    return CallState(
        conference=doc["conference"], phase=CallPhase(doc.get("phase", "ringing")),
        direction=doc.get("direction", "inbound"), conference_sid=doc.get("conference_sid"),
        customer_sid=doc.get("customer_sid"), agent_sid=doc.get("agent_sid"),
        on_hold=bool(doc.get("on_hold", False)),
        hold_started_at=(None if doc.get("hold_started_at") is None
                         else float(doc["hold_started_at"])),
        hold_count=int(doc.get("hold_count", 0)),
        hold_seconds=float(doc.get("hold_seconds", 0.0)), muted=bool(doc.get("muted", False)),
        transfer=_transfer(doc["transfer"]) if doc.get("transfer") else None,
        monitor=_monitor(doc["monitor"]) if doc.get("monitor") else None)


def call_view(state: CallState, now: float) -> dict[str, Any]:
    """The task view's ``call`` block (the voice contract)."""
    transfer = state.transfer
    monitor = state.monitor
    return {
        "state": state.phase.value, "conference": state.conference,
        "direction": state.direction, "on_hold": state.on_hold, "muted": state.muted,
        "hold_count": state.hold_count, "hold_seconds": state.hold_total(now),
        "hold_started_at": state.hold_started_at,
        "transfer": None if transfer is None else {
            "mode": transfer.mode.value, "to": transfer.to.doc(), "state": transfer.state,
            "target_name": transfer.target_name},
        "monitored": ({"mode": monitor.mode.value}
                      if monitor is not None and monitor.visible else None),
    }
