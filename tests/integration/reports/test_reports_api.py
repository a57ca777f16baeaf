"""The reports API and the wallboard through HTTP: supervisors and admins only, each
business sees its own figures, bad input names the field."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.integration.calls.conftest import Desk

ROUTES = ("/api/reports/summary?from=2026-11-01&to=2026-11-30",
          "/api/reports/intervals?from=2026-11-01&to=2026-11-02&interval=hour",
          "/api/reports/agents?from=2026-11-01&to=2026-11-30",
          "/api/reports/interactions?from=2026-11-01&to=2026-11-30",
          "/api/reports/staffing?queue=support&date=2026-11-30",
          "/api/wallboard")


def _answered_call(desk: Desk, sid: str, at: float) -> None:
    """A call answered after 12 s with 40 s of talk, wrapped up now, in the wired CRM."""
    from chalicelib.wiring import get_crm_service

    crm, t = get_crm_service(), desk.tenant.tenant_id
    started = crm.new_interaction(t, sid, "+15550002222", "+15559990000", "voice",
                                  "inbound", at=at)
    crm.store.create_interaction(replace(started, queued_at=at + 5, queue="support",
                                         answered_at=at + 17, agent_id="alice",
                                         ended_at=at + 57, status="completed"))
    crm.record_wrapup(t, sid, "alice", "resolved", "")


@pytest.mark.parametrize("path", ROUTES)
def test_agents_are_refused_and_supervisors_and_admins_served(desk: Desk, path: str) -> None:
    assert desk.get(path, as_="alice")[0] == 403
    for who in ("sue", "olga"):
        status, body = desk.get(path, as_=who)
        assert status == 200, (who, body)


def test_each_business_sees_only_its_own_figures(desk: Desk) -> None:
    # given an answered call in business A today
    now = time.time()
    _answered_call(desk, "CA" + "a" * 32, now - 120)
    today = time.strftime("%Y-%m-%d", time.gmtime(now))
    path = f"/api/reports/summary?from={today}&to={today}"
    # then A's supervisor sees it, B's supervisor sees nothing
    status, mine = desk.get(path, as_="sue")
    assert status == 200 and (mine["offered"], mine["answered"]) == (1, 1)
    assert mine["asa_seconds"] == 12.0 and mine["timezone"] == "UTC"
    status, theirs = desk.get(path, as_="yves")
    assert status == 200 and theirs["offered"] == 0 and theirs["service_level"] is None
    status, rows = desk.get(f"/api/reports/interactions?from={today}&to={today}", as_="yves")
    assert status == 200 and rows["interactions"] == []
    # and A's drill-down lists the call with its timings
    status, rows = desk.get(f"/api/reports/interactions?from={today}&to={today}"
                            "&outcome=answered", as_="sue")
    assert [r["id"] for r in rows["interactions"]] == ["CA" + "a" * 32]
    assert rows["interactions"][0]["wrapup_seconds"] >= 0


def test_bad_input_is_a_400_naming_the_field(desk: Desk) -> None:
    cases = {"/api/reports/summary?to=2026-11-02": "from",
             "/api/reports/summary?from=2026-11-03&to=2026-11-02": "to",
             "/api/reports/summary?from=yesterday&to=2026-11-02": "from",
             "/api/reports/summary?from=2026-11-01T10:07&to=2026-11-02": "from",
             "/api/reports/intervals?from=2026-11-01&to=2026-11-02&interval=week": "interval",
             "/api/reports/interactions?from=2026-11-01&to=2026-11-02&outcome=won": "outcome",
             "/api/reports/interactions?from=2026-11-01&to=2026-11-02&cursor=zz": "cursor",
             "/api/reports/staffing?date=2026-11-02": "queue",
             "/api/reports/staffing?queue=support&date=02/11/2026": "date",
             "/api/reports/staffing?queue=support&date=9999-12-31": "date",
             "/api/reports/summary?from=2026-11-01&to=9999-12-31": "to"}
    for path, field in cases.items():
        status, body = desk.get(path, as_="sue")
        assert status == 400 and body.get("path") == field, (path, body)


def test_the_wallboard_shows_queues_and_every_agent_in_one_request(desk: Desk) -> None:
    # given alice available and two callers waiting in support
    desk.available("alice")
    desk.put("/api/me/activity", {"activity": "break"}, as_="bob")
    for n in range(2):
        desk.incoming_call(f"CA{n:032x}", queue="billing")
    # when the supervisor loads the wallboard
    status, board = desk.get("/api/wallboard", as_="sue")
    # then every queue is there with its capped waiting count, and every agent's state
    assert status == 200
    queues = {q["name"]: q for q in board["queues"]}
    assert set(queues) == {"support", "billing"}
    billing = queues["billing"]
    assert billing["waiting"] >= 1 and billing["waiting_capped"] is False
    assert billing["longest_wait_seconds"] is not None
    assert billing["target"] == {"service_level": 0.8, "threshold_seconds": 20.0}
    assert billing["breach"] is False and billing["today"]["offered"] == 0
    agents = {a["agent_id"]: a for a in board["agents"]}
    assert set(agents) == {"alice", "bob", "sue", "olga"}
    assert agents["bob"]["activity"] == "break"
    assert agents["alice"]["activity"] in ("available", "busy")


def test_queue_settings_are_set_by_admins_and_apply_to_the_wallboard(desk: Desk) -> None:
    # given defaults (80 % within 20 s, 5 s short abandons, Flex's formula)
    status, before = desk.get("/api/reports/settings", as_="sue")
    assert status == 200 and before["default"]["sl_formula"] == "flex"
    # when the admin sets billing to 90 % within 30 s under Connect's formula
    change = {"queues": {"billing": {"sl_threshold_seconds": 30, "sl_target": 0.9,
                                     "sl_formula": "connect"}}, "fcr_window_days": 3}
    assert desk.put("/api/reports/settings", change, as_="sue")[0] == 403
    status, after = desk.put("/api/reports/settings", change, as_="olga")
    assert status == 200 and after["queues"]["billing"]["sl_formula"] == "connect"
    assert after["fcr_window_days"] == 3
    # and bad values name the field
    status, body = desk.put("/api/reports/settings", {"queues": {"billing": {
        "sl_target": 2}}}, as_="olga")
    assert status == 400 and "sl_target" in body["path"]
    # then the wallboard's target for billing is the new one (after the tenant cache)
    from chalicelib import wiring

    wiring.reset()
    status, board = desk.get("/api/wallboard", as_="sue")
    billing = next(q for q in board["queues"] if q["name"] == "billing")
    assert billing["target"] == {"service_level": 0.9, "threshold_seconds": 30.0}
