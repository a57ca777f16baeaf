"""Voicemail tasks: the recording's audio for the agent, and Twilio's transcript."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.identity import Principal, Role
from chalicelib.domain.routing.model import Task, TaskKind, task_id_for
from chalicelib.services.webhook_gate import Webhook

log = logging.getLogger("hotline.voicemail")


@dataclass(frozen=True)
class Audio:
    data: bytes
    content_type: str


class Fetcher(Protocol):
    def fetch(self, tenant_id: str, url: str) -> tuple[bytes, str]: ...


class Tasks(Protocol):
    def task(self, tenant_id: str, task_id: str) -> Task: ...
    def update_task(self, tenant_id: str, task_id: str, change: Callable[[Task], Task | None],
                    known: Task | None = None) -> Task | None: ...


class VoicemailService:
    def __init__(self, tasks: Tasks, fetcher: Fetcher,
                 record_transcript: Callable[[str, str, str], object] | None = None) -> None:
        self.tasks = tasks
        self.fetcher = fetcher
        self.record_transcript = record_transcript

    def recording(self, who: Principal, task_id: str) -> Audio:
        """GET /api/tasks/{id}/recording: the caller's own tenant only (another tenant's
        task is not found), the assigned agent or a supervisor."""
        task = self.tasks.task(who.tenant_id, task_id)
        who.owns(task.tenant_id)
        url = str(task.attributes.get("recording_url") or "")
        if task.kind is not TaskKind.VOICEMAIL or not url:
            raise NotFound(f"task {task_id} has no recording")
        if task.assigned_agent != who.user_id and who.role is Role.AGENT:
            raise Forbidden("only the agent holding this voicemail can play it")
        data, content_type = self.fetcher.fetch(task.tenant_id, url)
        if not content_type.startswith("audio/"):
            content_type = "audio/x-wav"
        return Audio(data, content_type)

    def transcribed(self, hook: Webhook) -> str:
        """POST /twilio/voice/transcription: Twilio's transcribeCallback. The voicemail
        task is the call's (``<CallSid>|voicemail``, from the IVR or the queue) in the
        signing account's tenant. A failed transcription leaves the transcript null."""
        tenant_id = hook.tenant.tenant_id if hook.tenant is not None else hook.query.get("t")
        if not tenant_id:
            raise NotFound("no business for this transcription")
        if hook.tenant is not None and hook.query.get("t") not in (None, tenant_id):
            raise Forbidden("the voicemail belongs to another account")
        task_id = task_id_for(tenant_id, f"{hook.require('CallSid')}|voicemail")
        if hook.params.get("TranscriptionStatus", "completed") != "completed":
            log.info("transcription of voicemail task %s failed", task_id)
            return ""
        text = hook.params.get("TranscriptionText", "")

        def add(current: Task) -> Task | None:
            if current.attributes.get("transcript") == text:
                return None
            return replace(current, attributes={**current.attributes, "transcript": text})

        task = self.tasks.update_task(tenant_id, task_id, add)
        if task is None:
            raise NotFound(f"task {task_id} not found")
        if task.interaction_id and self.record_transcript is not None:
            self.record_transcript(tenant_id, task.interaction_id, text)
        return ""
