"""The shape of a widget handler and helpers shared by the widget families."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.flows.model import State
from chalicelib.domain.flows.runtime import Outcome, Run

Enter = Callable[[State, Run], Outcome]
Resume = Callable[[State, Run, Mapping[str, str]], Outcome]
Expire = Callable[[State, Run], Outcome]


@dataclass(frozen=True)
class WidgetHandler:
    """How one widget type runs: ``enter`` when reached, ``resume`` when the carrier
    calls back for it, ``expire`` when its deadline passes."""

    enter: Enter
    resume: Resume | None = None
    expire: Expire | None = None
    events: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("voice", "sms", "whatsapp")


# Call-level parameters every webhook carries; widgets keep only what they add.
_CALL_NOISE_PREFIXES = ("Called", "Caller", "From", "To")
_CALL_NOISE = frozenset({"AccountSid", "ApiVersion", "ApplicationSid", "Direction",
                         "CallToken", "StirVerstat", "StirPassportToken", "ForwardedFrom"})


def widget_params(params: Mapping[str, str]) -> dict[str, Any]:
    """The webhook's parameters as Studio exposes them under ``widgets.<name>``."""
    return {k: v for k, v in params.items()
            if k not in _CALL_NOISE and not k.startswith(_CALL_NOISE_PREFIXES)}


def loop_count(run: Run, state: State) -> int:
    return run.int_prop(state, "loop", 1, low=1, high=99)
