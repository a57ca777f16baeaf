"""Voice webhooks: an incoming call, each step of its flow, and its status callbacks."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol
from urllib.parse import urlencode

from chalicelib.config import Settings
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound
from chalicelib.domain.flows.verbs import Enqueue, HandOffToTenant, Hangup, Redirect, Say
from chalicelib.domain.identity import PhoneNumber
from chalicelib.domain.outbox import OutboxItem
from chalicelib.domain.phone import mask
from chalicelib.services.flow_session import (
    Line,
    Stage,
    WebhookParts,
    WebhookService,
    form_params,
    new_interaction_stages,
)
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.voice")


class SharedFrontPort(Protocol):
    """A shared number's menu (services/shared_numbers/front.py)."""

    def greet(self, hook: Webhook, number: PhoneNumber) -> str: ...

FINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}
ENQUEUE_CALL = "routing.enqueue_call"
CALL_ENDED = "voice.call_ended"
APOLOGY = "Sorry, we can't take your call right now. Please try again later. Goodbye."


class VoiceUrls:
    """Callback URLs for Hotline's own TwiML; the query is sorted, as the edge expects."""

    def __init__(self, settings: Settings, step: int, tenant_id: str | None = None) -> None:
        self.settings = settings
        self.step = step
        self.tenant_id = tenant_id

    def _url(self, path: str, query: dict[str, str]) -> str:
        return self.settings.public_url(path + "?" + urlencode(sorted(query.items())))

    def resume(self, widget: str) -> str:
        query = {"s": str(self.step), "w": widget}
        if self.tenant_id:
            query["t"] = self.tenant_id
        return self._url("/twilio/voice/flow", query)

    def queue_wait(self, task_id: str) -> str:
        return self._url("/twilio/voice/queue/wait", {"task": task_id})

    def queue_result(self, task_id: str, widget: str) -> str:
        return self._url("/twilio/voice/queue/result", {"task": task_id, "w": widget})

    def transcription(self) -> str:
        """A voicemail's transcribeCallback (routes/twilio_voicemail.py)."""
        return self._url("/twilio/voice/transcription",
                         {"t": self.tenant_id} if self.tenant_id else {})


