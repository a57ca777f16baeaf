"""Running a tenant's flow across webhooks: what voice and messaging share.

One webhook = find the number and flow, load the execution, take one engine step, and
commit the execution (conditioned on the version it was read at), the CRM records, the
outbox items of the step's outside effects and the idempotency record in ONE DynamoDB
transaction. The outbox items run after that commit, so a retried webhook, which fails
the idempotency condition, has none of them, and a Lambda that dies after the commit
leaves them to the sweep. A flow that can make HTTP requests claims its event before
the engine runs (one more request), so a retry never repeats them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.adapters.metrics import count_metric
from chalicelib.domain.crm import Interaction
from chalicelib.domain.errors import Forbidden, HotlineError, NotFound, NotInService
from chalicelib.domain.flows.context import ExecutionContext, channel_of
from chalicelib.domain.flows.model import Flow
from chalicelib.domain.flows.runtime import FlowEnvironment
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.outbox import OutboxItem
from chalicelib.domain.phone import mask
from chalicelib.services.directory import NumberStore
from chalicelib.services.ttl_cache import TtlCache
from chalicelib.services.webhook_claim import current_claim
from chalicelib.services.webhook_gate import Webhook

if TYPE_CHECKING:
    from chalicelib.services.crm import CrmService
    from chalicelib.services.effects import EffectApplier
    from chalicelib.services.outbox import Outbox

log = logging.getLogger("hotline.flows")

HTTP_WIDGETS = frozenset({"make-http-request", "run-function"})


class PublishedFlows(Protocol):
    def published(self, tenant_id: str, flow_id: str) -> tuple[Flow, int]: ...
    def revision(self, tenant_id: str, flow_id: str, revision: int) -> Flow: ...


class DueExecution(Protocol):
    @property
    def tenant_id(self) -> str: ...
    @property
    def context(self) -> ExecutionContext: ...
    @property
    def updated_at(self) -> float: ...


class ExecutionStore(Protocol):
    def get(self, tenant_id: str, execution_id: str) -> ExecutionContext | None: ...
    def get_versioned(self, tenant_id: str, execution_id: str
                      ) -> tuple[ExecutionContext, float] | None: ...
    def stage_put(self, tx: Any, tenant_id: str, context: ExecutionContext,
                  ttl_seconds: int, expected_version: float | None = None) -> None: ...
    def put_if_unchanged(self, tenant_id: str, context: ExecutionContext,
                         expected_updated_at: float) -> None: ...
    def due(self, before: float, limit: int = 100) -> Sequence[DueExecution]: ...


Stage = Callable[[Any], None]


class Committer(Protocol):
    """The idempotency store: one commit (or claim) per webhook key."""

    def commit(self, key: str, response: str | None, stages: list[Stage],
               token: str | None = None) -> None: ...
    def stored_response(self, key: str) -> str | None: ...


class CrmStager(Protocol):
    def stage_create_interaction(self, tx: Any, interaction: Interaction) -> None: ...
    def stage_touch_contact(self, tx: Any, tenant_id: str, phone: str, at: float) -> None: ...
    def stage_update_interaction(self, tx: Any, tenant_id: str, interaction_id: str,
                                 changes: dict[str, Any],
                                 only_if_absent: tuple[str, ...] = ()) -> None: ...


def new_interaction_stages(stager: CrmStager, interaction: Interaction) -> list[Stage]:
    """Record a new interaction and count it on its contact, in the webhook's transaction."""
    return [
        lambda tx: stager.stage_create_interaction(tx, interaction),
        lambda tx: stager.stage_touch_contact(tx, interaction.tenant_id,
                                              interaction.contact_phone,
                                              interaction.started_at),
    ]


class Engine(Protocol):
    def start(self, flow: Any, trigger: Any, env: Any, *, flow_id: str,
              revision: int) -> Any: ...
    def resume(self, flow: Any, context: ExecutionContext, widget: str,
               params: Mapping[str, str], env: Any) -> Any: ...
    def expire(self, flow: Any, context: ExecutionContext, env: Any) -> Any: ...


class Router(Protocol):
    def call_task_id(self, tenant_id: str, call_sid: str, queue: str) -> str: ...
    def enqueue_call(self, *, tenant_id: str, call_sid: str, interaction_id: str, queue: str,
                     priority: int = 0, timeout: int | None = None,
                     attributes: dict[str, Any] | None = None, caller: str | None = None,
                     business_number: str | None = None) -> Any: ...
    def enqueue_message(self, *, tenant_id: str, conversation_id: str, interaction_id: str,
                        queue: str, priority: int = 0, timeout: int | None = None,
                        attributes: dict[str, Any] | None = None, contact: str | None = None,
                        business_number: str | None = None, channel: str = "sms") -> Any: ...
    def on_call_ended(self, tenant_id: str, call_sid: str, call_status: str) -> Any: ...


