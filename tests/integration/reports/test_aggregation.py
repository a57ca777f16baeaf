"""Write-time aggregates on DynamoDB Local: counted once per interaction, equal to the
figures recomputed from the raw interactions, bucketed in the tenant's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.metrics.aggregates import Filter
from chalicelib.domain.metrics.definitions import repeat_contacts, summarize
from chalicelib.domain.metrics.records import DEFAULT_FCR_WINDOW_SECONDS, SettingsByQueue
from chalicelib.services.reports.records import record_of
from tests.integration.reports.conftest import World

FIGURES = ("offered", "answered", "abandoned", "short_abandoned", "ivr_abandoned",
           "callbacks", "voicemails", "transfers", "service_level", "asa_seconds",
           "aht_seconds", "longest_wait_seconds", "fcr", "abandon_rate")


def utc(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def scenario(world: World) -> None:
    """Sunday 1 November 2026 in New York (clocks go back at 2:00 EDT), and the next day.
    04:30 UTC on 2 November is 23:30 on 1 November in New York."""
    day = utc("2026-11-01T14:00:00")
    world.call(day, agent="alex", wait=8, talk=120, hold=30, wrapup=15)
    world.call(day + 600, agent="alex", wait=35, talk=60, wrapup=10, transferred=True)
    world.call(day + 1200, wait=3)                                   # short abandon
    world.call(day + 1800, wait=42)                                  # abandoned in queue
    world.call(day + 2400, queue=None, ivr=25)                       # abandoned in the IVR
    world.call(day + 3000, wait=70, left_for="voicemail")
    world.call(day + 3600, wait=15, left_for="callback-requested")
    world.call(day + 4200, caller="+14155550199", agent="bea", wait=12, talk=200, wrapup=30)
    world.call(day + 4800, caller="+14155550199", agent="bea", wait=5, talk=90, wrapup=5)
    world.call(utc("2026-11-02T04:30:00"), agent="bea", wait=20, talk=45, wrapup=5)
    world.call(utc("2026-11-02T15:00:00"), agent="alex", wait=25, talk=300, wrapup=60)


EVERYTHING = Filter()


def recomputed(world: World, lo: float, hi: float, where: Filter = EVERYTHING) -> dict:
    records = [r for r in map(record_of, world.raw()) if r is not None]
    repeated = repeat_contacts(records, DEFAULT_FCR_WINDOW_SECONDS)
    chosen = [r for r in records if lo <= r.offered_at < hi
              and (where.queue is None or r.queue == where.queue)
              and (where.agent is None or r.agent == where.agent)]
    return summarize(chosen, SettingsByQueue(), repeated).to_dict()


def test_the_summary_equals_a_recomputation_from_the_raw_interactions(world: World) -> None:
    # given eleven calls with every outcome over two local days
    scenario(world)
    # when the summary of both local days is read from the aggregates
    got = world.reports.summary(world.tenant_id, "2026-11-01", "2026-11-02", Filter())
    # then every figure equals the domain's figures over the raw interactions
    lo, hi = utc("2026-11-01T04:00:00"), utc("2026-11-03T05:00:00")
    want = recomputed(world, lo, hi)
    assert {k: got[k] for k in FIGURES} == {k: want[k] for k in FIGURES}
    assert (got["offered"], got["answered"], got["short_abandoned"]) == (9, 6, 1)
    assert got["ivr_abandoned"] == 1 and got["transfers"] == 1 and got["voicemails"] == 1
    # four answered calls were followed by another contact from the same caller in 7 days
    assert got["fcr"] == 2 / 6
    assert got["timezone"] == "America/New_York"


def test_a_retried_webhook_or_replayed_settle_never_counts_twice(world: World) -> None:
    # given an answered call and an abandoned one, counted
    sid = world.call(utc("2026-11-03T15:00:00"), agent="alex", wait=10, talk=60, wrapup=5)
    gone = world.call(utc("2026-11-03T15:05:00"), wait=30)
    before = world.reports.summary(world.tenant_id, "2026-11-03", "2026-11-03", Filter())
    # when the status callback and wrap-up are delivered again, and settle replays
    world.crm.record_ended(world.tenant_id, sid, "completed", 60)
    world.crm.record_wrapup(world.tenant_id, sid, "alex", "resolved", "again")
    world.crm.record_outcome(world.tenant_id, gone, "abandoned")
    assert world.crm.settle(world.tenant_id, sid) is False
    assert world.crm.settle(world.tenant_id, gone) is False
    after = world.reports.summary(world.tenant_id, "2026-11-03", "2026-11-03", Filter())
    # then nothing changed
    assert after == before
    assert (after["offered"], after["answered"], after["abandoned"]) == (2, 1, 1)


def test_an_interaction_still_going_is_not_counted_until_it_finishes(world: World) -> None:
    # given an answered call that ended but is not wrapped up yet
    t = world.tenant_id
    world.clock.now = utc("2026-11-04T15:00:00")
    world.crm.record_started(t, "CAopen", "+14155550100", "+15550000000", "voice", "inbound")
    world.crm.record_queued(t, "CAopen", "support", "WTopen")
    world.clock.now += 5
    world.crm.record_answered(t, "CAopen", "alex")
    world.clock.now += 50
    world.crm.record_ended(t, "CAopen", "completed", 50)
    # then the day shows nothing yet (its handle time is not known)
    empty = world.reports.summary(t, "2026-11-04", "2026-11-04", Filter())
    assert empty["offered"] == 0 and empty["aht_seconds"] is None
    # when the agent wraps up 20 s later, it is counted with its wrap-up
    world.clock.now += 20
    world.crm.record_wrapup(t, "CAopen", "alex", "resolved", "")
    done = world.reports.summary(t, "2026-11-04", "2026-11-04", Filter())
    assert (done["offered"], done["answered"], done["aht_seconds"]) == (1, 1, 70.0)


def test_intervals_are_the_tenants_local_days_and_hours(world: World) -> None:
    # given the scenario (one call at 23:30 New York time, 04:30 UTC the next day)
    scenario(world)
    # when read by day
    days = world.reports.intervals(world.tenant_id, "2026-11-01", "2026-11-02", Filter(),
                                   "day")
    # then the late call counts on 1 November, local time
    assert [(d["label"], d["offered"]) for d in days["intervals"]] == [
        ("2026-11-01", 8), ("2026-11-02", 1)]
    assert days["intervals"][0]["end"] - days["intervals"][0]["start"] == 25 * 3600
    # and by hour, labels carry the local offset and the 23:00 hour holds the late call
    hours = world.reports.intervals(world.tenant_id, "2026-11-01", "2026-11-01", Filter(),
                                    "hour")["intervals"]
    assert len(hours) == 25
    labels = [h["label"] for h in hours]
    assert "2026-11-01T01:00-04:00" in labels and "2026-11-01T01:00-05:00" in labels
    late = next(h for h in hours if h["label"] == "2026-11-01T23:00-05:00")
    assert late["offered"] == 1 and late["answered"] == 1
    assert sum(h["offered"] for h in hours) == 8


def test_filters_by_queue_and_agent_match_the_recomputation(world: World) -> None:
    scenario(world)
    lo, hi = utc("2026-11-01T04:00:00"), utc("2026-11-03T05:00:00")
    for where in (Filter(agent="bea"), Filter(queue="support"), Filter(queue="billing")):
        got = world.reports.summary(world.tenant_id, "2026-11-01", "2026-11-02", where)
        want = recomputed(world, lo, hi, where)
        for name in ("offered", "answered", "asa_seconds", "aht_seconds"):
            assert got[name] == want[name], (where, name)


def test_the_drill_down_lists_the_interactions_behind_each_tile(world: World) -> None:
    scenario(world)
    summary = world.reports.summary(world.tenant_id, "2026-11-01", "2026-11-02", Filter())
    for tile in ("offered", "answered", "abandoned", "short_abandoned", "ivr_abandoned",
                 "voicemails", "callbacks", "transfers"):
        rows, cursor = [], None
        while True:
            page = world.reports.interactions(world.tenant_id, "2026-11-01", "2026-11-02",
                                              Filter(), tile, cursor, limit=4)
            rows += page["interactions"]
            cursor = page["next"]
            if cursor is None:
                break
        assert len(rows) == summary[tile], tile
        assert len({r["id"] for r in rows}) == len(rows)


def test_a_wrap_up_that_runs_out_counts_the_contact_with_its_wrap_up_time(
        world: World) -> None:
    # given an answered call that ended, and an agent who never wraps up
    t = world.tenant_id
    world.clock.now = utc("2026-11-05T15:00:00")
    world.crm.record_started(t, "CAlate", "+14155550100", "+15550000000", "voice", "inbound")
    world.crm.record_queued(t, "CAlate", "support", "WTlate")
    world.clock.now += 4
    world.crm.record_answered(t, "CAlate", "alex")
    world.clock.now += 60
    world.crm.record_ended(t, "CAlate", "completed", 60)
    # when the wrap-up time runs out 30 s later (the sweep), then a late wrap-up arrives
    world.clock.now += 30
    world.crm.record_wrapup_expired(t, "CAlate")
    world.clock.now += 100
    world.crm.record_wrapup(t, "CAlate", "alex", "resolved", "late notes")
    # then the contact counts once, with 60 s talk and the 30 s until the wrap-up ran out
    day = world.reports.summary(t, "2026-11-05", "2026-11-05", Filter())
    assert (day["answered"], day["aht_seconds"], day["asa_seconds"]) == (1, 90.0, 4.0)
    assert world.crm.get_interaction(t, "CAlate").disposition == "resolved"
