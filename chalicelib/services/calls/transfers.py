"""Transfers, as Flex does them: the caller holds while the transfer rings.

- To a queue or an agent: a new task carrying the caller's context (IVR choices, the
  first agent's notes) is routed; an agent transfer targets that one agent, who accepts
  or rejects the offer. When its agent answers, they join the caller's conference.
- To a number: the number is called into the conference (Participants create).
- Cold: the first agent leaves at once and wraps up. Warm: they stay to consult, then
  complete (they leave, the caller comes off hold) or cancel (the new party goes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domain.calls import state as calls
from chalicelib.domain.calls.documents import call_doc
from chalicelib.domain.calls.state import CallState, TransferMode, TransferTarget
from chalicelib.domain.errors import Conflict, HotlineError, InvalidInput, NotFound
from chalicelib.domain.routing.changes import TaskWrite
from chalicelib.domain.routing.model import Target, Task, TaskKind, TaskStatus, new_task_id
from chalicelib.services.calls.base import CallContext, log, state_of
from chalicelib.services.calls.conference import ConferenceLegs

NOTES_MAX = 4000
AGENT_TRANSFER_SECONDS = 60
CARRIED_OVER = ("transfer_from", "transfer_conference", "transfer_customer_sid", "notes")


class Transfers:
    def __init__(self, ctx: CallContext, legs: ConferenceLegs,
                 outbound: Callable[[str, str], None] | None = None) -> None:
        self.ctx = ctx
        self.legs = legs
        self.outbound = outbound  # the tenant gate: a number is an outbound call (voice_out)

    def transfer(self, tenant_id: str, agent_id: str, task_id: str,
                 body: dict[str, Any]) -> Task:
        to = calls.parse_target(body.get("to"))
        if to.kind == "number" and self.outbound is not None:
            self.outbound(tenant_id, "voice_out")  # 403 permission_off / spending cap
        mode = calls.parse_mode(body.get("mode"))
        notes = str(body.get("notes") or "")
        if len(notes) > NOTES_MAX:
            raise InvalidInput(f"notes are longer than {NOTES_MAX} characters", path="notes")
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        name = self._target_name(tenant_id, agent_id, to)
        calls.start_transfer(state, mode, to, now, name)  # refuses early, with the reason
        if not state.on_hold:
            self.ctx.set_hold(task, state, True)
        saved = self.ctx.save(tenant_id, task_id,
                              lambda s: calls.start_transfer(s, mode, to, now, name))
        try:
            saved = self._place(saved, state, to, mode, notes, agent_id)
        except HotlineError:
            self._undo(saved, state)
            raise
        if saved.interaction_id:
            interaction = saved.interaction_id
            self.ctx.routing.record("transfer", lambda: self.ctx.crm.record_transfer(
                tenant_id, interaction, agent_id, to.doc(), to.kind, mode.value))
        return self._leave(saved) if mode is TransferMode.COLD else saved

    def complete(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        calls.complete_transfer(state, now)
        transfer = state.transfer
        assert transfer is not None  # complete_transfer checked it
        self.ctx.set_hold(task, state, False)
        if transfer.to.kind == "number" and transfer.call_sid:
            self.ctx.carrier.update_participant(
                tenant_id, self.ctx.conference_sid(task, state), transfer.call_sid,
                end_conference_on_exit=True)
        saved = self.ctx.save(tenant_id, task_id, lambda s: calls.complete_transfer(s, now))
        return self._leave(saved)

    def cancel(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        calls.cancel_transfer(state, now)
        transfer = state.transfer
        assert transfer is not None  # cancel_transfer checked it
        self.legs.withdraw_transfer(task, transfer.task_id, transfer.call_sid)
        self.ctx.set_hold(task, state, False)
        return self.ctx.save(tenant_id, task_id, lambda s: calls.cancel_transfer(s, now))

    # --- parts ----------------------------------------------------------------------
    def _target_name(self, tenant_id: str, agent_id: str, to: TransferTarget) -> str:
        if to.kind == "queue":
            try:
                return self.ctx.routing.config.get(tenant_id).queue(to.value).name
            except NotFound as exc:
                raise InvalidInput(f"no queue named {to.value!r}", path="to.queue") from exc
        if to.kind == "agent":
            if to.value == agent_id:
                raise InvalidInput("you cannot transfer a call to yourself", path="to.agent")
            agent = self.ctx.routing.store.get_agent(tenant_id, to.value)
            if agent is None:
                raise InvalidInput(f"no agent {to.value!r}", path="to.agent")
            return agent.name or agent.agent_id
        return to.value

    def _place(self, task: Task, state: CallState, to: TransferTarget, mode: TransferMode,
               notes: str, agent_id: str) -> Task:
        tenant_id = task.tenant_id
        if to.kind == "number":
            sid = self.ctx.carrier.add_participant(
                tenant_id, self.ctx.conference_sid(task, state),
                from_=self.ctx.caller_id(tenant_id, task), to=to.value, label="transfer",
                status_callback=self.ctx.urls.participant_status(tenant_id, task.task_id,
                                                                 "transfer"),
                end_conference_on_exit=mode is TransferMode.COLD)
            return self.ctx.save(tenant_id, task.task_id,
                                 lambda s: calls.transfer_placed(s, call_sid=sid))
        new = self._new_task(task, state, to, mode, notes, agent_id)
        saved = self.ctx.save(tenant_id, task.task_id,
                              lambda s: calls.transfer_placed(s, task_id=new.task_id))
        self.ctx.routing.rematch(tenant_id, [new.queue], [])
        return saved

    def _new_task(self, task: Task, state: CallState, to: TransferTarget, mode: TransferMode,
                  notes: str, agent_id: str) -> Task:
        """The transferred call as a new task, with the caller's context."""
        tenant_id = task.tenant_id
        routing = self.ctx.routing
        now = self.ctx.now()
        config = routing.config.get(tenant_id)
        if to.kind == "queue":
            queue = config.queue(to.value).name
            target = Target(queue=queue)
        else:
            agent = routing.store.get_agent(tenant_id, to.value)
            queues = routing.queues_of(tenant_id, agent) if agent else []
            if not queues:
                raise Conflict("that agent belongs to no queue, so no call can be offered")
            queue = task.entry_queue if task.entry_queue in queues else queues[0]
            target = Target(queue=queue, expression=f'agent_id == "{to.value}"',
                            timeout=AGENT_TRANSFER_SECONDS if mode is TransferMode.COLD
                            else None)
        me = routing.store.get_agent(tenant_id, agent_id)
        attributes = {k: v for k, v in task.attributes.items() if k not in CARRIED_OVER}
        attributes.update(
            notes=notes or str(task.attributes.get("notes") or ""),
            transfer_from={"agent_id": agent_id, "name": me.name if me else agent_id,
                           "mode": mode.value, "task_id": task.task_id},
            transfer_conference=state.conference,
            transfer_customer_sid=state.customer_sid)
        new = Task(
            tenant_id=tenant_id, task_id=new_task_id(), channel="voice", kind=TaskKind.CALL,
            status=TaskStatus.PENDING, queue=queue, entry_queue=queue, priority=task.priority,
            base_priority=task.base_priority, enqueued_at=now,
            # a cold transfer nobody takes in time falls back to the whole queue
            targets=(target, Target(queue=queue)) if target.timeout else (target,),
            target_entered_at=now, attributes=attributes, interaction_id=task.interaction_id,
            caller=task.caller, business_number=task.business_number,
            # the caller's leg: the sweep's liveness check cancels the task if they hang up
            call_sid=state.customer_sid, max_wait_seconds=config.queue(queue).max_wait_seconds,
            call=call_doc(CallState(conference=state.conference,
                                    customer_sid=state.customer_sid,
                                    conference_sid=state.conference_sid)))
        routing.store.commit([TaskWrite(new, was=None)], now=now)
        log.info("transfer of %s: new task %s in %s", task.task_id, new.task_id, queue)
        return new

    def _undo(self, task: Task, state: CallState) -> None:
        now = self.ctx.now()
        try:
            if not state.on_hold:
                self.ctx.set_hold(task, state, False)
            self.ctx.save(task.tenant_id, task.task_id,
                          lambda s: calls.abandon_transfer(s, now))
        except HotlineError as exc:
            log.warning("could not undo the transfer of %s: %s", task.task_id, exc.message)

    def _leave(self, task: Task) -> Task:
        """The first agent leaves the conference and wraps up; the caller stays."""
        state = state_of(task)
        if state is None:
            return task
        now = self.ctx.now()
        ended = self.ctx.save(task.tenant_id, task.task_id, lambda s: calls.end(s, now),
                              known=task)
        ended_state = state_of(ended)
        if ended_state is not None:
            self.ctx.record_holds(ended, ended_state)
        self.ctx.leave(task, state, state.agent_sid)
        self.ctx.end_quietly(task.tenant_id, state.monitor.call_sid if state.monitor else None)
        wrapped = self.ctx.routing.start_wrapup(task.tenant_id, task.task_id, known=ended)
        return wrapped or ended