@dataclass(frozen=True)
class WebhookParts:
    """What the voice and messaging webhooks share."""

    session: FlowSession
    engine: Engine
    crm: CrmService
    crm_stager: CrmStager
    router: Callable[[], Router]
    effects: EffectApplier
    committer: Committer
    outbox: Outbox
    metrics: Callable[[str, dict[str, str]], None] | None = None
    gate: Any = None  # the tenant gate (services/tenancy): inbound refusals


class WebhookService:
    """Base of the voice and messaging services: the parts they share, by name."""

    def __init__(self, parts: WebhookParts) -> None:
        self.session = parts.session
        self.engine = parts.engine
        self.crm = parts.crm
        self.crm_stager = parts.crm_stager
        self.router = parts.router
        self.effects = parts.effects
        self.committer = parts.committer
        self.outbox = parts.outbox
        self.metrics = parts.metrics or count_metric
        self.gate = parts.gate

    def refusal(self, tenant: Tenant, permission: str) -> str | None:
        """The tenant gate's words for an inbound contact it refuses (None: go on; "":
        refuse without a reply)."""
        return None if self.gate is None else self.gate.inbound(tenant, permission)

    def claim_before_http(self, flow: Flow) -> None:
        """A flow that can make HTTP requests claims its event before the engine runs."""
        claim = current_claim()
        if claim is not None and any(s.type in HTTP_WIDGETS for s in flow.states):
            claim.ensure()

    def commit_step(self, key: str, response: str, stages: list[Stage],
                    items: list[OutboxItem]) -> None:
        """Commit the step (and its outbox items) once, then run the items."""
        claim = current_claim()
        token = claim.commit_token if claim is not None and claim.key == key else None
        stages = [*stages, *(self.outbox.stage(item) for item in items)]
        self.committer.commit(key, response, stages, token=token)
        if claim is not None and claim.key == key:
            claim.mark_committed()
        self.outbox.run_staged(items)

    def record_unserved(self, hook: Webhook) -> None:
        """The webhook could not be served (DynamoDB throttled, a race lost three times):
        the caller heard the apology, and the interaction is still written, once (it is
        left as it is if an earlier webhook of the call already wrote it)."""
        sid = hook.params.get("CallSid") or hook.params.get("MessageSid") or ""
        sender = hook.params.get("From", "")
        try:
            line = self.session.line(hook)
            if line.number.is_shared and hook.params.get("CallSid"):
                return  # a shared number's menu: its owner records nothing of the call
            channel = "voice" if hook.params.get("CallSid") else channel_of(sender)
            interaction = replace(self.crm.new_interaction(
                line.tenant.tenant_id, sid, sender, line.number.number, channel,
                hook.params.get("Direction", "inbound")), status="unserved")
            if self.crm.store.create_interaction(interaction):
                self.crm.store.touch_contact(line.tenant.tenant_id, interaction.contact_phone,
                                             interaction.started_at)
        except HotlineError as exc:
            log.error("could not record unserved %s from %s: %s: %s", sid, mask(sender),
                      type(exc).__name__, exc.message)

    def report_failures(self, result: Any, channel: str, sid: str, contact: str | None,
                        business: str) -> bool:
        """A widget that raised: logged with its stack and the masked parties, counted
        (EMF metric ``WidgetErrors``). True if any did (the caller gets the apology)."""
        failures: list[tuple[str, Exception]] = getattr(result, "failures", [])
        for widget, exc in failures:
            log.error("widget %r failed on %s %s from %s to %s: %s: %s", widget, channel, sid,
                      mask(contact), mask(business), type(exc).__name__, exc,
                      exc_info=(type(exc), exc, exc.__traceback__))
            self.metrics("WidgetErrors", {"channel": channel})
        return bool(failures)


