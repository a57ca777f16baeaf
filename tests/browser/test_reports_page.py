"""The reports page: filters that shape every request, the summary tiles and their
drill-down to the interactions behind them, Chart.js charts by interval and by agent,
staffing (Erlang C and A against full-time agents on shift) with the shortfall
highlighted, and a CSV download of every table, built in the browser from the same data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from tests.browser import fake_reports
from tests.browser.conftest import MOBILE, SCREENSHOTS, screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite
from tests.browser.fake_reports import serve_reports
from tests.browser.users import user

pytestmark = pytest.mark.browser

DAY = fake_reports.DAY
ONE_DAY = f"from={DAY}T00:00:00&to=2026-12-01T00:00:00"


@pytest.fixture
def errors(page: Page) -> Iterator[list[str]]:
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    # console errors too (a CSP refusal is one), but not the browser's line for an API's 4xx
    page.on("console", lambda m: found.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)
    yield found
    assert found == []


@pytest.fixture
def reports(page: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> Page:
    sign_in(page, user("supervisor", "Sue Supervisor"))
    api.reply("GET", "api/queues", {"queues": [{"name": "support"}, {"name": "sales"}]})
    api.reply("GET", "api/users", {"users": [
        {"id": agent, "name": name, "role": "agent"}
        for agent, name in fake_reports.AGENTS.items()]})
    serve_reports(api)
    page.goto(site.url + f"reports?from={DAY}&to={DAY}")
    expect(page.locator("[data-tile=offered] .value")).not_to_have_text("0")
    return page


def query_of(api: FakeApi, route: str) -> dict[str, list[str]]:
    sent = [r.path for r in api.received if r.path.split("?")[0] == f"api/reports/{route}"]
    assert sent, f"no request to api/reports/{route}"
    return parse_qs(sent[-1].split("?", 1)[1])


def painted(page: Page, canvas: str) -> int:
    """How many pixels of the canvas Chart.js painted (0 for a blank canvas)."""
    return int(page.evaluate("""(id) => {
        const canvas = document.getElementById(id);
        if (!window.Chart || !Chart.getChart(canvas)) return 0;
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
        return count;
    }""", canvas))


def mobile_parts(page: Page, name: str, parts: dict[str, str]) -> None:
    """Each part (a CSS selector) alone at a phone's width, to look at it closely."""
    page.set_viewport_size(MOBILE)
    for label, selector in parts.items():
        page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}-mobile-{label}.png"))


