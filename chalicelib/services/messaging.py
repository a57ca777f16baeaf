"""Messaging webhooks: SMS and WhatsApp conversations driven by the number's flow."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from chalicelib.adapters.dynamo.idempotency_repository import AlreadyProcessed
from chalicelib.domain.errors import NotFound
from chalicelib.domain.flows.context import channel_of, conversation_id
from chalicelib.domain.flows.verbs import Enqueue
from chalicelib.domain.phone import mask
from chalicelib.services.flow_session import (
    Line,
    WebhookService,
    form_params,
    new_interaction_stages,
)
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.messaging")


class MessagingService(WebhookService):

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
        self.effects.apply(line, message_sid, result.effects)
        return reply

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
