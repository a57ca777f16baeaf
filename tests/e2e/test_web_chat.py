"""Web chat end to end on the running stack (`chalice local`, DynamoDB Local): a visitor
chats from the widget's API with an agent who accepts the chat task and replies from the
desktop's API, a reload (a fresh read with the stored token) sees the whole thread, and
neither another visitor's token nor another business's agent can read it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.stack import Api, RunningStack

pytestmark = pytest.mark.e2e


class Visitor:
    """What the widget does, over plain HTTP from 'another site'."""

    def __init__(self, stack: RunningStack, widget_key: str) -> None:
        self.base, self.key = stack.app_url, widget_key
        self.chat: dict[str, Any] = {}

    def start(self, **who: Any) -> dict[str, Any]:
        self.chat = dict(Api(self.base).ok("POST", f"/chat/{self.key}/conversations", who))
        return self.chat

    @property
    def api(self) -> Api:
        return Api(self.base, self.chat["visitor_token"])

    @property
    def path(self) -> str:
        return f"/chat/conversations/{self.chat['conversation_id']}/messages"

    def say(self, body: str) -> dict[str, Any]:
        return dict(self.api.ok("POST", self.path, {"body": body})["message"])

    def read(self, after: int = 0, wait: int = 0) -> dict[str, Any]:
        return dict(self.api.ok("GET", f"{self.path}?after={after}&wait={wait}"))


@pytest.fixture
def widget_key(stack: RunningStack) -> str:
    return str(stack.owner().ok("GET", "/api/tenant")["widget_key"])


@pytest.fixture
def agent(stack: RunningStack) -> Iterator[Api]:
    """The first demo agent, available, the other offline (so every offer is theirs)."""
    api, other = stack.agent(0), stack.agent(1)
    other.ok("PUT", "/api/me/activity", {"activity": "offline"})
    api.ok("PUT", "/api/me/activity", {"activity": "available"})
    yield api
    for task in api.ok("GET", "/api/me/tasks")["tasks"]:
        if task["status"] in ("assigned", "wrapping"):
            api.call("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    api.ok("PUT", "/api/me/activity", {"activity": "offline"})


def wait_for(check: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def accept_chat(agent: Api, conversation_id: str) -> dict[str, Any]:
    offer = wait_for(lambda: next(
        (r for r in agent.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["channel"] == "chat"
         and r["task"].get("conversation_id", conversation_id) == conversation_id), None),
        what="the chat's offer")
    return dict(agent.ok("POST", f"/api/reservations/{offer['id']}/accept"))


def test_a_web_chat_reaches_an_agent_and_back_and_survives_a_reload(stack, agent,
                                                                    widget_key):
    # given a visitor on the business's site, with an agent free
    visitor = Visitor(stack, widget_key)
    email = f"vera-{uuid.uuid4().hex[:6]}@example.com"
    chat = visitor.start(name="Vera", email=email, page_url="https://shop.example/pricing")
    assert chat["mode"] == "chat" and chat["agents_available"] is True
    # when the visitor writes and the agent accepts the chat task
    visitor.say("Hi! Do you deliver to Oakland?")
    task = accept_chat(agent, chat["conversation_id"])
    assert task["channel"] == "chat" and task["kind"] == "message"
    thread = agent.ok("GET", f"/api/tasks/{task['id']}/messages")
    assert thread["contact"]["name"] == "Vera" and thread["contact"]["email"] == email
    assert thread["page_url"] == "https://shop.example/pricing"
    # and they talk, three messages each way, the visitor's side by long poll
    seen = 1
    for n in range(3):
        agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": f"Agent says {n}"})
        got = visitor.read(after=seen, wait=5)
        assert got["messages"][-1]["body"] == f"Agent says {n}"
        assert got["messages"][-1]["author"]["kind"] == "agent"
        seen = got["next"]
        if n < 2:
            visitor.say(f"Visitor says {n}")
            seen += 1
            wait_for(lambda n=n: any(m["body"] == f"Visitor says {n}" for m in agent.ok(
                "GET", f"/api/tasks/{task['id']}/messages")["messages"]),
                what=f"visitor message {n} at the agent")
    # then a reload (a fresh read with the stored token) sees the whole thread in order
    again = Visitor(stack, widget_key)
    again.chat = dict(chat)
    whole = again.read()
    assert [m["body"] for m in whole["messages"]] == [
        "Hi! Do you deliver to Oakland?", "Agent says 0", "Visitor says 0", "Agent says 1",
        "Visitor says 1", "Agent says 2"]
    assert whole["next"] == 6
    assert agent.ok("GET", f"/api/tasks/{task['id']}")["message_count"] == 6
    # and the CRM has the chat, channel "chat", on the visitor's contact (keyed by email)
    contact_id = thread["contact"]["contact_id"]
    owner = stack.owner()
    contact = owner.ok("GET", f"/api/contacts/{contact_id}")
    assert contact["name"] == "Vera" and contact["email"] == email
    timeline = owner.ok("GET", f"/api/contacts/{contact_id}/interactions")
    chats = [i for i in timeline["interactions"] if i["channel"] == "chat"]
    assert [i["id"] for i in chats] == [chat["conversation_id"]]


def test_a_visitor_token_cannot_read_another_conversation(stack, widget_key):
    # given two visitors' chats
    first, second = Visitor(stack, widget_key), Visitor(stack, widget_key)
    first.start(name="One")
    second.start(name="Two")
    second.say("my address is 1 Elm St")
    # when the first visitor's token is used on the second's conversation
    status, body = first.api.call("GET", second.path)
    # then it is refused and nothing of the second chat is shown
    assert status == 403 and "Elm" not in str(body)
    assert first.api.call("POST", second.path, {"body": "hijack"})[0] == 403


def test_another_businesss_agent_cannot_read_the_chat(stack, agent, widget_key):
    # given a chat accepted by the demo business's agent
    visitor = Visitor(stack, widget_key)
    chat = visitor.start(name="Vic")
    visitor.say("private question")
    task = accept_chat(agent, chat["conversation_id"])
    # and another business, signed up through the real signup
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    other = Api(stack.app_url).ok("POST", "/api/signup", {
        "business_name": "Other Co", "name": "Otto", "email": email,
        "password": "a-long-password", "timezone": "UTC", "area_code": "415"})
    outsider = Api(stack.app_url, other["token"])
    # when its owner asks for the chat task's messages, then it is not found
    status, body = outsider.call("GET", f"/api/tasks/{task['id']}/messages")
    assert status == 404 and "private question" not in str(body)
    assert outsider.call("POST", f"/api/tasks/{task['id']}/messages",
                         {"body": "hi"})[0] == 404
    # and its own widget key is not this business's
    assert outsider.ok("GET", "/api/tenant")["widget_key"] != widget_key
