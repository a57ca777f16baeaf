"""A shared number's calls: greet, read the key, forward to the chosen business.

The shared number's leg creates nothing in its owner's tenant: no flow execution, no CRM
row, no task. Its answers are TwiML computed from the number's menu alone (the number is
already read, and cached, by the time the call arrives), so the webhooks here claim no
idempotency record: a retried one computes the same answer.

The forward is ``<Dial callerId="{the caller}"><Number>{the business's own number}``:
Twilio lets a forwarded call keep the calling number as caller ID (warning 13214 lists
"the calling number" among the valid values), and the call then reaches the business's
own number as an ordinary inbound call in the business's own subaccount, where its flow,
queue, conference and agents' legs all live.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlencode

from chalicelib.config import Settings
from chalicelib.domain.errors import Forbidden, NotInService
from chalicelib.domain.identity import PhoneNumber, Tenant
from chalicelib.domain.shared_numbers import (
    ATTEMPTS,
    NO_CHOICE,
    Answer,
    Forward,
    Goodbye,
    Prompt,
    SharedLine,
    after_forward,
    answer_choice,
    first_answer,
    forward_caller_id,
)
from chalicelib.services.webhook_gate import Webhook

CHOICE_PATH = "/twilio/voice/shared/choice"
AFTER_PATH = "/twilio/voice/shared/after"
FORWARD_PATH = "/twilio/voice/shared/forward"


class Numbers(Protocol):
    def number(self, number: str) -> PhoneNumber | None: ...
    def get(self, tenant_id: str) -> Tenant | None: ...


class SharedUrls:
    """The callback URLs the shared number's TwiML names (queries sorted, as signed)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _url(self, path: str, query: dict[str, str]) -> str:
        return self.settings.public_url(path + "?" + urlencode(sorted(query.items())))

    def choice(self, attempt: int) -> str:
        return self._url(CHOICE_PATH, {"n": str(attempt)})

    def after(self, digit: str) -> str:
        return self._url(AFTER_PATH, {"d": digit})

    def forward(self, tenant_id: str) -> str:
        """Where a flow's hand-off-to-tenant widget sends the call (``VoiceService``)."""
        return self._url(FORWARD_PATH, {"t": tenant_id})


Render = Callable[[Answer, SharedUrls, str], str]


class SharedFront:
    def __init__(self, settings: Settings, numbers: Numbers, render: Render,
                 numbers_of: Callable[[str], list[PhoneNumber]] | None = None) -> None:
        self.urls = SharedUrls(settings)
        self.numbers = numbers
        self.render = render
        self.numbers_of = numbers_of  # a business's own numbers (a flow's hand-off)

    def greet(self, hook: Webhook, number: PhoneNumber) -> str:
        """POST /twilio/voice on a shared number: the greeting, the options, the Gather."""
        return self.render(first_answer(number.shared_menu, number.greeting or ""),
                           self.urls, "")

    def choose(self, hook: Webhook) -> str:
        """The Gather's action (or, with no key pressed, its fall-through Redirect)."""
        number = self._shared(hook)
        attempt = _attempt(hook.query.get("n", "1"))
        answer = answer_choice(number.shared_menu, hook.params.get("Digits", ""),
                               hook.params.get("From", ""), attempt, number.number)
        digit = hook.params.get("Digits", "").strip().rstrip("#")
        return self.render(answer, self.urls, digit if isinstance(answer, Forward) else "")

    def after(self, hook: Webhook) -> str:
        """The forward's Dial action: nothing more if it was answered, else an apology."""
        number = self._shared(hook)
        line = next((x for x in number.shared_menu if x.digit == hook.query.get("d")), None)
        goodbye = after_forward(hook.params.get("DialCallStatus", ""),
                                line.name if line else "")
        return self.render(goodbye or Goodbye(""), self.urls, "")

    def forward(self, hook: Webhook) -> str:
        """A flow's hand-off-to-tenant widget on a number shared with that business (its
        menu, or the number's ``shared_tenants``): forward to the business's own number."""
        number = self._shared(hook)
        target = hook.query.get("t", "")
        line = next((x for x in number.shared_menu if x.tenant_id == target), None)
        if line is None and target in number.shared_tenants:
            line = self._own_line(number, target)
        if line is None:
            return self.render(Goodbye(NO_CHOICE), self.urls, "")
        caller_id = forward_caller_id(hook.params.get("From", ""), number.number)
        return self.render(Forward(line.number, caller_id, line.name), self.urls, line.digit)

    def _own_line(self, shared: PhoneNumber, tenant_id: str) -> SharedLine | None:
        tenant = self.numbers.get(tenant_id)
        if tenant is None or self.numbers_of is None:
            return None
        own = sorted(n.number for n in self.numbers_of(tenant_id)
                     if n.number != shared.number and not n.is_shared)
        return SharedLine(tenant_id, "", own[0], tenant.name) if own else None

    def _shared(self, hook: Webhook) -> PhoneNumber:
        number = self.numbers.number(hook.require("To"))
        if number is None:
            raise NotInService("that number is not in service")
        if hook.tenant is not None and hook.tenant.tenant_id != number.tenant_id:
            raise Forbidden("the number belongs to another account")
        return number


def _attempt(raw: str) -> int:
    return min(max(int(raw), 1), ATTEMPTS) if raw.isdigit() else ATTEMPTS


__all__ = ["Prompt", "SharedFront", "SharedUrls"]
