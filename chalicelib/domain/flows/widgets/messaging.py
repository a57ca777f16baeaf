"""Messaging widgets: send-message and send-and-wait-for-reply (SMS and WhatsApp).

A message to the contact, while Hotline is answering that contact's own webhook, is a
TwiML ``<Message>`` reply; any other message (on a call, to another address, or from the
scheduled sweep) is a SendMessage effect the service sends through the REST API.
"""

from __future__ import annotations

from collections.abc import Mapping

from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.runtime import WAIT, Outcome, Run
from chalicelib.domain.flows.verbs import Message, SendMessage
from chalicelib.domain.flows.widgets.base import WidgetHandler

DEFAULT_REPLY_TIMEOUT = 3600


def _media(state: State, run: Run) -> tuple[str, ...]:
    raw = state.prop("media_url")
    if not raw:
        return ()
    items = raw if isinstance(raw, list) else str(raw).split(",")
    return tuple(u for u in (run.render(i, state).strip() for i in items) if u)


def _send(state: State, run: Run) -> bool:
    to = run.prop(state, "to", run.context.contact_address).strip()
    from_ = run.prop(state, "from", run.context.flow_address).strip()
    body = run.prop(state, "body")
    media = _media(state, run)
    if not to or not (body.strip() or media):
        run.warnings.append(f"widget '{state.name}': no recipient or nothing to send")
        return False
    refused = _refused(to, run)
    if refused is not None:
        run.warnings.append(f"widget '{state.name}': not sent: {refused}")
        run.set_widget(state.name, {"to": to, "body": body, "error": refused})
        return False
    if run.can_reply and to == run.context.contact_address:
        run.verbs.append(Message(body=body, to=None, from_=None, media_urls=media))
    else:
        run.effects.append(SendMessage(to=to, from_=from_ or run.context.flow_address,
                                       body=body, media_urls=media))
    run.set_widget(state.name, {"to": to, "from": from_, "body": body})
    return True


def _refused(to: str, run: Run) -> str | None:
    """The operator's media permissions and the spending cap (the service logs it)."""
    if run.env.outbound is None:
        return None
    return run.env.outbound("whatsapp_out" if to.startswith("whatsapp:") else "sms_out")


def _send_message(state: State, run: Run) -> Outcome:
    return "sent" if _send(state, run) else "failed"


def _send_and_wait(state: State, run: Run) -> Outcome:
    if not _send(state, run):
        return "deliveryFailure"
    timeout = run.int_prop(state, "timeout", DEFAULT_REPLY_TIMEOUT, low=1, high=7 * 86400)
    run.context.deadline = run.clock() + timeout
    return WAIT


def _reply(state: State, run: Run, params: Mapping[str, str]) -> Outcome:
    run.set_widget(state.name, {"inbound": dict(params)})
    run.context.deadline = None
    return "incomingMessage"


def _timeout(state: State, run: Run) -> Outcome:
    run.context.deadline = None
    return "timeout"


HANDLERS = {
    "send-message": WidgetHandler(_send_message, events=("sent", "failed"),
                                  required=("body",)),
    "send-and-wait-for-reply": WidgetHandler(
        _send_and_wait, _reply, _timeout,
        events=("incomingMessage", "timeout", "deliveryFailure"), required=("body",)),
}
