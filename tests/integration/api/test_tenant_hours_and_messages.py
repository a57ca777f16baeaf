"""PUT /api/tenant: weekly hours that overlap or run backwards are refused naming the day;
the tenant's messages (closed hours, suspended, closed, expired) are stored and read back
(Chalice's test client over HTTP, DynamoDB Local)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from chalicelib.adapters.dynamo.tenant_repository import TenantRepository
from chalicelib.config import Settings
from chalicelib.domain.identity import PhoneNumber
from chalicelib.domain.tenancy import DEFAULT_MESSAGES
from tests.integration.api.conftest import Session

GOOD_WEEK = {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "sat": [["10:00", "14:00"]]}


@pytest.mark.parametrize(("hours", "path", "words"), [
    ({"tue": [["17:00", "09:00"]]}, "hours.tue", "Tuesday: 17:00-09:00 ends before it starts"),
    ({"wed": [["09:00", "13:00"], ["12:00", "17:00"]]}, "hours.wed",
     "Wednesday: 09:00-13:00 and 12:00-17:00 overlap"),
    ({"sun": [["13:00", "17:00"], ["08:00", "14:00"]]}, "hours.sun",
     "Sunday: 08:00-14:00 and 13:00-17:00 overlap"),
    ({"fri": [["10:00", "10:00"]]}, "hours.fri", "Friday: 10:00-10:00 opens and closes"),
    ({"thu": [["09:00", "25:00"]]}, "hours.thu", "Thursday: '25:00' is not a time of day"),
])
def test_hours_that_overlap_or_run_backwards_are_refused_naming_the_day(
        owner: Session, settings: Settings, hours: dict, path: str, words: str) -> None:
    # given a business with its weekly hours saved
    status, _ = owner.send("PUT", "/api/tenant", body={"hours": GOOD_WEEK})
    assert status == 200
    # when the owner saves a day whose spans overlap or run backwards
    status, body = owner.send("PUT", "/api/tenant", body={"hours": {**GOOD_WEEK, **hours}})
    # then it is a 400 naming the day, in the message and the path
    assert status == 400, body
    assert body["error"] == "invalid_input"
    assert body["path"] == path
    assert words in body["message"]
    # and the hours kept are the ones saved before
    stored = TenantRepository(settings).get(owner.user.tenant_id)
    assert stored is not None and stored.profile["hours"] == GOOD_WEEK


def test_spans_that_touch_and_a_day_to_midnight_are_saved_in_order(owner: Session) -> None:
    # given spans written out of order, one touching the next and one ending at midnight
    week = {"mon": [["13:00", "17:00"], ["09:00", "13:00"]], "fri": [["18:00", "24:00"]],
            "sat": [["00:00", "02:00"]]}
    # when they are saved
    status, body = owner.send("PUT", "/api/tenant", body={"hours": week})
    # then they are kept, each day's spans sorted
    assert status == 200, body
    assert body["hours"]["mon"] == [["09:00", "13:00"], ["13:00", "17:00"]]
    assert body["hours"]["fri"] == [["18:00", "24:00"]]


def test_holidays_are_kept_sorted_once_each(owner: Session) -> None:
    status, body = owner.send("PUT", "/api/tenant", body={
        "holidays": ["2026-12-26", "2026-12-25", "2026-12-26"], "timezone": "Europe/Paris"})
    assert status == 200, body
    assert body["holidays"] == ["2026-12-25", "2026-12-26"]
    assert body["timezone"] == "Europe/Paris"


def test_the_tenants_messages_are_stored_and_read_back_with_the_defaults(
        owner: Session, settings: Settings) -> None:
    # given a business with no messages of its own
    status, body = owner.send("GET", "/api/tenant")
    assert status == 200
    assert body["messages"] == {}
    assert body["default_messages"]["suspended"] == DEFAULT_MESSAGES["suspended"]
    assert body["default_messages"]["closed_hours"]
    # when the owner writes what callers hear after hours and while suspended
    status, body = owner.send("PUT", "/api/tenant", body={"messages": {
        "closed_hours": "  Aqua is closed.   Leave a message. ",
        "suspended": "Aqua is taking a short break.", "closed": "", "expired": None}})
    # then they are kept (spaces tidied), and empty ones fall back to the default
    assert status == 200, body
    assert body["messages"] == {"closed_hours": "Aqua is closed. Leave a message.",
                                "suspended": "Aqua is taking a short break."}
    stored = TenantRepository(settings).get(owner.user.tenant_id)
    assert stored is not None
    assert stored.standing().messages["suspended"] == "Aqua is taking a short break."
    # and another field's change leaves them alone
    status, body = owner.send("PUT", "/api/tenant", body={"dispositions": ["Sold"]})
    assert status == 200 and body["messages"]["suspended"] == "Aqua is taking a short break."
    # and an empty map restores every default
    status, body = owner.send("PUT", "/api/tenant", body={"messages": {}})
    assert status == 200 and body["messages"] == {}


@pytest.mark.parametrize(("messages", "path"), [
    ({"holiday": "We are away"}, "messages.holiday"),
    ({"suspended": "x" * 501}, "messages.suspended"),
    ({"closed": 42}, "messages.closed"),
])
def test_a_bad_message_is_a_400_naming_it(owner: Session, messages: dict, path: str) -> None:
    status, body = owner.send("PUT", "/api/tenant", body={"messages": messages})
    assert status == 400, body
    assert body["path"] == path


def test_a_queues_settings_are_written_and_read_back_for_the_admin_page(owner: Session) -> None:
    # when the owner creates a queue with its wait announcements
    status, body = owner.send("PUT", "/api/queues/billing", body={
        "strategy": "round-robin", "worker_expression": 'skills HAS "billing"',
        "max_wait_seconds": 300, "announce_position": False,
        "wait_message": "Thanks for waiting."})
    assert status == 200, body
    # then the live queues carry its settings beside the counts
    status, body = owner.send("GET", "/api/queues")
    assert status == 200
    billing = next(q for q in body["queues"] if q["name"] == "billing")
    assert billing["strategy"] == "round-robin" and billing["max_wait_seconds"] == 300
    assert billing["worker_expression"] == 'skills HAS "billing"'
    assert billing["announce_position"] is False
    assert billing["wait_message"] == "Thanks for waiting."
    assert billing["waiting"] == 0
    # and a wait message that is not text is a 400 naming it
    status, body = owner.send("PUT", "/api/queues/billing", body={"wait_message": 5})
    assert status == 400 and body["path"] == "wait_message"


def test_a_number_is_pointed_at_a_published_flow_with_the_plus_in_the_path(
        owner: Session, settings: Settings) -> None:
    # given one of the business's numbers and a published flow
    number = "+1555" + str(uuid.uuid4().int)[:7]
    TenantRepository(settings).save_number(PhoneNumber(number=number,
                                                       tenant_id=owner.user.tenant_id))
    definition = json.loads((Path(__file__).resolve().parents[3] / "flows" / "voice-ivr.json")
                            .read_text())
    status, body = owner.send("POST", "/api/flows", body={
        "name": "Night menu", "definition": definition, "flow_id": "night-menu"})
    assert status == 200, body
    status, body = owner.send("POST", "/api/flows/night-menu/publish", body={})
    assert status == 200, body
    # when the admin page binds the number's calls to it (E.164, "+" as is in the path)
    status, body = owner.send("PUT", f"/api/numbers/{number}/flow",
                              body={"flow_id": "night-menu", "channel": "voice"})
    # then the business's profile shows the number running that flow
    assert status == 200, body
    status, body = owner.send("GET", "/api/tenant")
    assert {"number": number, "flow_id": "night-menu", "sms_flow_id": None} in body["numbers"]