def download_csv(page: Page, button: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.locator(f"button[data-csv={button}]").click()
    path = info.value.path()
    assert path is not None
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


def test_the_report_shows_tiles_and_draws_charts_for_the_day(
        reports: Page, site: FakeSite, api: FakeApi) -> None:
    figures = fake_reports.summary(f"x?{ONE_DAY}")
    assert api.requests("GET", f"api/reports/summary?{ONE_DAY}")
    expect(reports.locator("[data-tile=offered] .value")).to_have_text(str(figures["offered"]))
    expect(reports.locator("[data-tile=answered] .value")).to_have_text(str(figures["answered"]))
    expect(reports.locator("[data-tile=abandoned] .value")).to_have_text(str(figures["abandoned"]))
    expect(reports.locator("[data-tile=abandoned]")).to_contain_text(
        f"+{figures['short_abandoned']} short")
    expect(reports.locator("[data-tile=service_level] .value")).to_have_text("52.9%")
    expect(reports.locator("[data-tile=aht_seconds] .value")).to_have_text("4:26")
    expect(reports.locator("[data-tile=fcr] .value")).to_have_text("97.5%")
    expect(reports.locator("#period")).to_contain_text("America/New_York")
    for canvas in ("intervals-chart", "agents-chart", "staffing-chart"):
        assert painted(reports, canvas) > 1000, f"{canvas} is blank"
    chart = reports.evaluate("(() => { const c = Chart.getChart(document.getElementById("
                             "'intervals-chart')); return [c.data.labels.length, "
                             "c.data.datasets.map(d => d.label)]; })()")
    assert chart == [10, ["Answered", "Abandoned", "Service level %"]]
    response = reports.request.get(site.url + "vendor/chart.umd.min.js")
    assert response.status == 200 and b"Chart" in response.body()
    screenshot(reports, "reports")
    mobile_parts(reports, "reports", {"filters": "#filters", "summary": "#kpis",
                                      "intervals": "#intervals-chart",
                                      "staffing": "section:has(#staffing-chart)"})


def test_filters_change_every_request(reports: Page, site: FakeSite, api: FakeApi) -> None:
    reports.get_by_label("Queue", exact=True).select_option("support")
    reports.get_by_label("Agent", exact=True).select_option("u_2")
    reports.get_by_label("Channel", exact=True).select_option("voice")
    reports.get_by_label("By", exact=True).select_option("15m")
    reports.get_by_label("To", exact=True).fill("2026-12-01")
    before = len(api.received)
    reports.get_by_role("button", name="Show report").click()
    expected = fake_reports.summary(
        f"x?from={DAY}T00:00:00&to=2026-12-02T00:00:00&queue=support&agent=u_2&channel=voice")
    expect(reports.locator("[data-tile=offered] .value")).to_have_text(str(expected["offered"]))
    expect(reports.locator("#staffing-note")).to_contain_text("support, ")
    assert len(api.requests("GET", f"api/reports/staffing?queue=support&date={DAY}"
                                   "&interval=15m")) == 1
    assert len(api.received) > before
    window = {"from": [f"{DAY}T00:00:00"], "to": ["2026-12-02T00:00:00"]}
    assert query_of(api, "summary") == {**window, "queue": ["support"], "agent": ["u_2"],
                                        "channel": ["voice"]}
    assert query_of(api, "intervals") == {**window, "queue": ["support"], "agent": ["u_2"],
                                          "channel": ["voice"], "interval": ["15m"]}
    assert query_of(api, "agents") == {**window, "queue": ["support"], "channel": ["voice"]}
    assert query_of(api, "staffing") == {"queue": ["support"], "date": [DAY],
                                         "interval": ["15m"]}
    expect(reports).to_have_url(site.url + f"reports?from={DAY}&to=2026-12-01&queue=support"
                                "&agent=u_2&channel=voice&interval=15m")


def test_a_last_day_before_the_first_is_refused_without_a_request(
        reports: Page, api: FakeApi) -> None:
    reports.get_by_label("To", exact=True).fill("2026-11-01")
    before = len(api.received)
    reports.get_by_role("button", name="Show report").click()
    expect(reports.locator("#reports-error")).to_have_text("The last day is before the first day.")
    expect(reports.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    assert len(api.received) == before


def test_a_tile_drills_down_to_the_interactions_behind_it(
        reports: Page, api: FakeApi) -> None:
    reports.locator("[data-tile=abandoned]").click()
    drill = reports.locator("#drill")
    expect(drill).to_contain_text("Interactions behind Abandoned")
    abandoned = [c for c in fake_reports.CONTACTS if c.outcome.startswith("abandoned")]
    expect(drill.locator("tr[data-interaction]")).to_have_count(len(abandoned))
    assert query_of(api, "interactions") == {"from": [f"{DAY}T00:00:00"],
                                             "to": ["2026-12-01T00:00:00"],
                                             "outcome": ["abandoned"]}
    expect(drill.locator(f"tr[data-interaction={abandoned[0].interaction_id}]")).to_contain_text(
        "Abandoned queue")
    rows = download_csv(reports, "interactions")
    assert rows[0] == ["When", "Channel", "Queue", "Agent", "Customer", "Outcome", "Wait",
                       "Handle"]
    assert len(rows) == len(abandoned) + 1
    assert {row[5] for row in rows[1:]} == {"abandoned-queue"}
    assert rows[1][4] == abandoned[0].contact_phone and rows[1][6] == str(
        abandoned[0].wait_seconds)
    answered = next(c for c in fake_reports.CONTACTS if c.answered)
    reports.locator("[data-tile=answered]").click()
    row = drill.locator(f"tr[data-interaction={answered.interaction_id}]")
    expect(row).to_contain_text(fake_reports.AGENTS[answered.agent_id or ""])
    expect(row).to_contain_text(f"{round(answered.handle_seconds or 0) // 60}:")
    reports.locator("[data-tile=offered]").click()
    expect(drill).to_contain_text("Interactions behind Offered")
    expect(drill.locator("tr[data-interaction]")).to_have_count(fake_reports.PAGE)
    drill.get_by_role("button", name="Load more").click()
    expect(drill.locator("tr[data-interaction]")).to_have_count(2 * fake_reports.PAGE)
    assert query_of(api, "interactions")["cursor"] == [str(fake_reports.PAGE)]
    screenshot(reports, "reports-drill")
    mobile_parts(reports, "reports-drill", {"head": "#drill .card-head",
                                            "row": "#drill tbody tr:first-child"})


def test_staffing_highlights_where_full_time_agents_fall_short(reports: Page) -> None:
    staffing = fake_reports.staffing("x?queue=support")["intervals"]
    short = [row for row in staffing if row["shortfall"] > 0]
    assert short, "the fake day has a peak that needs part-timers"
    table = reports.locator("#staffing-table")
    expect(table.locator("tr.short")).to_have_count(len(short))
    peak = table.locator(f"tr[data-interval='{short[0]['start']}']")
    expect(peak.get_by_test_id("shortfall")).to_have_text(f"+{short[0]['shortfall']}")
    expect(reports.locator("#staffing-note")).to_contain_text("need part-timers")
    rows = download_csv(reports, "staffing")
    assert rows[0] == ["Interval", "Forecast calls", "Erlang C", "Erlang A",
                       "Full-time on shift", "Part-timers needed"]
    assert [row[5] for row in rows[1:]] == [str(row["shortfall"]) for row in staffing]


def test_every_table_downloads_as_csv_from_the_same_data(reports: Page) -> None:
    intervals = fake_reports.intervals(f"x?{ONE_DAY}&interval=hour")["intervals"]
    rows = download_csv(reports, "intervals")
    assert rows[0][:4] == ["Interval", "Offered", "Answered", "Abandoned"]
    assert len(rows) == len(intervals) + 1
    assert [int(row[1]) for row in rows[1:]] == [row["offered"] for row in intervals]
    agents = download_csv(reports, "agents")
    assert [row[:2] for row in agents[1:]] == [
        [name, agent] for agent, name in fake_reports.AGENTS.items()]
    summary = download_csv(reports, "summary")
    figures = fake_reports.summary(f"x?{ONE_DAY}")
    assert summary[0][2:5] == ["Offered", "Answered", "Abandoned"]
    assert summary[1][2:5] == [str(figures["offered"]), str(figures["answered"]),
                               str(figures["abandoned"])]
    assert summary[1][6] == str(figures["service_level"])


def test_an_agent_who_opens_reports_is_sent_to_the_desktop(
        page: Page, site: FakeSite, api: FakeApi) -> None:
    sign_in(page, user("agent"))
    api.reply("GET", "api/me", user("agent"))
    api.reply("GET", "api/me/reservations", {"reservations": []})
    api.reply("GET", "api/me/tasks", {"tasks": []})
    page.goto(site.url + "reports")
    expect(page).to_have_url(site.url + "agent")


def test_a_refusal_naming_a_filter_is_shown_at_that_field(reports: Page, api: FakeApi) -> None:
    api.reply("GET", "api/reports/summary", {"error": "invalid_input", "path": "to",
                                             "message": "a report covers at most 400 days"},
              status=400)
    reports.get_by_label("From", exact=True).fill("2024-01-01")
    reports.get_by_role("button", name="Show report").click()
    expect(reports.locator("#reports-error")).to_have_text("a report covers at most 400 days")
    expect(reports.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
