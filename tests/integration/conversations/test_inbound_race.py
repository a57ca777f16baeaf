"""Texts arriving at once for one open conversation, through the signed /twilio/sms route:
every one lands on the task's thread, none runs the flow again, and the task's counters
are exact."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
from tests.integration.webhooks.conftest import (  # noqa: F401  (fixtures)
    app_client,
    business_factory,
    fakes,
)


def _sms(biz, sender: str, body: str) -> dict[str, str]:
    return {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": biz.tenant.twilio_account_sid,
            "From": sender, "To": biz.number, "Body": body, "SmsStatus": "received",
            "NumMedia": "0"}


def test_texts_at_once_during_a_task_all_reach_its_thread(business_factory):  # noqa: F811
    # given a customer whose first text handed the conversation to the queue
    biz = business_factory()
    sender = "+14155550987"
    first = biz.answer("/twilio/sms", _sms(biz, sender, "first"))
    assert "<Message>" in first  # the flow's acknowledgement
    store = ConversationRepository(biz.settings)
    [thread] = [t for t in biz.snapshot()["conversations"]
                if str(t["key"]).startswith("thread#")]
    # when five more texts arrive at the same moment
    texts = [_sms(biz, sender, f"more {n}") for n in range(5)]
    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(lambda p: biz.answer("/twilio/sms", p), texts))
    # then none runs the flow (no second acknowledgement), all six are on the thread,
    # and the task counts six messages
    assert all("<Message>" not in answer for answer in answers)
    bodies = sorted(m.body for m in store.messages(biz.tenant_id, thread["thread_id"]))
    assert bodies == ["first"] + [f"more {n}" for n in range(5)]
    assert store.get_thread(biz.tenant_id, thread["thread_id"]).message_count == 6
    task = biz.task(thread["task_id"])
    assert task.attributes["message_count"] == 6
    hand_offs = [i for i in biz.snapshot()["outbox"] if i["kind"] == "routing.enqueue_message"]
    assert len(hand_offs) == 1
