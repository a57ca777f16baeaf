"""Conversations through the carrier simulator: an SMS thread of five messages each way
with delivery statuses, a customer who texts again reaching the same agent, WhatsApp and
calls on one contact, an opted-out customer refused a reply, and tenant isolation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sim.client import SimClient
from tests.stack import Api, RunningStack, new_caller

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(stack: RunningStack) -> SimClient:
    return SimClient(stack.sim_url, timeout=20.0)


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


def accept_text(phone: SimClient, api: Api, customer: str) -> dict[str, Any]:
    offer = phone.wait_for(lambda: next(
        (r for r in api.ok("GET", "/api/me/reservations")["reservations"]
         if r["task"]["caller"] == customer), None), what=f"an offer of {customer}'s text")
    return dict(api.ok("POST", f"/api/reservations/{offer['id']}/accept"))


def thread(api: Api, task_id: str) -> dict[str, Any]:
    return dict(api.ok("GET", f"/api/tasks/{task_id}/messages"))


def test_sms_conversation_of_five_messages_each_way_shows_delivery(stack, phone, agent):
    # given a customer whose text reached the agent
    customer = new_caller()
    photo = f"{stack.sim_url}/media/leak.jpg"
    phone.sms(customer, stack.demo.number, "Hi, my water cooler leaks", media_urls=[photo])
    task = accept_text(phone, agent, customer)
    assert task["kind"] == "message" and task["channel"] == "sms"
    # when agent and customer exchange five messages each
    for n in range(5):
        sent = agent.ok("POST", f"/api/tasks/{task['id']}/messages",
                        {"body": f"Reply {n + 1} from support"})["message"]
        assert sent["direction"] == "outbound" and sent["author"]["kind"] == "agent"
        phone.wait_for(lambda n=n: [m for m in phone.messages(to=customer)
                                    if m["body"] == f"Reply {n + 1} from support"] or None,
                       what=f"reply {n + 1} at the customer's phone")
        if n < 4:
            phone.sms(customer, stack.demo.number, f"Customer message {n + 2}")
            phone.wait_for(lambda n=n: any(m["body"] == f"Customer message {n + 2}"
                                           for m in thread(agent, task["id"])["messages"]),
                           what=f"customer message {n + 2} in the thread")
    # then the thread holds all ten, oldest first, and every reply reads delivered
    done = phone.wait_for(lambda: (t := thread(agent, task["id"])) and all(
        m["status"] == "delivered" for m in t["messages"] if m["direction"] == "outbound")
        and t, what="every reply delivered")
    inbound = [m["body"] for m in done["messages"] if m["direction"] == "inbound"]
    outbound = [m["body"] for m in done["messages"] if m["direction"] == "outbound"]
    assert inbound == ["Hi, my water cooler leaks"] + [f"Customer message {n}"
                                                       for n in range(2, 6)]
    assert outbound == [f"Reply {n} from support" for n in range(1, 6)]
    assert done["channel"] == "sms" and done["contact"]["phone"] == customer
    assert done["messages"][0]["media"] == [{"url": photo, "content_type": "image/jpeg"}]
    view = agent.ok("GET", f"/api/tasks/{task['id']}")
    assert view["message_count"] == 10 and view["conversation_id"] == done["conversation_id"]


def test_a_customer_texting_again_reaches_the_same_agent_not_the_flow(stack, phone, agent):
    # given an agent holding a customer's text
    customer = new_caller()
    phone.sms(customer, stack.demo.number, "First question")
    task = accept_text(phone, agent, customer)
    autoreplies = len(phone.wait_for(lambda: [m for m in phone.messages(to=customer)
                                              if "Thanks for texting" in m["body"]],
                                     what="the flow's acknowledgement"))
    # when the customer texts again during the task
    phone.sms(customer, stack.demo.number, "One more thing")
    # then it lands on the same task's thread, and the flow's auto-reply is not sent again
    phone.wait_for(lambda: any(m["body"] == "One more thing"
                               for m in thread(agent, task["id"])["messages"]),
                   what="the second text in the agent's thread")
    assert len(phone.messages(to=customer)) == autoreplies
    mine = [t for t in agent.ok("GET", "/api/me/tasks")["tasks"] if t["caller"] == customer]
    assert [t["id"] for t in mine] == [task["id"]]
    # and after wrap-up a new text starts a new thread, with the old one as earlier
    agent.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"})
    phone.sms(customer, stack.demo.number, "Back again")
    second = accept_text(phone, agent, customer)
    assert second["id"] != task["id"]
    again = thread(agent, second["id"])
    assert [m["body"] for m in again["messages"]] == ["Back again"]
    assert [e["conversation_id"] for e in again["earlier"]] == [task["conversation_id"]]


def test_whatsapp_lands_on_the_same_contact_as_the_numbers_calls(stack, phone, agent):
    # given a customer who called the business
    customer = new_caller()
    call = phone.call(customer, stack.demo.number)
    phone.wait_listening(call)
    phone.hangup(call)
    from chalicelib.adapters.dynamo.crm_repository import CrmRepository
    from chalicelib.domain.crm import contact_id_for

    crm, contact_id = CrmRepository(), contact_id_for(stack.demo.tenant_id, customer)
    phone.wait_for(lambda: crm.list_for_contact(stack.demo.tenant_id, contact_id),
                   what="the call on the caller's contact")
    # when the same person writes on WhatsApp
    phone.sms("whatsapp:" + customer, "whatsapp:" + stack.demo.number, "Hola on WhatsApp")
    task = accept_text(phone, agent, "whatsapp:" + customer)
    # then the thread is WhatsApp, on the caller's contact, and the CRM has both channels
    convo = thread(agent, task["id"])
    assert convo["channel"] == "whatsapp" and task["channel"] == "whatsapp"
    assert convo["contact"]["contact_id"] == contact_id
    assert convo["contact"]["phone"] == customer
    channels = {i.channel for i in crm.list_for_contact(stack.demo.tenant_id, contact_id)}
    assert {"voice", "whatsapp"} <= channels
    # and a reply goes out from the business's whatsapp: address
    agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": "Hola!"})
    out = phone.wait_for(lambda: [m for m in phone.messages(to="whatsapp:" + customer)
                                  if m["body"] == "Hola!"] or None, what="the WhatsApp reply")
    assert out[0]["from"] == "whatsapp:" + stack.demo.number


def test_an_opted_out_customer_is_refused_a_reply(stack, phone, agent):
    # given a customer whose text an agent holds, who then texts STOP
    customer = new_caller()
    phone.sms(customer, stack.demo.number, "Please call me")
    task = accept_text(phone, agent, customer)
    phone.sms(customer, stack.demo.number, "STOP")
    phone.wait_for(lambda: any(m["body"] == "STOP" for m in thread(agent, task["id"])["messages"]),
                   what="STOP in the thread")
    before = len(phone.messages(to=customer))
    # when the agent replies
    status, body = agent.call("POST", f"/api/tasks/{task['id']}/messages", {"body": "Hello?"})
    # then the reply is refused and nothing was sent
    assert status == 409 and body["error"] == "opted_out"
    assert len(phone.messages(to=customer)) == before
    # and after START the reply goes through
    phone.sms(customer, stack.demo.number, "START")
    phone.wait_for(lambda: any(m["body"] == "START"
                               for m in thread(agent, task["id"])["messages"]),
                   what="START in the thread")
    agent.ok("POST", f"/api/tasks/{task['id']}/messages", {"body": "Welcome back"})


def test_replies_over_twilios_limit_or_empty_are_refused(stack, phone, agent):
    customer = new_caller()
    phone.sms(customer, stack.demo.number, "Long story")
    task = accept_text(phone, agent, customer)
    for body in ("x" * 1601, "   "):
        status, answer = agent.call("POST", f"/api/tasks/{task['id']}/messages",
                                    {"body": body})
        assert status == 400 and answer["path"] == "body"
    assert not any(m["direction"] == "outbound"
                   for m in thread(agent, task["id"])["messages"])


def test_another_tenants_agent_cannot_read_the_conversation(stack, phone, agent):
    # given a conversation in the demo business and a second business's owner
    customer = new_caller()
    phone.sms(customer, stack.demo.number, "Private")
    task = accept_text(phone, agent, customer)
    import uuid

    email = f"rival-{uuid.uuid4().hex[:8]}@example.com"
    signed = stack.api.ok("POST", "/api/signup", {
        "business_name": "Rival Co", "name": "Rita", "email": email,
        "password": "correct horse battery", "timezone": "America/New_York",
        "area_code": "415"})
    rival = Api(stack.app_url, signed.get("token"))
    # when they ask for its thread, or reply to it
    read, _ = rival.call("GET", f"/api/tasks/{task['id']}/messages")
    wrote, _ = rival.call("POST", f"/api/tasks/{task['id']}/messages", {"body": "hi"})
    # then neither reaches it
    assert read in (403, 404) and wrote in (403, 404)
    # and within the business, another agent may neither read nor reply
    colleague = stack.agent(1)
    assert colleague.call("GET", f"/api/tasks/{task['id']}/messages")[0] == 403
    assert colleague.call("POST", f"/api/tasks/{task['id']}/messages",
                          {"body": "hi"})[0] == 403
