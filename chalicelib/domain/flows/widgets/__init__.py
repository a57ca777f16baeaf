"""Every widget type Hotline runs, and the Studio types it knows but cannot run."""

from __future__ import annotations

from chalicelib.domain.flows.widgets import http, logic, messaging, queue, voice
from chalicelib.domain.flows.widgets.base import WidgetHandler

HANDLERS: dict[str, WidgetHandler] = {
    **voice.HANDLERS,
    **queue.HANDLERS,
    **logic.HANDLERS,
    **messaging.HANDLERS,
    **http.HANDLERS,
}

TRIGGER = "trigger"
TRIGGER_EVENTS = ("incomingCall", "incomingMessage", "incomingRequest", "incomingParent",
                  "incomingConversationMessage")

# Studio widget types Hotline recognises but cannot run, with the reason shown to users.
UNSUPPORTED: dict[str, str] = {
    "capture-payments": "card payments (Pay) are not available in Hotline",
    "connect-virtual-agent": "Dialogflow virtual agents are not available in Hotline",
    "send-to-auto-pilot": "Autopilot was retired by Twilio and is not available in Hotline",
    "fork-stream": "media streams are not available in Hotline",
    "record-call": "whole-call recording is started by Hotline's queue, not by a widget",
    "run-subflow": "subflows are not supported yet: inline the subflow's widgets",
}

HOTLINE_WIDGETS = ("check-business-hours", "hand-off-to-tenant")

__all__ = ["HANDLERS", "HOTLINE_WIDGETS", "TRIGGER", "TRIGGER_EVENTS", "UNSUPPORTED",
           "WidgetHandler"]
