"""The flow page (/flow?id=…): the live flow drawn as a diagram (dagre's layout, SVG), and
the owner's form over the draft's prompts and menus, saved and published through the API."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.fake_api import FakeApi, FakeSite, Received
from tests.browser.users import user

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "studio-flows" / "real"  # copies of ../shared, see ORIGIN.md
IVR = json.loads((ROOT / "flows" / "voice-ivr.json").read_text())


def _flow(flow_id: str, revision: int | None = 2) -> dict[str, Any]:
    return {"flow_id": flow_id, "name": "Main menu", "published_revision": revision,
            "created_at": 1700000000, "draft_updated_at": 1700000500,
            "published_at": 1700000400}


def serve_flow(api: FakeApi, flow_id: str, definition: dict[str, Any],
               draft: dict[str, Any] | None = None, revision: int = 2) -> None:
    """The API as the page reads it: the flow with its draft, and the live revision."""
    api.reply("GET", f"api/flows/{flow_id}",
              {"flow": _flow(flow_id, revision), "definition": draft or definition})
    api.reply("GET", f"api/flows/{flow_id}/revisions/{revision}", {"revision": {
        "revision": revision, "published_at": 1700000400, "published_by": "u_owner",
        "note": None, "definition": definition}})


@pytest.fixture
def owner(page: Page) -> Page:
    sign_in(page, user("owner", "Olivia Owner"))
    page.set_viewport_size({"width": 1280, "height": 860})
    return page


def expected_edges(definition: dict[str, Any]) -> set[tuple[str, str]]:
    names = {state["name"] for state in definition["states"]}
    return {(state["name"], t["next"]) for state in definition["states"]
            for t in state.get("transitions", [])
            if t.get("next") in names and t["next"] != state["name"]}  # loops: in the box


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


BOXES = """() => {
  const rect = (node) => { const r = node.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  return {
    nodes: [...document.querySelectorAll('.flow-svg .node')].map((n) => ({
      name: n.dataset.state, type: n.querySelector('.type').textContent,
      ...rect(n.querySelector('.box'))})),
    edges: [...document.querySelectorAll('.flow-svg .edge')].map(
      (e) => [e.dataset.from, e.dataset.to]),
    labels: [...document.querySelectorAll('.flow-svg .edge-label')].map((l) => ({
      text: l.textContent, ...rect(l.querySelector('rect'))})),
  };
}"""


@pytest.mark.parametrize("export", ["patient-appointments", "autodialer", "call-tracking",
                                    "callback-and-voicemail", "schedule-manager"])
def test_a_real_studio_export_is_drawn_box_by_box_with_labelled_arrows_and_no_overlaps(
        owner: Page, site: FakeSite, api: FakeApi, errors: list[str], export: str) -> None:
    # given a tenant whose live flow is a real Studio export
    definition = json.loads((REAL / f"{export}.json").read_text())
    serve_flow(api, "studio", definition)
    # when the owner opens its page
    owner.goto(site.url + "flow?id=studio")
    expect(owner.locator(".flow-svg .node")).to_have_count(len(definition["states"]))
    drawn = owner.evaluate(BOXES)
    # then every widget has a box, every transition between two widgets an arrow
    assert sorted(n["name"] for n in drawn["nodes"]) == sorted(
        s["name"] for s in definition["states"])
    assert {tuple(e) for e in drawn["edges"]} == expected_edges(definition)
    assert len(drawn["labels"]) == len(drawn["edges"])
    # and no two boxes overlap, nor a label a box
    boxes = drawn["nodes"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlap(a, b), (a["name"], b["name"])
        for label in drawn["labels"]:
            assert not overlap(a, label), (a["name"], label["text"])
    # and the trigger is at the top
    trigger = next(n for n in boxes if n["name"] == definition["initial_state"])
    assert trigger["y"] == min(n["y"] for n in boxes)
    if export == "patient-appointments":
        screenshot(owner, "flow-real-patient-appointments")


REWORDED = "Thanks for calling Aqua Pure. Calls may be recorded."


def _saved(_request: Received) -> tuple[int, Any]:
    return 200, {"flow": _flow("main"), "issues": []}


def test_an_owner_edits_a_prompt_and_the_menu_keys_and_publishes_the_right_json(
        owner: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    # given the default phone menu, live
    serve_flow(api, "main", IVR)
    api.handle("PUT", "api/flows/main", _saved)
    api.reply("POST", "api/flows/main/publish", {"revision": 3, "warnings": []})
    owner.goto(site.url + "flow?id=main")
    # when the owner clicks the welcome box, the welcome prompt is focused, and they reword it
    owner.locator(".flow-svg .node[data-state=welcome]").click()
    welcome = owner.locator('[name="$.states[1].properties.say"]')
    expect(welcome).to_be_focused()
    welcome.fill(REWORDED)
    # and on the menu's choice, voicemail moves from key 3 to key 9, and key 0 reaches support
    owner.locator(".flow-svg .node[data-state=route]").click()
    expect(owner.locator("fieldset.step.focused")).to_have_attribute("data-state", "route")
    owner.locator('[name="$.states[4].transitions[3].conditions[0].value"]').fill("9")
    owner.get_by_role("button", name="Add a key").click()
    added = owner.locator('[name="$.states[4].transitions[7].conditions[0].value"]')
    expect(added).to_be_focused()
    added.fill("0")
    owner.locator('[name="$.states[4].transitions[7].next"]').select_option("queue_support")
    expect(owner.locator(".flow-svg .edge-label").filter(has_text="Pressed 0")).to_have_count(1)
    expect(owner.locator(".flow-svg .node.changed[data-state=route]")).to_have_count(1)
    owner.evaluate("window.scrollTo(0, 0)")
    screenshot(owner, "flow-draft")
    owner.get_by_role("button", name="Publish").click()
    expect(owner.get_by_text("Published: revision 3 is live.")).to_be_visible()
    # then the draft saved before publishing is the flow with exactly those changes
    expected = copy.deepcopy(IVR)
    expected["states"][1]["properties"]["say"] = REWORDED
    route = expected["states"][4]["transitions"]
    route[3]["conditions"][0].update(value="9", friendly_name="If value equal_to 9")
    route.append({"event": "match", "next": "queue_support", "conditions": [{
        "friendly_name": "If value equal_to 0", "arguments": ["{{widgets.menu.Digits}}"],
        "type": "equal_to", "value": "0"}]})
    assert [r.body for r in api.requests("PUT", "api/flows/main")] == [{"definition": expected}]
    order = [(r.method, r.path) for r in api.received if r.method in ("PUT", "POST")]
    assert order == [("PUT", "api/flows/main"), ("POST", "api/flows/main/publish")]
    # and the diagram now shows the live flow with the new keys
    labels = owner.locator(".flow-svg .edge-label")
    expect(labels.filter(has_text="Pressed 9")).to_have_count(1)
    expect(labels.filter(has_text="Pressed 3")).to_have_count(0)
    screenshot(owner, "flow-edited")


def test_validation_errors_show_beside_the_field_they_name(
        owner: Page, site: FakeSite, api: FakeApi, errors: list[str]) -> None:
    # given a draft the server finds a Liquid error in, plus a warning outside the form
    serve_flow(api, "main", IVR)
    say = "$.states[1].properties.say"
    api.reply("PUT", "api/flows/main", {"flow": _flow("main"), "issues": [
        {"code": "liquid-syntax", "state": "welcome", "path": say, "severity": "error",
         "message": "Liquid syntax error (line 1, column 20): expected '}}'"},
        {"code": "metadata-sid", "state": "queue_orders", "severity": "warning",
         "path": "$.states[9].properties.workflow_sid",
         "message": "'workflow_sid' holds WW…, kept only as metadata"}]})
    owner.goto(site.url + "flow?id=main")
    # when the owner breaks the welcome prompt and publishes
    owner.locator('[name="$.states[1].properties.say"]').fill("Thanks for calling {{ oops")
    owner.get_by_role("button", name="Publish").click()
    # then the error is beside the prompt, the warning listed below, and nothing published
    expect(owner.locator("#step-1-say-error")).to_have_text(
        "Liquid syntax error (line 1, column 20): expected '}}'")
    expect(owner.locator(f'[name="{say}"]')).to_have_attribute("aria-invalid", "true")
    expect(owner.get_by_test_id("flow-issues")).to_contain_text(
        "$.states[9].properties.workflow_sid")
    assert not api.requests("POST", "api/flows/main/publish")
    screenshot(owner, "flow-invalid", part=".flow-editor-card")
    # and when the server refuses to publish a menu key, the refusal sits by that key
    key = "$.states[4].transitions[1].conditions[0].value"
    api.handle("PUT", "api/flows/main", _saved)
    api.reply("POST", "api/flows/main/publish", {
        "error": "invalid_input", "path": key,
        "message": f"state 'route' ({key}): Liquid syntax error (line 1, column 3)"}, status=400)
    owner.locator('[name="$.states[1].properties.say"]').fill("Thanks for calling.")
    owner.locator(f'[name="{key}"]').fill("{{")
    owner.get_by_role("button", name="Publish").click()
    expect(owner.locator("#step-4-t1-value-error")).to_contain_text("Liquid syntax error")
    expect(owner.locator(f'[name="{key}"]')).to_have_attribute("aria-invalid", "true")
    expect(owner.locator(f'[name="{say}"]')).not_to_have_attribute("aria-invalid", "true")


def test_the_admin_flows_list_links_each_flow_to_its_diagram(
        owner: Page, site: FakeSite, api: FakeApi) -> None:
    # given the admin page's flows list (its other sections' APIs are not needed here)
    api.reply("GET", "api/flows", {"flows": [_flow("main")]})
    serve_flow(api, "main", IVR)
    owner.goto(site.url + "admin#flows")
    # when the owner follows the flow's diagram link
    owner.get_by_role("link", name="Diagram and prompts of Main menu").click()
    # then the flow page draws that flow
    expect(owner).to_have_url(site.url + "flow?id=main")
    expect(owner.locator(".flow-svg .node")).to_have_count(len(IVR["states"]))
