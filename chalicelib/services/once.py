"""The carrier's REST side, at most once per event: wrappers over the ``Telephony`` port
and the messaging sender that record every call in the outbox (``services/outbox.py``).

Any write operation of the wrapped port goes through ``Outbox.perform`` under the
current event, so an operation added to ``TwilioTelephony`` later (conference
participants, call updates) is covered without a change here: its first argument must
be the tenant id and its arguments JSON-serialisable. Read-only operations are listed
in ``READS`` and pass straight through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.services.outbox import Outbox, effect_name

READS = frozenset({"call_status", "conference_sid"})


class OnceTelephony:
    """``Telephony`` whose every write is recorded and done once per event."""

    def __init__(self, inner: Any, outbox: Outbox, reads: frozenset[str] = READS) -> None:
        self.inner = inner
        self.outbox = outbox
        self.reads = reads

    def _once(self, operation: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def once(tenant_id: str, *args: Any, **kwargs: Any) -> Any:
            payload = {"args": list(args), "kwargs": kwargs}
            return self.outbox.perform(
                effect_name(operation, payload), tenant_id, f"telephony.{operation}",
                payload, lambda: call(tenant_id, *args, **kwargs))

        return once

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if name.startswith("_") or name in self.reads or not callable(attribute):
            return attribute
        return self._once(name, attribute)

    # The Telephony protocol's own operations, spelled out for the type checker.
    def place_call(self, tenant_id: str, *, to: str, from_: str, url: str,
                   status_callback: str, timeout: int) -> str:
        return str(self._once("place_call", self.inner.place_call)(
            tenant_id, to=to, from_=from_, url=url, status_callback=status_callback,
            timeout=timeout))

    def end_call(self, tenant_id: str, call_sid: str) -> None:
        self._once("end_call", self.inner.end_call)(tenant_id, call_sid)

    def call_status(self, tenant_id: str, call_sid: str) -> str | None:
        status: str | None = self.inner.call_status(tenant_id, call_sid)
        return status


def register_telephony(outbox: Outbox) -> None:
    """REST calls are at most once: a running one whose Lambda died is never repeated."""
    for operation in ("place_call", "end_call", "redirect_call", "add_participant",
                      "update_participant", "remove_participant"):
        outbox.register(f"telephony.{operation}", None, at_most_once=True)
