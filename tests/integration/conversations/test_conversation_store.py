"""The conversation store on DynamoDB Local: threads, messages arriving at once, status
callbacks out of order, consent; and the signed status callback route."""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest

from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
from chalicelib.domain.conversations import Message, Thread
from chalicelib.domain.identity import Principal, Role
from chalicelib.services.conversations.threads import ConversationService


class NoTasks:
    def task(self, tenant_id, task_id):  # pragma: no cover - not reached in these tests
        raise AssertionError("no task lookups expected")

    def update_task(self, tenant_id, task_id, change, known=None):
        return None


class Outbox:
    def register(self, kind, run, *, at_most_once):
        self.kinds = {kind: run}


@pytest.fixture
def store(settings) -> ConversationRepository:
    return ConversationRepository(settings)


def new_thread(store, tenant_id: str, contact: str = "ct_1", at: float | None = None) -> Thread:
    return store.create_thread(Thread(
        tenant_id=tenant_id, thread_id="TK" + uuid.uuid4().hex, channel="sms",
        contact_id=contact, started_at=at if at is not None else time.time(),
        task_id="TK1", contact_address="+14155550100", business_address="+14155550199"))


def inbound(thread: Thread, body: str, sid: str | None = None, at: float | None = None):
    return Message(tenant_id=thread.tenant_id, thread_id=thread.thread_id,
                   message_id=sid or "SM" + uuid.uuid4().hex, direction="inbound",
                   author={"kind": "customer"}, body=body,
                   created_at=at if at is not None else time.time())


def test_two_messages_arriving_at_once_are_both_kept_and_counted(store, tenant_id):
    # given a thread
    thread = new_thread(store, tenant_id)
    messages = [inbound(thread, f"message {n}") for n in range(8)]
    # when eight messages are stored at the same moment
    start = threading.Barrier(len(messages))

    def add(message):
        start.wait()
        store.add_message(message)

    workers = [threading.Thread(target=add, args=(m,)) for m in messages]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    # then every one is in the thread, and the count is exact
    stored = store.messages(tenant_id, thread.thread_id)
    assert sorted(m.body for m in stored) == sorted(m.body for m in messages)
    assert store.get_thread(tenant_id, thread.thread_id).message_count == 8


def test_a_retried_message_is_stored_once(store, tenant_id):
    thread = new_thread(store, tenant_id)
    message = inbound(thread, "hello", sid="SM" + uuid.uuid4().hex)
    assert store.add_message(message) is True
    assert store.add_message(message) is False
    assert len(store.messages(tenant_id, thread.thread_id)) == 1
    assert store.get_thread(tenant_id, thread.thread_id).message_count == 1


def test_creating_a_thread_twice_keeps_the_first(store, tenant_id):
    thread = new_thread(store, tenant_id)
    again = store.create_thread(Thread(
        tenant_id=tenant_id, thread_id=thread.thread_id, channel="whatsapp",
        contact_id="other", started_at=1.0))
    assert again.channel == "sms" and again.contact_id == thread.contact_id


def test_status_callbacks_out_of_order_never_go_back(store, tenant_id):
    # given a reply that Twilio reported delivered
    service = ConversationService(store, NoTasks(), sender=None, outbox=Outbox(),
                                  tenants=lambda t: None, public_url=str)
    thread = new_thread(store, tenant_id)
    reply = Message(tenant_id=tenant_id, thread_id=thread.thread_id, message_id="msg_1",
                    direction="outbound", author={"kind": "agent", "agent_id": "u1"},
                    body="Hi", created_at=time.time(), status="queued")
    store.add_message(reply)
    service.status_callback(tenant_id, thread.thread_id, "msg_1", "delivered", None, "SM1")
    # when a late "sent" arrives
    service.status_callback(tenant_id, thread.thread_id, "msg_1", "sent", None, "SM1")
    # then it stays delivered
    assert store.get_message(tenant_id, thread.thread_id, "msg_1").status == "delivered"


