"""Web chat through the app's HTTP API: a visitor's chat reaches an agent and back,
the visitor token reads only its own conversation, another tenant's agent cannot read
it, the busy and after-hours modes, bad input, CORS and the rate limit."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamo.crm_repository import CrmRepository
from chalicelib.domain.crm import contact_id_for
from chalicelib.domain.identity import Role
from tests.integration.chat.conftest import Business, Http, make_business

CLOSED = {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def start(http: Http, business: Business, **visitor: Any) -> dict[str, Any]:
    return dict(http.ok("POST", f"/chat/{business.widget_key}/conversations", visitor))


def say(http: Http, chat: dict[str, Any], body: str) -> dict[str, Any]:
    return dict(http.ok("POST", f"/chat/conversations/{chat['conversation_id']}/messages",
                        {"body": body}, chat["visitor_token"]))


def read(http: Http, chat: dict[str, Any], after: int = 0) -> dict[str, Any]:
    return dict(http.ok("GET", f"/chat/conversations/{chat['conversation_id']}/messages"
                               f"?after={after}", token=chat["visitor_token"]))


def accept(http: Http, token: str) -> dict[str, Any]:
    offers = http.ok("GET", "/api/me/reservations", token=token)["reservations"]
    assert len(offers) == 1, offers
    assert offers[0]["task"]["channel"] == "chat"
    return dict(http.ok("POST", f"/api/reservations/{offers[0]['id']}/accept", token=token))


def test_a_visitors_chat_reaches_the_agent_and_the_reply_comes_back(http, business):
    # given an available agent, and a visitor who starts a chat with name and email
    ann = business.add_agent("u_ann", "Ann")
    chat = start(http, business, name="Vera Visitor", email="Vera@Example.com")
    assert chat["mode"] == "chat" and chat["agents_available"] is True
    # when the visitor writes, the agent accepts the chat task and replies
    sent = say(http, chat, "Do you deliver on Saturdays?")["message"]
    assert sent["direction"] == "inbound" and sent["author"]["kind"] == "customer"
    task = accept(http, ann)
    assert task["kind"] == "message" and task["channel"] == "chat"
    thread = http.ok("GET", f"/api/tasks/{task['id']}/messages", token=ann)
    assert thread["channel"] == "chat"
    assert thread["conversation_id"] == chat["conversation_id"]
    assert thread["contact"]["name"] == "Vera Visitor"
    assert thread["contact"]["email"] == "vera@example.com"
    assert [m["body"] for m in thread["messages"]] == ["Do you deliver on Saturdays?"]
    reply = http.ok("POST", f"/api/tasks/{task['id']}/messages",
                    {"body": "Yes, 9 to 1."}, token=ann)["message"]
    assert reply["direction"] == "outbound" and reply["author"]["name"] == "Ann"
    # then the visitor's poll after their one message sees the reply, without the
    # agent's user id, and a fresh read (a reload) sees the whole thread
    fresh = read(http, chat, after=1)
    assert [m["body"] for m in fresh["messages"]] == ["Do you deliver on Saturdays?",
                                                     "Yes, 9 to 1."]
    assert fresh["next"] == 2
    assert fresh["messages"][1]["author"] == {"kind": "agent", "name": "Ann"}
    assert read(http, chat, after=2)["messages"] == []
    assert [m["body"] for m in read(http, chat)["messages"]] == [
        "Do you deliver on Saturdays?", "Yes, 9 to 1."]


def test_the_chat_lands_in_the_crm_on_a_contact_keyed_by_email(http, business):
    # given a chat from a visitor who gave their name and email
    business.add_agent("u_bo", "Bo")
    chat = start(http, business, name="Carl", email="carl@example.com")
    say(http, chat, "Is my order shipped?")
    # then the CRM holds a chat interaction on the contact keyed by that email
    crm = CrmRepository()
    interaction = crm.get_interaction(business.tenant_id, chat["conversation_id"])
    assert interaction is not None and interaction.channel == "chat"
    assert interaction.queue == "support" and interaction.summary == "Is my order shipped?"
    contact = crm.get_contact(business.tenant_id,
                              contact_id_for(business.tenant_id, "carl@example.com"))
    assert contact is not None and contact.name == "Carl"
    assert contact.email == "carl@example.com"
    assert interaction.contact_id == contact.contact_id


def test_a_visitor_token_never_reads_another_conversation(http, business):
    # given two visitors' chats
    mine, theirs = start(http, business), start(http, business)
    say(http, theirs, "my secret order number is 12345")
    # when one visitor's token is used on the other's conversation
    path = f"/chat/conversations/{theirs['conversation_id']}/messages"
    status, body, _ = http.call("GET", path, token=mine["visitor_token"])
    # then it is refused, as are a missing, a forged and a session token
    assert status == 403 and body["error"] == "forbidden"
    assert http.call("POST", path, {"body": "hi"}, token=mine["visitor_token"])[0] == 403
    assert http.call("GET", path)[0] == 401
    assert http.call("GET", path, token=theirs["visitor_token"] + "x")[0] == 401
    business.add_agent("u_cy", "Cy")
    assert http.call("GET", path, token=business.agents["u_cy"])[0] == 401


def test_another_tenants_agent_cannot_read_the_chat(http, business, settings):
    # given a chat accepted by an agent of this business
    ann = business.add_agent("u_ann", "Ann")
    chat = start(http, business, name="Vera")
    say(http, chat, "hello")
    task = accept(http, ann)
    # when an agent and an admin of another business ask for its messages
    other = make_business(settings, name="Other Co")
    eve = other.add_agent("u_eve", "Eve")
    boss = other.session("u_boss", role=Role.ADMIN)
    # then neither finds it, and neither can reply
    for token in (eve, boss):
        status, body, _ = http.call("GET", f"/api/tasks/{task['id']}/messages", token=token)
        assert status == 404, body
        assert http.call("POST", f"/api/tasks/{task['id']}/messages", {"body": "hi"},
                         token=token)[0] == 404
    # and a second agent of the same business who does not hold it cannot either
    bo = business.add_agent("u_bo", "Bo", available=False)
    assert http.call("GET", f"/api/tasks/{task['id']}/messages", token=bo)[0] == 403


def test_with_no_agent_free_the_widget_asks_for_name_and_email(http, business):
    # given a business whose only agent is offline
    business.add_agent("u_off", "Off", available=False)
    # when the widget asks, then it is told to ask for name and email
    status = http.ok("GET", f"/chat/{business.widget_key}/status")
    assert status == {"open": True, "agents_available": False, "mode": "queue",
                      "business": "Aqua Pure"}
    chat = start(http, business, name="Dee", email="dee@example.com")
    assert chat["mode"] == "queue"
    say(http, chat, "anyone there?")
    assert read(http, chat)["visitor"] == {"name": "Dee", "email": "dee@example.com"}


def test_after_hours_the_widget_takes_a_message_as_a_task(http, settings):
    # given a business that is closed now, with an agent who later comes in
    closed = make_business(settings, hours=CLOSED)
    assert http.ok("GET", f"/chat/{closed.widget_key}/status")["mode"] == "after_hours"
    # when a visitor leaves no email, then they are asked for one
    status, body, _ = http.call("POST", f"/chat/{closed.widget_key}/conversations",
                                {"name": "Fay"})
    assert status == 400 and body["path"] == "email"
    # when they leave a message with their email
    chat = start(http, closed, name="Fay", email="fay@example.com")
    assert chat["mode"] == "after_hours"
    say(http, chat, "Please call me back about a refill")
    # then it waits in the queue as a message task marked after hours
    fay = closed.add_agent("u_gus", "Gus")
    task = accept(http, fay)
    thread = http.ok("GET", f"/api/tasks/{task['id']}/messages", token=fay)
    assert thread["after_hours"] is True
    assert thread["messages"][0]["body"] == "Please call me back about a refill"


def test_bad_input_names_the_field(http, business):
    chat = start(http, business)
    path = f"/chat/conversations/{chat['conversation_id']}/messages"
    for body, field in (({"body": ""}, "body"), ({"body": "x" * 1601}, "body"),
                        ({}, "body"), ({"body": "hi", "email": "not-an-email"}, "email"),
                        ({"body": "hi", "extra": 1}, "extra")):
        status, answer, _ = http.call("POST", path, body, token=chat["visitor_token"])
        assert status == 400 and answer["path"] == field, (body, answer)
    assert http.call("POST", "/chat/wk_nope/conversations", {})[0] == 400
    forged = business.widget_key[:-4] + "0000"
    assert http.call("POST", f"/chat/{forged}/conversations", {})[0] == 404


def test_the_public_routes_answer_cors_for_any_origin(http, business):
    status, _, headers = http.call("POST", f"/chat/{business.widget_key}/conversations", {},
                                   headers={"Origin": "https://shop.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, _, headers = http.call("GET", "/chat/widget.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert http.call("GET", "/chat/widget.css")[0] == 200
    assert http.call("GET", "/chat/other.js")[0] == 404


def test_a_visitor_sending_too_fast_is_told_to_slow_down(http, business):
    # given a chat (the per-conversation limit is 20 messages a minute)
    chat = start(http, business)
    path = f"/chat/conversations/{chat['conversation_id']}/messages"
    answers = [http.call("POST", path, {"body": f"m{n}"}, token=chat["visitor_token"])
               for n in range(21)]
    # then the 21st is a 429 with Retry-After, and nothing past the limit was stored
    assert [a[0] for a in answers[:20]] == [200] * 20
    assert answers[20][0] == 429 and answers[20][1]["error"] == "rate_limited"
    assert "Retry-After" in answers[20][2]
    assert read(http, chat)["next"] == 20


def test_get_api_tenant_names_the_widget_key(http, business):
    owner = business.session("u_owner", role=Role.OWNER)
    tenant = http.ok("GET", "/api/tenant", token=owner)
    assert tenant["widget_key"] == business.widget_key
    assert tenant["widget_key"].startswith(f"wk_{business.tenant_id}_")


def test_a_visitor_writing_after_the_wrap_up_opens_a_new_task_on_the_same_thread(
        http, business):
    # given a chat the agent answered and wrapped up
    ann = business.add_agent("u_ann", "Ann")
    chat = start(http, business, name="Hal", email="hal@example.com")
    say(http, chat, "first question")
    first = accept(http, ann)
    http.ok("POST", f"/api/tasks/{first['id']}/messages", {"body": "first answer"}, token=ann)
    http.ok("POST", f"/api/tasks/{first['id']}/wrapup", {"disposition": "Resolved"},
            token=ann)
    http.ok("PUT", "/api/me/activity", {"activity": "available"}, token=ann)
    # when the visitor writes again
    say(http, chat, "one more thing")
    # then a new chat task is offered, and its thread is the whole conversation
    second = accept(http, ann)
    assert second["id"] != first["id"]
    thread = http.ok("GET", f"/api/tasks/{second['id']}/messages", token=ann)
    assert [m["body"] for m in thread["messages"]] == ["first question", "first answer",
                                                      "one more thing"]
    assert read(http, chat)["next"] == 3


def test_the_poll_tells_the_visitor_whether_they_wait_talk_or_are_done(http, business):
    # given a chat with nothing sent yet
    ann = business.add_agent("u_ann", "Ann")
    chat = start(http, business)
    assert read(http, chat)["state"] == "new"
    # when the visitor writes, then it waits; once accepted, Ann holds it
    say(http, chat, "hello")
    assert read(http, chat)["state"] == "waiting"
    task = accept(http, ann)
    path = f"/chat/conversations/{chat['conversation_id']}/messages?after=1&state=waiting"
    got = http.ok("GET", path, token=chat["visitor_token"])
    assert got["state"] == "connected" and got["agent"] == "Ann"
    # and once wrapped up, the chat is over for the visitor
    http.ok("POST", f"/api/tasks/{task['id']}/wrapup", {"disposition": "Resolved"},
            token=ann)
    assert read(http, chat, after=1)["state"] == "ended"
    status, body, _ = http.call("GET", path.replace("state=waiting", "state=asleep"),
                                token=chat["visitor_token"])
    assert status == 400 and body["path"] == "state"
