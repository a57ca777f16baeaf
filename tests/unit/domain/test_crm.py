from __future__ import annotations

from chalicelib.domain.crm import Interaction, contact_id_for, outcome_for_final_status


def _interaction(**kw: object) -> Interaction:
    base: dict[str, object] = dict(tenant_id="t", interaction_id="CA1", contact_id="c",
                                   contact_phone="+1", channel="voice", direction="inbound",
                                   status="completed", started_at=100.0)
    base.update(kw)
    return Interaction(**base)  # type: ignore[arg-type]


def test_contact_id_is_stable_per_tenant_and_number() -> None:
    assert contact_id_for("t1", "+15550001") == contact_id_for("t1", "+15550001")
    assert contact_id_for("t1", "+15550001") != contact_id_for("t2", "+15550001")


def test_queue_wait_runs_from_queueing_to_answer() -> None:
    i = _interaction(queued_at=110.0, answered_at=125.5, ended_at=200.0)
    assert i.queue_wait_seconds == 15.5
    assert i.talk_seconds == 74.5


def test_unanswered_call_waits_until_it_ends() -> None:
    i = _interaction(queued_at=110.0, ended_at=140.0)
    assert i.queue_wait_seconds == 30.0
    assert i.talk_seconds is None


def test_caller_hanging_up_in_queue_is_abandoned() -> None:
    assert outcome_for_final_status("completed", answered=False, queued=True) == "abandoned"
    assert outcome_for_final_status("completed", answered=True, queued=True) == "completed"
    assert outcome_for_final_status("no-answer", answered=False, queued=False) == "no-answer"


def test_a_call_is_timed_in_ivr_queue_ring_talk_and_wrapup_segments() -> None:
    # given a call that spent 12 s in the IVR, rang the agent 4 s after 30 s in queue,
    # talked 60 s and was wrapped up 20 s after it ended
    i = _interaction(queued_at=112.0, ringing_at=138.0, answered_at=142.0, ended_at=202.0,
                     wrapped_up_at=222.0)
    public = i.to_public()
    # then each segment is reported, the queue wait running until the answer
    assert public["ivr_seconds"] == 12.0
    assert public["queue_wait_seconds"] == 30.0
    assert public["ring_seconds"] == 4.0
    assert public["talk_seconds"] == 60.0
    assert public["wrapup_seconds"] == 20.0


def test_a_call_never_rung_has_no_ring_time() -> None:
    i = _interaction(queued_at=110.0, ended_at=140.0)
    assert i.ring_seconds is None and i.wrapup_seconds is None and i.ivr_seconds == 10.0
