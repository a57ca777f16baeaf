"""Web chat and the tenant gate (docs/tenancy.md), through the app's HTTP API: an
inactive business, or one with chat switched off, refuses new chats with a 403 the widget
shows; an agent's chat reply is refused once chat is off."""

from __future__ import annotations

from chalicelib.domain.tenancy import ALL_ON
from chalicelib.services.tenancy import INBOUND_OFF
from tests.integration.chat.conftest import Business, Http
from tests.integration.chat.test_chat_api import accept, say, start


def _terms(business: Business, **terms: object) -> None:
    """The operator's terms, written field by field (the widget key stays)."""
    from chalicelib.adapters.dynamo.models.tenants import TenantModel
    from chalicelib.wiring import get_tenant_gate

    TenantModel(business.tenant_id).update(
        actions=[getattr(TenantModel, name).set(value) for name, value in terms.items()])
    get_tenant_gate().forget(business.tenant_id)


def test_a_suspended_business_refuses_a_new_chat_with_its_message(http: Http,
                                                                  business: Business):
    # given a business the operator suspended, with its own words
    _terms(business, status="suspended", messages={"suspended": "Back in March."})
    # when a visitor opens the widget and starts a chat
    status_code, status, _ = http.call("GET", f"/chat/{business.widget_key}/status")
    code, body, _ = http.call("POST", f"/chat/{business.widget_key}/conversations", {})
    # then both answer 403 with the business's words, which the widget shows
    assert (status_code, status["error"], status["message"]) == (403, "tenant_inactive",
                                                                  "Back in March.")
    assert (code, body["error"], body["message"]) == (403, "tenant_inactive",
                                                      "Back in March.")


def test_chat_switched_off_refuses_a_new_chat_by_name(http: Http, business: Business):
    _terms(business, permissions={**ALL_ON, "chat": False})

    code, body, _ = http.call("POST", f"/chat/{business.widget_key}/conversations", {})

    assert code == 403
    assert body == {"error": "permission_off", "message": INBOUND_OFF["chat"]}


def test_an_agents_chat_reply_is_refused_once_chat_is_off(http: Http, business: Business):
    # given a chat an agent accepted
    ann = business.add_agent("u_ann", "Ann")
    chat = start(http, business, name="Vera")
    say(http, chat, "Hello?")
    task = accept(http, ann)
    # when the operator switches chat off and the agent replies
    _terms(business, permissions={**ALL_ON, "chat": False})
    code, body, _ = http.call("POST", f"/api/tasks/{task['id']}/messages",
                              {"body": "Hi Vera"}, token=ann)
    # then the reply is refused naming the permission, and the visitor sees nothing new
    assert code == 403 and body["error"] == "permission_off"
    assert "chat" in body["message"]
    thread = http.ok("GET", f"/api/tasks/{task['id']}/messages", token=ann)
    assert [m["body"] for m in thread["messages"]] == ["Hello?"]
