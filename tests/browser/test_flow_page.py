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
            for t in state.get("transitions", []) if t.get("next") in names}


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


BOXES = """() => {
  const rect = (node) => { const r = node.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height}; };
  return {
    nodes: [...document.querySelectorAll('.flow-svg .node')].map((n) => ({
      name: n.dataset.state, type: n.querySelector('.type').textContent, ...rect(n.querySelector('.box'))})),
    edges: [...document.querySelectorAll('.flow-svg .edge')].map((e) => [e.dataset.from, e.dataset.to]),
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
