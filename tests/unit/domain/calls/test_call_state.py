"""The conference state machine: hold, mute, transfers, monitoring, and what is refused."""

from __future__ import annotations

import pytest

from chalicelib.domain.calls import state as calls
from chalicelib.domain.calls.documents import call_doc, call_from, call_view
from chalicelib.domain.calls.state import (
    CallPhase,
    CallState,
    MonitorMode,
    TransferMode,
    TransferTarget,
)
from chalicelib.domain.errors import Conflict, InvalidInput

AGENT_B = TransferTarget("agent", "us_b")


def connected() -> CallState:
    return calls.connect(CallState("TK1"), agent_sid="CAagent", customer_sid="CAcust")


def test_hold_then_resume_counts_one_hold_and_its_seconds() -> None:
    held = calls.hold(connected(), now=100.0)
    back = calls.resume(held, now=112.5)
    assert (back.on_hold, back.hold_count, back.hold_seconds) == (False, 1, 12.5)


def test_hold_total_includes_the_hold_in_progress() -> None:
    held = calls.hold(connected(), now=100.0)
    assert held.hold_total(now=104.0) == 4.0


def test_holding_twice_is_a_conflict_with_a_reason() -> None:
    held = calls.hold(connected(), now=1.0)
    with pytest.raises(Conflict, match="already on hold"):
        calls.hold(held, now=2.0)


def test_resume_without_hold_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="not on hold"):
        calls.resume(connected(), now=1.0)


def test_nothing_is_allowed_before_the_agent_answers() -> None:
    ringing = CallState("TK1")
    for action in (lambda: calls.hold(ringing, 1.0), lambda: calls.mute(ringing, True),
                   lambda: calls.start_transfer(ringing, TransferMode.COLD, AGENT_B, 1.0),
                   lambda: calls.monitor(ringing, "us_sup", MonitorMode.LISTEN, 1.0, False)):
        with pytest.raises(Conflict, match="not connected yet"):
            action()


def test_nothing_is_allowed_once_the_call_ended() -> None:
    over = calls.end(connected(), now=5.0)
    with pytest.raises(Conflict, match="has ended"):
        calls.hold(over, now=6.0)


def test_mute_and_unmute_the_agent_and_refuse_repeats() -> None:
    muted = calls.mute(connected(), True)
    assert muted.muted
    with pytest.raises(Conflict, match="already muted"):
        calls.mute(muted, True)
    assert not calls.mute(muted, False).muted


def test_warm_transfer_holds_the_caller_consults_then_completes() -> None:
    ringing = calls.start_transfer(connected(), TransferMode.WARM, AGENT_B, now=10.0,
                                   target_name="Bea")
    assert ringing.on_hold and ringing.transfer is not None
    assert ringing.transfer.state == "ringing"
    with pytest.raises(Conflict, match="not been answered"):
        calls.complete_transfer(ringing, now=11.0)
    talking = calls.consulting(ringing)
    done = calls.complete_transfer(talking, now=30.0)
    assert (done.transfer, done.on_hold, done.hold_count, done.hold_seconds) == \
        (None, False, 1, 20.0)


def test_the_caller_cannot_be_resumed_while_a_warm_transfer_waits() -> None:
    ringing = calls.start_transfer(connected(), TransferMode.WARM, AGENT_B, now=10.0)
    with pytest.raises(Conflict, match="complete or cancel"):
        calls.resume(ringing, now=11.0)


def test_cancelling_a_warm_transfer_brings_the_caller_back() -> None:
    ringing = calls.start_transfer(connected(), TransferMode.WARM,
                                   TransferTarget("number", "+14155550100"), now=10.0)
    back = calls.cancel_transfer(ringing, now=15.0)
    assert (back.transfer, back.on_hold, back.hold_seconds) == (None, False, 5.0)


def test_a_second_transfer_while_one_is_in_progress_is_a_conflict() -> None:
    ringing = calls.start_transfer(connected(), TransferMode.WARM, AGENT_B, now=10.0)
    with pytest.raises(Conflict, match="already in progress"):
        calls.start_transfer(ringing, TransferMode.COLD, AGENT_B, now=11.0)