def test_an_undelivered_reply_carries_twilios_error(store, tenant_id):
    service = ConversationService(store, NoTasks(), sender=None, outbox=Outbox(),
                                  tenants=lambda t: None, public_url=str)
    thread = new_thread(store, tenant_id)
    store.add_message(Message(tenant_id=tenant_id, thread_id=thread.thread_id,
                              message_id="msg_2", direction="outbound",
                              author={"kind": "agent"}, body="Hi", created_at=time.time(),
                              status="queued"))
    service.status_callback(tenant_id, thread.thread_id, "msg_2", "sent", None, "SM2")
    service.status_callback(tenant_id, thread.thread_id, "msg_2", "undelivered", "30003",
                            "SM2")
    stored = store.get_message(tenant_id, thread.thread_id, "msg_2")
    assert stored.status == "undelivered"
    assert stored.error == {"code": 30003, "message": "Unreachable destination handset"}


def test_consent_follows_stop_and_start(store, tenant_id):
    assert store.opted_out(tenant_id, "+14155550199", "+14155550100") is False
    store.set_opted_out(tenant_id, "+14155550199", "+14155550100", True, time.time())
    assert store.opted_out(tenant_id, "+14155550199", "+14155550100") is True
    assert store.opted_out(tenant_id, "+14155550188", "+14155550100") is False
    store.set_opted_out(tenant_id, "+14155550199", "+14155550100", False, time.time())
    assert store.opted_out(tenant_id, "+14155550199", "+14155550100") is False


def test_a_contacts_threads_come_newest_first(store, tenant_id):
    first = new_thread(store, tenant_id, contact="ct_x", at=100.0)
    second = new_thread(store, tenant_id, contact="ct_x", at=200.0)
    new_thread(store, tenant_id, contact="ct_y", at=300.0)
    found = store.threads_of_contact(tenant_id, "ct_x")
    assert [t.thread_id for t in found] == [second.thread_id, first.thread_id]


def test_the_signed_status_callback_moves_a_reply_on(client, line, store):
    # given a queued reply in a thread of the line's tenant
    tenant_id = line.tenant.tenant_id
    thread = new_thread(store, tenant_id)
    store.add_message(Message(tenant_id=tenant_id, thread_id=thread.thread_id,
                              message_id="msg_3", direction="outbound",
                              author={"kind": "agent"}, body="Hi", created_at=time.time(),
                              status="queued"))
    path = f"/twilio/sms/status?m=msg_3&t={tenant_id}&th={thread.thread_id}"
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "MessageStatus": "delivered",
              "AccountSid": line.tenant.twilio_account_sid, "From": line.number,
              "To": "+14155550100"}
    # when Twilio posts "delivered", signed
    body, headers = line.signed(path, params)
    assert client.http.post(path, body=body, headers=headers).status_code == 200
    # then the reply reads delivered; a forged post is refused
    assert store.get_message(tenant_id, thread.thread_id, "msg_3").status == "delivered"
    body, headers = line.signed(path, {**params, "MessageStatus": "failed"}, token="wrong")
    assert client.http.post(path, body=body, headers=headers).status_code == 403


def test_the_tenant_lists_its_dispositions(client, line, settings):
    from tests.integration.sessions import session_token

    token = session_token(settings, Principal(line.tenant.tenant_id, "u_admin", Role.ADMIN))
    answer = client.http.get("/api/tenant", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert json.loads(answer.body)["dispositions"] == [
        "Resolved", "Follow-up needed", "Order placed", "Wrong number", "Voicemail returned"]


def test_an_admin_sets_the_tenants_dispositions(client, line, settings):
    from tests.integration.sessions import session_token

    token = session_token(settings, Principal(line.tenant.tenant_id, "u_admin", Role.ADMIN))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # when an admin sets their own list (with a duplicate and padding)
    answer = client.http.put("/api/tenant", headers=headers, body=json.dumps(
        {"dispositions": [" Sale ", "No sale", "Sale", "Callback booked"]}))
    # then GET /api/tenant names it, cleaned
    assert answer.status_code == 200
    assert json.loads(answer.body)["dispositions"] == ["Sale", "No sale", "Callback booked"]
    # and an empty label names its place; an empty list restores the defaults
    bad = client.http.put("/api/tenant", headers=headers,
                          body=json.dumps({"dispositions": ["Sale", "  "]}))
    assert bad.status_code == 400 and json.loads(bad.body)["path"] == "dispositions[1]"
    reset = client.http.put("/api/tenant", headers=headers,
                            body=json.dumps({"dispositions": []}))
    assert json.loads(reset.body)["dispositions"][0] == "Resolved"