class VoiceService(WebhookService):
    def __init__(self, settings: Settings, parts: WebhookParts,
                 shared_front: Callable[[], SharedFrontPort] | None = None) -> None:
        super().__init__(parts)
        self.settings = settings
        self.shared_front = shared_front  # a shared number's menu (services/shared_numbers)
        self.outbox.register(ENQUEUE_CALL, self._enqueue_item, at_most_once=False)
        self.outbox.register(CALL_ENDED, self._call_ended_item, at_most_once=False)

    # --- webhooks -------------------------------------------------------------------
    def incoming_call(self, hook: Webhook) -> str:
        """POST /twilio/voice: start the number's flow for a new call."""
        from chalicelib.domain.flows.engine import Trigger

        call_sid = hook.require("CallSid")
        caller = hook.require("From")
        line = self.session.line(hook)
        if line.number.is_shared and self.shared_front is not None:
            # The operator's menu: nothing is written in the number owner's tenant; the
            # chosen business gets the call on its own number (docs/shared-numbers.md).
            return self.shared_front().greet(hook, line.number)
        refused = self.refusal(line.tenant, "voice_in")
        if refused is not None:
            return self._refuse(hook, line, call_sid, caller, refused)
        flow, revision = self.session.published_flow(line.tenant.tenant_id, line.number.flow_id)
        self.claim_before_http(flow)
        result = self.engine.start(flow, Trigger("incomingCall", form_params(hook.params)),
                                   line.environment(), flow_id=line.number.flow_id or "",
                                   revision=revision)
        interaction = self.crm.new_interaction(
            line.tenant.tenant_id, call_sid, caller, line.number.number, "voice",
            hook.params.get("Direction", "inbound"))
        stages = new_interaction_stages(self.crm_stager, interaction)
        log.info("incoming call %s from %s to tenant %s", call_sid, mask(caller),
                 line.tenant.tenant_id)
        answer = self._finish(hook.idempotency_key, line, call_sid, flow, result, stages, None)
        self.crm.contact_seen(interaction)  # contact.created (services/integrations)
        return answer

    def _refuse(self, hook: Webhook, line: Line, call_sid: str, caller: str,
                words: str) -> str:
        """The tenant is not active, or voice_in is off (docs/tenancy.md): the caller
        hears its words, then Hangup; no flow runs, nothing is queued. The CRM still
        shows the call (status ``refused``), in the same commit as the answer."""
        from chalicelib.adapters.twilio.twiml import render_voice

        twiml = render_voice([Say(words or APOLOGY), Hangup()], VoiceUrls(self.settings, 0))
        interaction = replace(self.crm.new_interaction(
            line.tenant.tenant_id, call_sid, caller, line.number.number, "voice",
            hook.params.get("Direction", "inbound")), status="refused", summary=words[:500])
        self.commit_step(hook.idempotency_key, twiml,
                         new_interaction_stages(self.crm_stager, interaction), [])
        log.info("incoming call %s from %s refused for tenant %s", call_sid, mask(caller),
                 line.tenant.tenant_id)
        return twiml

    def resume(self, hook: Webhook) -> str:
        """POST /twilio/voice/flow?w=<widget>&s=<step>: the carrier answers a widget."""
        widget = hook.query.get("w", "")
        if not widget:
            raise InvalidInput("the callback names no widget", path="w")
        call_sid = hook.require("CallSid")
        line = self.session.line(hook)
        target = hook.query.get("t")
        if target and target != line.tenant.tenant_id:
            raise NotFound("that call belongs to another business")
        return self.resume_on_line(line, call_sid, widget, hook.params, hook.idempotency_key)

    def resume_flow(self, tenant_id: str, call_sid: str, widget: str,
                    params: Mapping[str, str], key: str) -> str:
        """Hand a call back to its flow (the queue's Enqueue action uses this)."""
        number = params.get("To", "")
        line = self.session.tenant_line(tenant_id, number)
        return self.resume_on_line(line, call_sid, widget, params, key)

    def resume_on_line(self, line: Line, call_sid: str, widget: str,
                       params: Mapping[str, str], key: str) -> str:
        context, version = self.session.versioned_execution(line.tenant.tenant_id, call_sid)
        if context is None:
            raise NotFound(f"no flow execution for call {call_sid}")
        if context.status == "ended":
            # A retried final step lands here; the edge replays its stored answer.
            raise Conflict("the flow for this call has already ended")
        flow = self.session.flow_revision(line.tenant.tenant_id, context.flow_id,
                                          context.revision)
        self.claim_before_http(flow)
        result = self.engine.resume(flow, context, widget, form_params(params),
                                    line.environment())
        return self._finish(key, line, call_sid, flow, result, [], version)

    def call_status(self, hook: Webhook) -> str:
        """POST /twilio/voice/status: record the call's final status, once.

        One transaction claims the event, writes the end on the CRM row and records the
        routing's part as an outbox item, which runs right after (or in the sweep, if
        this Lambda dies first). A call with no CRM row is claimed without that write.
        """
        from chalicelib.domain.webhooks import StaleWrite

        call_sid = hook.require("CallSid")
        status = hook.require("CallStatus")
        if status not in FINAL_STATUSES:
            return ""
        line = self.session.line(hook, "To" if hook.params.get("Direction", "inbound")
                                 == "inbound" else "From")
        tenant_id = line.tenant.tenant_id
        duration = hook.params.get("CallDuration", "")
        changes: dict[str, Any] = {"status": status, "ended_at": self.crm.clock()}
        if duration.isdigit():
            changes["duration_seconds"] = int(duration)
        item = self.outbox.item(hook.idempotency_key, "ended", tenant_id, CALL_ENDED,
                                {"call_sid": call_sid, "status": status})
        ended = [lambda tx: self.crm_stager.stage_update_interaction(
            tx, tenant_id, call_sid, changes, only_if_absent=("ended_at",))]
        try:
            self.commit_step(hook.idempotency_key, "", ended, [item])
        except StaleWrite:
            log.info("call %s has no interaction to end; its status is claimed alone",
                     call_sid)
            self.commit_step(hook.idempotency_key, "", [], [item])
        return ""

    def _call_ended_item(self, item: OutboxItem) -> None:
        p = item.payload
        self.router().on_call_ended(item.tenant_id, str(p["call_sid"]), str(p["status"]))
        self.crm.settle(item.tenant_id, str(p["call_sid"]))  # reports: once (docs/metrics.md)

    # --- one step -------------------------------------------------------------------
    def _finish(self, key: str, line: Line, call_sid: str, flow: Any, result: Any,
                stages: list[Stage], version: float | None) -> str:
        """Hand-offs, queue tasks, render, commit once, then the effects."""
        from chalicelib.adapters.twilio.twiml import render_voice

        self._follow_hand_off(result)
        tenant_id = line.tenant.tenant_id
        if self.report_failures(result, "voice", call_sid, result.context.contact_address,
                                line.number.number):
            result.verbs[:] = [*result.verbs, Say(APOLOGY), Hangup()]
        result, queued = self._enqueue(key, line, call_sid, flow, result)
        urls = VoiceUrls(self.settings, result.context.steps)
        twiml = render_voice(result.verbs, urls)
        stages.append(self.session.stage_execution(tenant_id, result.context, version))
        items = [*queued, *self.effects.plan(key, line.tenant, call_sid, result.effects)]
        self.commit_step(key, twiml, stages, items)
        return twiml

    def _follow_hand_off(self, result: Any) -> None:
        """A flow's hand-off-to-tenant on a shared number: after the flow's words, the call
        goes to the shared number's forward (services/shared_numbers), which dials that
        business's own number with the caller's ID, so the business serves it in its own
        Twilio account (docs/shared-numbers.md)."""
        from chalicelib.services.shared_numbers.front import SharedUrls

        hand_off = next((e for e in result.effects if isinstance(e, HandOffToTenant)), None)
        if hand_off is not None:
            result.verbs.append(Redirect(SharedUrls(self.settings).forward(hand_off.tenant_id)))

    def _enqueue(self, key: str, line: Line, call_sid: str, flow: Any, result: Any
                 ) -> tuple[Any, list[OutboxItem]]:
        """Plan the routing task behind the step's Enqueue verb: its queue is checked and
        its id fixed now (the TwiML names it); it is created after the commit.

        A queue the tenant does not have takes the widget's failedToEnqueue path; if that
        path enqueues again and fails again, the caller gets the flow's words and no queue.
        """
        for attempt in (1, 2):
            index = next((i for i, v in enumerate(result.verbs) if isinstance(v, Enqueue)), None)
            if index is None:
                return result, []
            verb = result.verbs[index]
            try:
                task_id = self.router().call_task_id(line.tenant.tenant_id, call_sid,
                                                     verb.queue)
            except NotFound as exc:
                log.warning("call %s could not be queued (attempt %d): %s", call_sid, attempt,
                            exc.message)
                spoken = result.verbs[:index]
                result = self.engine.resume(flow, result.context, verb.resume,
                                            {"QueueResult": "error"}, line.environment())
                result.verbs[:0] = spoken
                continue
            result.verbs[index] = replace(verb, task_id=task_id)
            item = self.outbox.item(key, "enqueue", line.tenant.tenant_id, ENQUEUE_CALL, {
                "call_sid": call_sid, "queue": verb.queue, "priority": verb.priority,
                "timeout": verb.timeout, "attributes": dict(verb.attributes),
                "caller": result.context.contact_address,
                "business_number": line.number.number})
            return result, [item]
        result.verbs[:] = [v for v in result.verbs if not isinstance(v, Enqueue)]
        return result, []

    def _enqueue_item(self, item: OutboxItem) -> str:
        """After the commit: the task, then the CRM's note that the call is queued."""
        p = item.payload
        call_sid = str(p["call_sid"])
        task = self.router().enqueue_call(
            tenant_id=item.tenant_id, call_sid=call_sid, interaction_id=call_sid,
            queue=str(p["queue"]), priority=int(p.get("priority") or 0),
            timeout=p.get("timeout"), attributes=dict(p.get("attributes") or {}),
            caller=p.get("caller"), business_number=p.get("business_number"))
        self.crm.record_queued(item.tenant_id, call_sid, str(p["queue"]), task.task_id)
        return str(task.task_id)