@dataclass(frozen=True)
class Line:
    """A dialled or texted number and the tenant serving this call on it: the number's
    owner."""

    number: PhoneNumber
    tenant: Tenant
    # (tenant, outbound permission) -> None or why not: the tenant gate, for send-message
    outbound: Callable[[Tenant, str], str | None] | None = field(default=None, compare=False)

    def environment(self) -> FlowEnvironment:
        profile = self.tenant.profile
        hours = profile.get("hours")
        holidays = profile.get("holidays")
        return FlowEnvironment(
            tenant_id=self.tenant.tenant_id, timezone=self.tenant.timezone,
            weekly_hours=hours if isinstance(hours, dict) else {},
            holidays=tuple(str(h) for h in holidays) if isinstance(holidays, list) else (),
            account_sid=self.tenant.twilio_account_sid, number=self.number.number,
            business_name=self.tenant.name,
            closed_hours_message=str(self.tenant.messages.get("closed_hours") or ""),
            outbound=None if self.outbound is None else self._outbound)

    def _outbound(self, permission: str) -> str | None:
        assert self.outbound is not None
        return self.outbound(self.tenant, permission)


EXECUTION_TTL_SECONDS = 7 * 24 * 3600


class FlowSession:
    """The number, tenant, flow and execution lookups shared by voice and messaging."""

    def __init__(self, numbers: NumberStore, flows: PublishedFlows,
                 executions: ExecutionStore, committer: Committer,
                 flow_ttl: float = 5.0,
                 outbound: Callable[[Tenant, str], str | None] | None = None) -> None:
        self.outbound = outbound  # the tenant gate's outbound check, handed to each Line
        self.numbers = numbers  # a CachedDirectory in production: lookups are cheap
        self.flows = flows
        self.executions = executions
        self.committer = committer
        self._heads = TtlCache(flow_ttl)
        self._revisions = TtlCache(24 * 3600.0)

    def _line_for(self, dialled: str) -> Line | None:
        # WhatsApp addresses the business as ``whatsapp:+1…``: the number is the same line.
        number = self.numbers.number(dialled.removeprefix("whatsapp:"))
        if number is None:
            return None
        tenant = self.numbers.get(number.tenant_id)
        return None if tenant is None else Line(number, tenant, self.outbound)

    def line(self, hook: Webhook, number_field: str = "To") -> Line:
        """The tenant line a webhook is for; the signing account must own it."""
        line = self._line_for(hook.require(number_field))
        if line is None:
            raise NotInService("that number is not in service")
        if hook.tenant is not None and hook.tenant.tenant_id != line.tenant.tenant_id:
            raise Forbidden("the number belongs to another account")
        return line

    def tenant_line(self, tenant_id: str, number: str) -> Line:
        """The line for a tenant's call on ``number`` (callbacks that name the tenant). A
        call is always served by the number's owner: a shared number forwards its callers
        to each business's own number (docs/shared-numbers.md)."""
        line = self._line_for(number)
        if line is None:
            raise NotInService("that number is not in service")
        if tenant_id != line.tenant.tenant_id:
            raise NotFound(f"tenant {tenant_id} does not serve this number")
        return line

    def published_flow(self, tenant_id: str, flow_id: str | None) -> tuple[Flow, int]:
        if not flow_id:
            raise NotFound("no flow is bound to this number")
        result: tuple[Flow, int] = self._heads.get_or_load(
            (tenant_id, flow_id), lambda: self.flows.published(tenant_id, flow_id))
        self._revisions.get_or_load((tenant_id, flow_id, result[1]), lambda: result[0])
        return result

    def flow_revision(self, tenant_id: str, flow_id: str, revision: int) -> Flow:
        """The exact revision an execution started with (immutable: cached long)."""
        flow: Flow = self._revisions.get_or_load(
            (tenant_id, flow_id, revision),
            lambda: self.flows.revision(tenant_id, flow_id, revision))
        return flow

    def execution(self, tenant_id: str, execution_id: str) -> ExecutionContext | None:
        return self.executions.get(tenant_id, execution_id)

    def versioned_execution(self, tenant_id: str, execution_id: str
                            ) -> tuple[ExecutionContext | None, float | None]:
        """The execution and the version it was read at (None, None: there is none)."""
        found = self.executions.get_versioned(tenant_id, execution_id)
        return (None, None) if found is None else found

    def stage_execution(self, tenant_id: str, context: ExecutionContext,
                        expected_version: float | None = None) -> Stage:
        """The execution's put, conditioned on the version read (None: must be new)."""
        return lambda tx: self.executions.stage_put(tx, tenant_id, context,
                                                    EXECUTION_TTL_SECONDS, expected_version)


def form_params(params: Mapping[str, str]) -> dict[str, str]:
    """Twilio's fields as the engine sees them (plain strings)."""
    return {str(k): str(v) for k, v in params.items()}
