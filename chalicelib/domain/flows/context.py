"""The state of one flow execution, kept between webhooks (per CallSid or conversation)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

Channel = Literal["voice", "sms", "whatsapp"]


def conversation_id(contact_address: str, flow_address: str) -> str:
    """The execution id of a messaging conversation between a contact and a number."""
    return f"conv:{flow_address}:{contact_address}"


def channel_of(address: str) -> Channel:
    """WhatsApp is SMS with ``whatsapp:`` addresses."""
    return "whatsapp" if address.startswith("whatsapp:") else "sms"


@dataclass
class ExecutionContext:
    execution_id: str
    flow_id: str
    revision: int
    channel: str
    trigger: dict[str, Any] = field(default_factory=dict)
    widgets: dict[str, dict[str, Any]] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    flow_address: str = ""
    contact_address: str = ""
    waiting_on: str | None = None
    deadline: float | None = None
    steps: int = 0
    status: str = "running"
    started_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "execution_id": self.execution_id,
            "flow_id": self.flow_id,
            "revision": self.revision,
            "channel": self.channel,
            "trigger": copy.deepcopy(self.trigger),
            "widgets": copy.deepcopy(self.widgets),
            "variables": copy.deepcopy(self.variables),
            "data": copy.deepcopy(self.data),
            "flow_address": self.flow_address,
            "contact_address": self.contact_address,
            "waiting_on": self.waiting_on,
            "deadline": self.deadline,
            "steps": self.steps,
            "status": self.status,
            "started_at": self.started_at,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ExecutionContext:
        deadline = raw.get("deadline")
        return cls(
            execution_id=str(raw["execution_id"]),
            flow_id=str(raw["flow_id"]),
            revision=int(raw["revision"]),
            channel=str(raw.get("channel", "voice")),
            trigger=dict(raw.get("trigger") or {}),
            widgets=dict(raw.get("widgets") or {}),
            variables=dict(raw.get("variables") or {}),
            data=dict(raw.get("data") or {}),
            flow_address=str(raw.get("flow_address") or ""),
            contact_address=str(raw.get("contact_address") or ""),
            waiting_on=raw.get("waiting_on") or None,
            deadline=float(deadline) if deadline is not None else None,
            steps=int(raw.get("steps") or 0),
            status=str(raw.get("status") or "running"),
            started_at=float(raw.get("started_at") or 0.0),
        )

    def copy(self) -> ExecutionContext:
        return ExecutionContext.from_dict(self.to_dict())

    def scope(self) -> dict[str, Any]:
        """The Liquid variables Studio exposes: trigger, widgets, flow, contact."""
        return {
            "trigger": self.trigger,
            "widgets": self.widgets,
            "flow": {
                "variables": self.variables,
                "data": self.data,
                "channel": {"address": self.flow_address},
                "flow_sid": self.flow_id,
                "sid": self.execution_id,
                "revision": self.revision,
            },
            "contact": {"channel": {"address": self.contact_address}},
        }
