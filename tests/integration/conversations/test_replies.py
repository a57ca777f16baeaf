"""Replies through the outbox on DynamoDB Local: sent once with the tenant's number and a
status callback, refused when the customer opted out, failed with Twilio's error."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from chalicelib.adapters.dynamo.conversation_repository import ConversationRepository
from chalicelib.adapters.dynamo.outbox_repository import OutboxRepository
from chalicelib.domain.conversations import OptedOut, Thread
from chalicelib.domain.errors import Forbidden, HotlineError, InvalidInput
from chalicelib.domain.identity import Principal, Role, Tenant
from chalicelib.domain.routing.model import Task, TaskKind, TaskStatus
from chalicelib.services.conversations.threads import ConversationService
from chalicelib.services.outbox import Outbox

BUSINESS, CUSTOMER = "+14155550199", "+14155550100"


@dataclass
class Sender:
    """A carrier that records each message, or fails with ``error``."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    error: HotlineError | None = None

    def send_message(self, tenant, from_, to, body, media_urls=(), status_callback=None):
        if self.error is not None:
            raise self.error
        self.sent.append({"from": from_, "to": to, "body": body,
                          "status_callback": status_callback})
        return "SM" + uuid.uuid4().hex


@dataclass
class Tasks:
    tasks: dict[str, Task]

    def task(self, tenant_id, task_id):
        return self.tasks[task_id]

    def update_task(self, tenant_id, task_id, change, known=None):
        changed = change(self.tasks[task_id])
        if changed is not None:
            self.tasks[task_id] = changed
        return self.tasks[task_id]


@pytest.fixture
def world(settings, tenant_id):
    store = ConversationRepository(settings)
    task = Task(tenant_id=tenant_id, task_id="TK" + uuid.uuid4().hex, channel="sms",
                kind=TaskKind.MESSAGE, status=TaskStatus.ASSIGNED, queue="support",
                entry_queue="support", priority=0, enqueued_at=time.time(),
                assigned_agent="u_agent", caller="whatsapp:" + CUSTOMER)
    store.create_thread(Thread(
        tenant_id=tenant_id, thread_id=task.task_id, channel="whatsapp", contact_id="ct_1",
        started_at=task.enqueued_at, task_id=task.task_id,
        contact_address="whatsapp:" + CUSTOMER, business_address="whatsapp:" + BUSINESS))
    tenant = Tenant(tenant_id=tenant_id, name="Aqua", timezone="UTC",
                    twilio_account_sid="AC1", twilio_auth_token="t", created_at=0.0)
    sender, tasks = Sender(), Tasks({task.task_id: task})
    service = ConversationService(store, tasks, sender, Outbox(OutboxRepository()),
                                  lambda t: tenant, lambda path: "https://h.example" + path)
    return service, sender, store, task


def agent(task: Task, role: Role = Role.AGENT, user: str = "u_agent") -> Principal:
    return Principal(task.tenant_id, user, role)


def test_a_reply_goes_out_once_from_the_whatsapp_number_with_a_status_callback(world):
    service, sender, store, task = world
    answer = service.reply(agent(task), task.task_id, "Your order ships today")
    message = answer["message"]
    assert message["status"] == "queued" and message["author"]["agent_id"] == "u_agent"
    [sent] = sender.sent
    assert sent["from"] == "whatsapp:" + BUSINESS and sent["to"] == "whatsapp:" + CUSTOMER
    assert sent["status_callback"] == (
        f"https://h.example/twilio/sms/status?m={message['message_id']}"
        f"&t={task.tenant_id}&th={task.task_id}")
    stored = store.get_message(task.tenant_id, task.task_id, message["message_id"])
    assert stored.carrier_sid and stored.carrier_sid.startswith("SM")
    # the outbox holds the send as done, so no sweep sends it again
    item = OutboxRepository().get(f"reply#{task.tenant_id}#{message['message_id']}#send")
    assert item is not None and item.status == "done" and item.result == stored.carrier_sid


def test_a_customer_who_texted_stop_is_refused_and_nothing_is_sent(world):
    service, sender, store, task = world
    service.consent(task.tenant_id, BUSINESS, "whatsapp:" + CUSTOMER, "out")
    with pytest.raises(OptedOut):
        service.reply(agent(task), task.task_id, "Hello?")
    assert sender.sent == []
    assert store.messages(task.tenant_id, task.task_id) == []
    service.consent(task.tenant_id, BUSINESS, CUSTOMER, "in")
    service.reply(agent(task), task.task_id, "Welcome back")
    assert len(sender.sent) == 1


def test_a_reply_twilio_refuses_is_shown_failed_with_the_error(world):
    service, sender, _, task = world
    sender.error = InvalidInput("Twilio refused the message: 21211 invalid 'To'")
    message = service.reply(agent(task), task.task_id, "Hi")["message"]
    assert message["status"] == "failed"
    assert message["error"]["message"] == "Twilio refused the message: 21211 invalid 'To'"


def test_a_supervisor_reads_but_only_the_holding_agent_replies(world):
    service, sender, _, task = world
    supervisor = agent(task, Role.SUPERVISOR, "u_sup")
    assert service.read(supervisor, task.task_id)["channel"] == "whatsapp"
    with pytest.raises(Forbidden):
        service.reply(supervisor, task.task_id, "Hi")
    with pytest.raises(Forbidden):
        service.read(agent(task, user="u_other"), task.task_id)
    assert sender.sent == []
