"""The scheduled sweep says what it did whenever any part of it had work."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.routes import schedule


def _quiet_routing(outbox_examined: int) -> dict[str, Any]:
    return {"examined": 0, "errors": [], "conversations_expired": 0,
            "outbox": {"examined": outbox_examined, "done": 0, "retried": outbox_examined,
                       "failed": 0, "unknown": 0, "errors": []}}


@pytest.mark.parametrize(("outbox_examined", "logged"), [(1, True), (0, False)])
def test_outbox_work_is_logged_even_when_routing_had_none(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        outbox_examined: int, logged: bool) -> None:
    # given a pass where only the outbox had something due
    monkeypatch.setattr(schedule, "run_sweep", lambda: _quiet_routing(outbox_examined))
    event = SimpleNamespace(context=SimpleNamespace(get_remaining_time_in_millis=lambda: 0))
    # when the scheduled sweep runs (one pass: no time is left)
    with caplog.at_level("INFO", logger="hotline.routing.sweep"):
        schedule.routing_sweep.func(event)
    # then the pass is in the log exactly when something was examined
    assert ("sweep: " in caplog.text) is logged