def test_cold_transfers_cannot_be_completed_or_cancelled() -> None:
    cold = calls.start_transfer(connected(), TransferMode.COLD, AGENT_B, now=10.0)
    with pytest.raises(Conflict, match="no warm transfer"):
        calls.complete_transfer(cold, now=11.0)
    with pytest.raises(Conflict, match="already left"):
        calls.cancel_transfer(cold, now=11.0)


def test_complete_or_cancel_without_a_transfer_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="no warm transfer"):
        calls.complete_transfer(connected(), now=1.0)
    with pytest.raises(Conflict, match="no transfer"):
        calls.cancel_transfer(connected(), now=1.0)


def test_monitor_starts_changes_mode_and_stops() -> None:
    listening = calls.monitor(connected(), "us_sup", MonitorMode.LISTEN, now=5.0, visible=False)
    whispering = calls.monitor(listening, "us_sup", MonitorMode.WHISPER, now=6.0, visible=False)
    assert whispering.monitor is not None and whispering.monitor.mode is MonitorMode.WHISPER
    assert whispering.monitor.started_at == 5.0
    assert calls.stop_monitor(whispering, "us_sup").monitor is None


def test_a_second_supervisor_cannot_monitor_the_same_call() -> None:
    listening = calls.monitor(connected(), "us_sup", MonitorMode.LISTEN, now=5.0, visible=False)
    with pytest.raises(Conflict, match="another supervisor"):
        calls.monitor(listening, "us_other", MonitorMode.BARGE, now=6.0, visible=False)
    with pytest.raises(Conflict, match="already monitoring in listen"):
        calls.monitor(listening, "us_sup", MonitorMode.LISTEN, now=6.0, visible=False)


def test_stopping_a_monitor_nobody_started_is_a_conflict() -> None:
    with pytest.raises(Conflict, match="nobody is monitoring"):
        calls.stop_monitor(connected(), "us_sup")


def test_digits_go_to_the_consulted_number_during_a_warm_transfer_else_the_customer() -> None:
    assert calls.dtmf_target(connected()) == "CAcust"
    ringing = calls.start_transfer(connected(), TransferMode.WARM,
                                   TransferTarget("number", "+14155550100"), now=1.0)
    placed = calls.transfer_placed(ringing, call_sid="CAivr")
    assert calls.dtmf_target(placed) == "CAivr"


def test_ending_closes_an_open_hold() -> None:
    held = calls.hold(connected(), now=10.0)
    over = calls.end(held, now=25.0)
    assert (over.phase, over.on_hold, over.hold_seconds) == (CallPhase.ENDED, False, 15.0)


@pytest.mark.parametrize("raw, path", [
    ({"queue": "support", "agent": "x"}, "to"), ({"phone": "+1415"}, "to"),
    ({"agent": ""}, "to.agent"), ({"number": "0800"}, "to.number"), ("support", "to")])
def test_bad_transfer_targets_name_the_field(raw: object, path: str) -> None:
    with pytest.raises(InvalidInput) as err:
        calls.parse_target(raw)
    assert err.value.path == path


def test_digits_are_checked() -> None:
    assert calls.check_digits("12#w*") == "12#w*"
    with pytest.raises(InvalidInput, match="digits"):
        calls.check_digits("12a")


def test_the_document_round_trips_and_the_view_hides_an_invisible_monitor() -> None:
    state = calls.monitor(calls.start_transfer(connected(), TransferMode.WARM, AGENT_B, 1.0,
                                               "Bea"), "us_sup", MonitorMode.WHISPER, 2.0,
                          visible=False)
    assert call_from(call_doc(state)) == state
    view = call_view(state, now=4.0)
    assert view["monitored"] is None and view["on_hold"] and view["hold_seconds"] == 3.0
    assert view["transfer"] == {"mode": "warm", "to": {"agent": "us_b"}, "state": "ringing",
                                "target_name": "Bea"}
    shown = calls.monitor(connected(), "us_sup", MonitorMode.BARGE, 2.0, visible=True)
    assert call_view(shown, now=3.0)["monitored"] == {"mode": "barge"}
