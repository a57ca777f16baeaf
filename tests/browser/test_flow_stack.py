"""The flow page on the real stack (tests/stack.py): the owner's form is validated by the
real validator (an error lands beside the prompt it names) and publishes through the real
API the same JSON a developer would. The flow is a fresh one bound to no number, so the
calls of other tests never meet it."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.stack import RunningStack

pytestmark = pytest.mark.browser

IVR = json.loads((Path(__file__).resolve().parents[2] / "flows" / "voice-ivr.json").read_text())
SAY = "$.states[1].properties.say"  # the welcome prompt
KEY_3 = "$.states[4].transitions[3].conditions[0].value"  # the menu's "press 3"


def test_the_owner_fixes_a_prompt_the_validator_refused_and_publishes_from_the_form(
        page: Page, stack: RunningStack, errors: list[str]) -> None:
    # given a published flow of the demo business, and its owner on the flow page
    owner = stack.owner()
    flow_id = f"owner-form-{uuid.uuid4().hex[:8]}"
    owner.ok("POST", "/api/flows", {"name": "Owner form", "flow_id": flow_id,
                                    "definition": IVR})
    assert owner.ok("POST", f"/api/flows/{flow_id}/publish")["revision"] == 1
    sign_in(page, owner.ok("GET", "/api/me"), owner.token or "")
    page.goto(stack.app_url + f"/flow?id={flow_id}")
    expect(page.locator(".flow-svg .node")).to_have_count(len(IVR["states"]))
    # when the owner publishes a prompt with broken Liquid
    page.locator(f'[name="{SAY}"]').fill("Welcome to {{ hotline.business_name ")
    page.get_by_role("button", name="Publish").click()
    # then the real validator's error sits beside that prompt and nothing is published
    expect(page.locator("#step-1-say-error")).to_contain_text("Liquid syntax error")
    expect(page.locator(f'[name="{SAY}"]')).to_have_attribute("aria-invalid", "true")
    assert owner.ok("GET", f"/api/flows/{flow_id}")["flow"]["published_revision"] == 1
    screenshot(page, "stack-flow-invalid", part=".flow-editor-card")
    # when they fix it, move voicemail to key 9 and publish
    page.locator(f'[name="{SAY}"]').fill("Welcome to {{ hotline.business_name }}.")
    page.locator(f'[name="{KEY_3}"]').fill("9")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: revision 2 is live.")).to_be_visible()
    # then revision 2 is the flow with exactly those two changes
    live = owner.ok("GET", f"/api/flows/{flow_id}/revisions/2")["revision"]["definition"]
    expected = json.loads(json.dumps(IVR))
    expected["states"][1]["properties"]["say"] = "Welcome to {{ hotline.business_name }}."
    expected["states"][4]["transitions"][3]["conditions"][0].update(
        value="9", friendly_name="If value equal_to 9")
    assert live == expected
    expect(page.locator(".flow-svg .edge-label").filter(has_text="Pressed 9")).to_have_count(1)
