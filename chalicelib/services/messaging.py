"""Messaging webhooks: SMS and WhatsApp conversations driven by the number's flow."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from chalicelib.domain.conversations import Message as ThreadMessage
from chalicelib.domain.conversations import bare, keyword_of, media_from_form
from chalicelib.domain.crm import contact_id_for
from chalicelib.domain.errors import Conflict, HotlineError, NotFound, Unavailable
from chalicelib.domain.flows.context import ExecutionContext, channel_of, conversation_id
from chalicelib.domain.flows.verbs import Enqueue, Message
from chalicelib.domain.outbox import OutboxItem
from chalicelib.domain.phone import mask
from chalicelib.services.flow_session import (
    Line,
    WebhookParts,
    WebhookService,
    form_params,
    new_interaction_stages,
)
from chalicelib.services.webhook_gate import Webhook

if TYPE_CHECKING:
    from chalicelib.services.conversations.threads import ConversationService

log = logging.getLogger("hotline.messaging")

ENQUEUE_MESSAGE = "routing.enqueue_message"
APOLOGY = "Sorry, we couldn't process your message. Please try again later."


def _overdue(context: ExecutionContext | None, now: float) -> bool:
    return (context is not None and context.status == "waiting"
            and context.deadline is not None and context.deadline <= now)


class MessagingService(WebhookService):
    def __init__(self, parts: WebhookParts, clock: Callable[[], float] = time.time,
                 conversations: ConversationService | None = None) -> None:
        super().__init__(parts)
        self.clock = clock
        self.conversations = conversations
        self.outbox.register(ENQUEUE_MESSAGE, self._enqueue_item, at_most_once=False)


    def incoming_message(self, hook: Webhook) -> str:
        """POST /twilio/sms: start or continue the conversation's flow."""
        from chalicelib.adapters.twilio.twiml import render_messaging
        from chalicelib.domain.flows.engine import Trigger

        message_sid = hook.require("MessageSid")
        sender = hook.require("From")
        line = self.session.line(hook)
        refused = self.refusal(line.tenant, f"{channel_of(sender)}_in")
        if refused is not None:
            return self._refuse(hook, line, refused)
        tenant_id = line.tenant.tenant_id
        execution_id = conversation_id(sender, line.number.number)
        params = form_params(hook.params)
        if self.conversations is not None:
            held = self._to_agent(hook, line, execution_id)
            if held is not None:
                return held
        context, version = self.session.versioned_execution(tenant_id, execution_id)
        expired: list[Any] = []
        if _overdue(context, self.clock()):
            # The wait timed out before the sweep saw it: its timeout path runs first,
            # then this message starts a new conversation, as in Studio.
            assert context is not None
            flow = self.session.flow_revision(tenant_id, context.flow_id, context.revision)
            self.claim_before_http(flow)
            expired = self.engine.expire(flow, context, line.environment()).effects
            context = None
        if context is not None and context.status == "waiting" and context.waiting_on:
            flow = self.session.flow_revision(tenant_id, context.flow_id, context.revision)
            self.claim_before_http(flow)
            result = self.engine.resume(flow, context, context.waiting_on, params,
                                        line.environment())
        else:
            flow_id = line.number.sms_flow_id or line.number.flow_id
            flow, revision = self.session.published_flow(tenant_id, flow_id)
            self.claim_before_http(flow)
            result = self.engine.start(flow, Trigger("incomingMessage", params),
                                       line.environment(), flow_id=flow_id or "",
                                       revision=revision)
        key = hook.idempotency_key
        verbs, queued = self._hand_off(key, line, hook, result.verbs)
        if self.report_failures(result, "sms", message_sid, sender, line.number.number):
            verbs = [*verbs, Message(APOLOGY)]
        reply = render_messaging(verbs)
        interaction = replace(
            self.crm.new_interaction(tenant_id, message_sid, sender, line.number.number,
                                     channel_of(sender), "inbound"),
            status="received", summary=hook.params.get("Body", "")[:500])
        stages = [*new_interaction_stages(self.crm_stager, interaction),
                  self.session.stage_execution(tenant_id, result.context, version)]
        items = [*queued, *self.effects.plan(key, line.tenant, message_sid,
                                             [*expired, *result.effects])]
        self.commit_step(key, reply, stages, items)
        self.crm.contact_seen(interaction)  # contact.created (services/integrations)
        log.info("message %s from %s handled for tenant %s", message_sid, mask(sender),
                 tenant_id)
        return reply

    def _refuse(self, hook: Webhook, line: Line, words: str) -> str:
        """The tenant is not active, or the medium is off (docs/tenancy.md): the matching
        reply (none when ``words`` is empty); no flow, no thread, no task. The CRM
        still shows the message (status ``refused``), in the same commit as the answer."""
        from chalicelib.adapters.twilio.twiml import render_messaging

        message_sid, sender = hook.require("MessageSid"), hook.require("From")
        reply = render_messaging([Message(words)] if words else [])
        interaction = replace(
            self.crm.new_interaction(line.tenant.tenant_id, message_sid, sender,
                                     line.number.number, channel_of(sender), "inbound"),
            status="refused", summary=hook.params.get("Body", "")[:500])
        self.commit_step(hook.idempotency_key, reply,
                         new_interaction_stages(self.crm_stager, interaction), [])
        log.info("message %s from %s refused for tenant %s", message_sid, mask(sender),
                 line.tenant.tenant_id)
        return reply

    def expire_due(self, now: float | None = None, limit: int = 100) -> int:
        """Take the timeout path of every send-and-wait-for-reply whose deadline passed
        with no reply (the scheduled sweep calls this). A reply that lands meanwhile
        wins: the save is conditional on the execution being unchanged since it was read,
        and commits with the timeout path's messages as outbox items, under a claim on
        this (execution, version), so two sweeps cannot both send them.
        """
        expired = 0
        for due in self.session.executions.due(self.clock() if now is None else now, limit):
            context = due.context
            try:
                line = self.session.tenant_line(due.tenant_id, context.flow_address)
                flow = self.session.flow_revision(due.tenant_id, context.flow_id,
                                                  context.revision)
                result = self.engine.expire(flow, context, line.environment())
                key = f"expire#{due.tenant_id}#{context.execution_id}#{due.updated_at!r}"
                items = self.effects.plan(key, line.tenant, context.execution_id,
                                          result.effects)
                self.commit_step(key, "", [self.session.stage_execution(
                    due.tenant_id, result.context, due.updated_at)], items)
            except Conflict:
                log.info("conversation %s was answered before its timeout",
                         context.execution_id)
                continue
            except Unavailable as exc:
                log.warning("conversation %s will be expired on the next sweep: %s",
                            context.execution_id, exc.message)
                continue
            except HotlineError as exc:
                # Its number or flow is gone: end it, so it leaves the deadline index.
                log.error("ending conversation %s, which cannot be expired: %s",
                          context.execution_id, exc.message)
                ended = replace(context, status="ended", waiting_on=None, deadline=None)
                with suppress(Conflict):
                    self.session.executions.put_if_unchanged(due.tenant_id, ended,
                                                             due.updated_at)
                continue
            expired += 1
        return expired

    def _to_agent(self, hook: Webhook, line: Line, conversation: str) -> str | None:
        """A message while an agent holds the conversation's task goes to that agent's
        thread, not through the flow; STOP/START change consent (Twilio answers them
        itself) and start no flow. None: the flow handles it."""
        assert self.conversations is not None
        from chalicelib.adapters.twilio.twiml import render_messaging

        tenant_id, sender = line.tenant.tenant_id, hook.require("From")
        body = hook.params.get("Body", "")
        keyword = keyword_of(body)
        if keyword is not None:
            self.conversations.consent(tenant_id, line.number.number, sender, keyword)
        thread = self.conversations.open_for(tenant_id, conversation)
        if thread is None and keyword is None:
            return None
        reply = render_messaging([])
        if thread is not None:
            self.conversations.add_to_thread(thread, self._message(hook, thread.thread_id,
                                                                   tenant_id))
        self.commit_step(hook.idempotency_key, reply, [], [])
        log.info("message %s from %s went to thread %s", hook.params.get("MessageSid"),
                 mask(sender), thread.thread_id if thread else None)
        return reply

    def _message(self, hook: Webhook, thread_id: str, tenant_id: str) -> ThreadMessage:
        return ThreadMessage(
            tenant_id=tenant_id, thread_id=thread_id,
            message_id=hook.require("MessageSid"), direction="inbound",
            author={"kind": "customer", "name": hook.params.get("ProfileName") or None},
            body=hook.params.get("Body", ""), created_at=self.clock(), status="received",
            media=media_from_form(dict(hook.params)))

    def _hand_off(self, key: str, line: Line, hook: Webhook,
                  verbs: list[Any]) -> tuple[list[Any], list[OutboxItem]]:
        """send-to-flex on a conversation: a messaging task in Hotline's queue, created
        after the commit (an outbox item), carrying the message that opens its thread."""
        message_sid, sender = hook.require("MessageSid"), hook.require("From")
        media = [{"url": m.url, "content_type": m.content_type}
                 for m in media_from_form(dict(hook.params))]
        out: list[Any] = []
        items: list[OutboxItem] = []
        for index, verb in enumerate(verbs):
            if not isinstance(verb, Enqueue):
                out.append(verb)
                continue
            items.append(self.outbox.item(key, f"enqueue:{index}", line.tenant.tenant_id,
                                          ENQUEUE_MESSAGE, {
                "conversation_id": conversation_id(sender, line.number.number),
                "interaction_id": message_sid, "queue": verb.queue,
                "priority": verb.priority, "timeout": verb.timeout,
                "attributes": {**dict(verb.attributes), "message_channel": channel_of(sender)},
                "contact": sender,
                "business_number": line.number.number, "channel": channel_of(sender),
                "body": hook.params.get("Body", ""), "media": media, "at": self.clock(),
                "profile_name": hook.params.get("ProfileName")}))
        return out, items

    def _enqueue_item(self, item: OutboxItem) -> str | None:
        """The hand-off: the conversation's thread first (so a text that races the offer
        already finds it), then the task naming it, then the thread linked to the task."""
        p = item.payload
        thread_id = self._open_thread(item) if self.conversations is not None else None
        attributes = dict(p.get("attributes") or {})
        if thread_id is not None:
            attributes["thread_id"] = thread_id
        try:
            task = self.router().enqueue_message(
                tenant_id=item.tenant_id, conversation_id=str(p["conversation_id"]),
                interaction_id=str(p["interaction_id"]), queue=str(p["queue"]),
                priority=int(p.get("priority") or 0), timeout=p.get("timeout"),
                attributes=attributes, contact=p.get("contact"),
                business_number=p.get("business_number"), channel=str(p.get("channel")))
        except NotFound as exc:
            log.warning("conversation from %s could not be queued: %s",
                        mask(p.get("contact")), exc.message)
            return None
        if self.conversations is not None and thread_id is not None:
            self.conversations.link(item.tenant_id, thread_id, task)
        return str(task.task_id)

    def _open_thread(self, item: OutboxItem) -> str:
        """A new thread (named after the message that opened it), the customer's
        conversation pointing at it, and that message as its first."""
        from chalicelib.domain.conversations import Media

        assert self.conversations is not None
        p = item.payload
        contact, channel = str(p.get("contact") or ""), str(p.get("channel") or "sms")
        business = str(p.get("business_number") or "")
        at = float(p.get("at") or self.clock())
        from chalicelib.services.conversations.threads import reply_address

        thread = self.conversations.open_handoff(
            item.tenant_id, "TH" + str(p["interaction_id"]), channel,
            contact_id_for(item.tenant_id, bare(contact)), contact,
            reply_address(business, channel), started_at=at,
            conversation=str(p["conversation_id"]))
        self.conversations.store.add_message(ThreadMessage(
            tenant_id=item.tenant_id, thread_id=thread.thread_id,
            message_id=str(p["interaction_id"]), direction="inbound",
            author={"kind": "customer", "name": p.get("profile_name") or None},
            body=str(p.get("body") or ""), created_at=at,
            media=tuple(Media(str(m["url"]), str(m["content_type"]))
                        for m in p.get("media") or [])))
        return thread.thread_id
