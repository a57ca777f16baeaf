"""The visitor's long poll and token, with an in-memory thread and a fake clock: it
answers at once when the thread has more than `after` messages, waits (sleeping on the
injected clock) until one arrives, and gives up at the wait it was allowed."""

from __future__ import annotations

import time
from typing import Any

import pytest

from chalicelib.domain.chat import ChatConversation
from chalicelib.domain.conversations import Message, Thread
from chalicelib.domain.errors import Forbidden, Unauthorized
from chalicelib.services.chat.tokens import VisitorTokens
from chalicelib.services.chat.visitor import ChatVisitors

TENANT, CID = "tn_poll", "ch_0123456789abcdef0123"
SECRET = "a-test-signing-secret-long-enough-for-hs256"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.slept: list[float] = []
        self.on_sleep: list[Any] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep.pop(0)()


class Threads:
    def __init__(self) -> None:
        self.messages_of: list[Message] = []

    def add(self, body: str, direction: str = "outbound") -> None:
        self.messages_of.append(Message(TENANT, CID, f"msg_{len(self.messages_of)}",
                                        direction, {"kind": "agent", "agent_id": "u_1",
                                                    "name": "Ann"}, body, 1.0 + len(
                                            self.messages_of)))

    def get_thread(self, tenant_id: str, thread_id: str) -> Thread | None:
        return Thread(TENANT, CID, "chat", "ct_1", 0.0, message_count=len(self.messages_of))

    def messages(self, tenant_id: str, thread_id: str, limit: int = 500) -> list[Message]:
        return list(self.messages_of)


class Chats:
    def get(self, tenant_id: str, conversation_id: str) -> ChatConversation | None:
        return ChatConversation(TENANT, CID, 0.0, visitor_name="Vera") \
            if (tenant_id, conversation_id) == (TENANT, CID) else None


class NoLimit:
    def hit(self, bucket: str, limit: int, window_seconds: int) -> None:
        return None


@pytest.fixture
def setup() -> tuple[ChatVisitors, Threads, Clock, str]:
    clock, threads, tokens = Clock(), Threads(), VisitorTokens(SECRET)
    visitors = ChatVisitors(Chats(), None, None, None, None, threads, None, None,  # type: ignore[arg-type]
                            NoLimit(), tokens, max_wait=20.0, clock=clock, sleep=clock.sleep)
    return visitors, threads, clock, tokens.issue(TENANT, CID)  # signed at the real time


def test_a_thread_with_new_messages_answers_at_once(setup):
    visitors, threads, clock, token = setup
    threads.add("hello")
    got = visitors.read(token, CID, after=0, wait=20, source="ip")
    assert [m["body"] for m in got["messages"]] == ["hello"] and got["next"] == 1
    assert clock.slept == []
    assert got["messages"][0]["author"] == {"kind": "agent", "name": "Ann"}


def test_the_poll_waits_until_a_message_arrives(setup):
    visitors, threads, clock, token = setup
    threads.add("hello")
    clock.on_sleep = [lambda: None, lambda: threads.add("are you there?")]
    got = visitors.read(token, CID, after=1, wait=20, source="ip")
    assert [m["body"] for m in got["messages"]] == ["hello", "are you there?"]
    assert got["next"] == 2 and len(clock.slept) == 2


def test_the_poll_gives_up_at_the_wait_it_was_allowed(setup):
    visitors, _threads, clock, token = setup
    started = clock.now
    got = visitors.read(token, CID, after=0, wait=60, source="ip")
    assert got["messages"] == [] and got["next"] == 0
    assert clock.now - started == pytest.approx(20.0)  # capped by max_wait, simulated time


def test_a_token_for_another_conversation_or_expired_or_forged_is_refused(setup):
    visitors, _, _clock, token = setup
    with pytest.raises(Forbidden):
        visitors.read(token, "ch_ffffffffffffffffffff", after=0, wait=0, source="ip")
    old = VisitorTokens(SECRET, ttl_seconds=60).issue(TENANT, CID,
                                                       now=time.time() - 3600)
    with pytest.raises(Unauthorized):
        visitors.read(old, CID, after=0, wait=0, source="ip")
    with pytest.raises(Unauthorized):
        visitors.read(VisitorTokens(SECRET + "-other").issue(TENANT, CID), CID, 0, 0, "ip")
