"""Writes the router asks a store to make atomically, each with the condition it rests on.

A store applies every write of one commit in a single transaction (or one conditional
put when there is only one). Each write names what must still hold when it lands:

- a task: its stored version is still the one it was read at, and its status is still
  ``was`` (``was=None``: the task must not exist yet);
- an agent: its stored version is unchanged, and, for an offer, it is still available.

If any condition fails, nothing is written and the store raises ``StaleState`` naming
the items that changed, so the caller can re-read them and decide again.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.routing.model import Agent, Task, TaskStatus


@dataclass(frozen=True)
class TaskWrite:
    task: Task
    was: TaskStatus | None

    @property
    def label(self) -> str:
        return f"task:{self.task.task_id}"


@dataclass(frozen=True)
class AgentWrite:
    agent: Agent
    new: bool = False
    must_be_available: bool = False

    @property
    def label(self) -> str:
        return f"agent:{self.agent.agent_id}"


@dataclass(frozen=True)
class Committed:
    """The objects as stored (version + 1)."""

    tasks: dict[str, Task]
    agents: dict[str, Agent]
