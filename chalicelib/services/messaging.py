"""Messaging webhooks: SMS and WhatsApp conversations driven by the number's flow."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from typing import Any

from chalicelib.adapters.dynamo.idempotency_repository import AlreadyProcessed
from chalicelib.domain.errors import Conflict, HotlineError, NotFound, Unavailable
from chalicelib.domain.flows.context import ExecutionContext, channel_of, conversation_id
from chalicelib.domain.flows.verbs import Enqueue
from chalicelib.domain.phone import mask
from chalicelib.services.flow_session import (
    Line,
    WebhookParts,
    WebhookService,
    form_params,
    new_interaction_stages,
)
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.messaging")


def _overdue(context: ExecutionContext | None, now: float) -> bool:
    return (context is not None and context.status == "waiting"
            and context.deadline is not None and context.deadline <= now)


class MessagingService(WebhookService):
    def __init__(self, parts: WebhookParts, clock: Callable[[], float] = time.time) -> None:
        super().__init__(parts)
        self.clock = clock


    def incoming_message(self, hook: Webhook) -> str:
        """POST /twilio/sms: start or continue the conversation's flow."""
        from chalicelib.adapters.twilio.twiml import render_messaging
        from chalicelib.domain.flows.engine import Trigger

        message_sid = hook.require("MessageSid")
        sender = hook.require("From")
        line = self.session.line(hook)
        tenant_id = line.tenant.tenant_id
        execution_id = conversation_id(sender, line.number.number)
        params = form_params(hook.params)
        context = self.session.execution(tenant_id, execution_id)
        expired: list[Any] = []
        if _overdue(context, self.clock()):
            # The wait timed out before the sweep saw it: its timeout path runs first,
            # then this message starts a new conversation, as in Studio.
            assert context is not None
            flow = self.session.flow_revision(tenant_id, context.flow_id, context.revision)
            expired = self.engine.expire(flow, context, line.environment()).effects
            context = None
        if context is not None and context.status == "waiting" and context.waiting_on:
            flow = self.session.flow_revision(tenant_id, context.flow_id, context.revision)
            result = self.engine.resume(flow, context, context.waiting_on, params,
                                        line.environment())
        else:
            flow_id = line.number.sms_flow_id or line.number.flow_id
            flow, revision = self.session.published_flow(tenant_id, flow_id)
            result = self.engine.start(flow, Trigger("incomingMessage", params),
                                       line.environment(), flow_id=flow_id or "",
                                       revision=revision)
        verbs = self._hand_off(line, message_sid, sender, result.verbs)
        reply = render_messaging(verbs)
        interaction = replace(
            self.crm.new_interaction(tenant_id, message_sid, sender, line.number.number,
                                     channel_of(sender), "inbound"),
            status="received", summary=hook.params.get("Body", "")[:500])
        stages = [*new_interaction_stages(self.crm_stager, interaction),
                  self.session.stage_execution(tenant_id, result.context)]
        try:
            self.committer.commit(hook.idempotency_key, reply, stages)
        except AlreadyProcessed as done:
            return done.response or reply
        log.info("message %s from %s handled for tenant %s", message_sid, mask(sender),
                 tenant_id)
        self.effects.apply(line, message_sid, [*expired, *result.effects])
        return reply

    def expire_due(self, now: float | None = None, limit: int = 100) -> int:
        """Take the timeout path of every send-and-wait-for-reply whose deadline passed
        with no reply (the scheduled sweep calls this). A reply that lands meanwhile
        wins: the save is conditional on the execution being unchanged since it was read.
        """
        expired = 0
        for due in self.session.executions.due(self.clock() if now is None else now, limit):
            context = due.context
            try:
                line = self.session.tenant_line(due.tenant_id, context.flow_address)
                flow = self.session.flow_revision(due.tenant_id, context.flow_id,
                                                  context.revision)
                result = self.engine.expire(flow, context, line.environment())
                self.session.executions.put_if_unchanged(due.tenant_id, result.context,
                                                         due.updated_at)
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
            self.effects.apply(line, context.execution_id, result.effects)
            expired += 1
        return expired

    def _hand_off(self, line: Line, message_sid: str, sender: str,
                  verbs: list[Any]) -> list[Any]:
        """send-to-flex on a conversation: a messaging task in Hotline's queue."""
        out: list[Any] = []
        for verb in verbs:
            if not isinstance(verb, Enqueue):
                out.append(verb)
                continue
            try:
                self.router().enqueue_message(
                    tenant_id=line.tenant.tenant_id, conversation_id=conversation_id(
                        sender, line.number.number),
                    interaction_id=message_sid, queue=verb.queue, priority=verb.priority,
                    timeout=verb.timeout, attributes=dict(verb.attributes),
                    contact=sender, business_number=line.number.number,
                    channel=channel_of(sender))
            except NotFound as exc:
                log.warning("conversation from %s could not be queued: %s", mask(sender),
                            exc.message)
                continue
        return out
