"""The agent's controls on their own call: hold, mute, keypad, hang up, and more wrap-up.

Each checks the conference state first (409 with the reason), acts on the conference's
participants through the carrier's REST API, then saves the new state.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.calls import state as calls
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.routing.model import Task, TaskStatus
from chalicelib.services.calls.base import CallContext

MAX_WRAPUP_SECONDS = 600
DEFAULT_EXTENSION = 30


class CallControl:
    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx

    def hold(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        calls.hold(state, now)
        self.ctx.set_hold(task, state, True)
        return self.ctx.save(tenant_id, task_id, lambda s: calls.hold(s, now))

    def resume(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        back = calls.resume(state, now)
        self.ctx.set_hold(task, state, False)
        saved = self.ctx.save(tenant_id, task_id, lambda s: calls.resume(s, now))
        self.ctx.record_holds(task, back)
        return saved

    def mute(self, tenant_id: str, agent_id: str, task_id: str, muted: bool) -> Task:
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        calls.mute(state, muted)
        if not state.agent_sid:
            raise Conflict("your leg is not on the call")
        self.ctx.carrier.update_participant(tenant_id, self.ctx.conference_sid(task, state),
                                            state.agent_sid, muted=muted)
        return self.ctx.save(tenant_id, task_id, lambda s: calls.mute(s, muted))

    def dtmf(self, tenant_id: str, agent_id: str, task_id: str, raw_digits: object) -> Task:
        """Digits for an IVR on the far side: an announcement to that participant alone
        whose TwiML is ``<Play digits>``."""
        digits = calls.check_digits(raw_digits)
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        target = calls.dtmf_target(state)
        self.ctx.carrier.update_participant(
            tenant_id, self.ctx.conference_sid(task, state), target,
            announce_url=self.ctx.urls.digits(tenant_id, digits))
        return task

    def hangup(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        """The agent ends the call: every leg of the conference goes."""
        task, state = self.ctx.my_call(tenant_id, agent_id, task_id)
        now = self.ctx.now()
        over = calls.end(state, now)
        saved = self.ctx.save(tenant_id, task_id, lambda s: calls.end(s, now))
        for leg in (state.customer_sid, state.transfer.call_sid if state.transfer else None,
                    state.monitor.call_sid if state.monitor else None, state.agent_sid):
            self.ctx.end_quietly(tenant_id, leg)
        self.ctx.record_holds(task, over)
        return self.ctx.routing.start_wrapup(tenant_id, task_id, known=saved) or saved

    def extend_wrapup(self, tenant_id: str, agent_id: str, task_id: str) -> Task:
        """More time to write the wrap-up (the agent's wrap-up time again, 10 min at most)."""
        task = self.ctx.my_task(tenant_id, agent_id, task_id)
        agent = self.ctx.routing.store.get_agent(tenant_id, agent_id)
        extra = (agent.wrapup_seconds if agent and agent.wrapup_seconds > 0
                 else DEFAULT_EXTENSION)

        def extend(current: Task) -> Task | None:
            if current.status is not TaskStatus.WRAPPING or current.wrapup_until is None:
                raise Conflict(f"the task is {current.status.value}, not wrapping up")
            ended = current.ended_at or current.wrapup_until
            until = min(max(current.wrapup_until, self.ctx.now()) + extra,
                        ended + MAX_WRAPUP_SECONDS)
            if until <= current.wrapup_until:
                raise Conflict(f"wrap-up cannot run past {MAX_WRAPUP_SECONDS // 60} minutes")
            return replace(current, wrapup_until=until)

        extended = self.ctx.routing.update_task(tenant_id, task_id, extend, known=task)
        if extended is None:
            raise NotFound(f"task {task_id} not found")
        return extended
