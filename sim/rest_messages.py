"""REST: messages (send, list, fetch)."""

from __future__ import annotations

from sim import messaging
from sim.context import Sim
from sim.http import Request, Response, Router
from sim.rest_common import ACCOUNT, Form, RestError, authenticate, not_found, page_size, rest
from sim.serialize import account_uri, message_json, page
from sim.store import bare_address


class MessagesApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", ACCOUNT + "/Messages.json", rest(self.send))
        router.add("GET", ACCOUNT + "/Messages.json", rest(self.list_messages))
        router.add("GET", ACCOUNT + "/Messages/{Sid}.json", rest(self.get_message))

    def send(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        to = form.get("To").strip()
        if not to:
            raise RestError(400, 21604, "A 'To' phone number is required.")
        from_ = form.get("From").strip()
        service = form.get("MessagingServiceSid") or None
        media = form.values.get("MediaUrl", [])
        if not form.get("Body") and not media:
            raise RestError(400, 21602, "Message body is required.")
        with self.store.lock:
            if not from_ and service:  # the service sends from one of the account's numbers
                owned = self.store.account_numbers(account.sid)
                from_ = owned[0].phone_number if owned else ""
                if from_ and to.startswith("whatsapp:"):
                    from_ = "whatsapp:" + from_
            number = self.store.number_for(from_) if from_ else None
        if not from_:
            raise RestError(400, 21603, "A 'From' phone number is required.")
        if number is None or number.account_sid != account.sid:
            raise RestError(400, 21606, f"The From phone number {from_} is not a valid, "
                                        "SMS-capable inbound phone number or short code for "
                                        "your account.")
        message = messaging.send(self.sim, account.sid, from_, to, form.get("Body"),
                                 status_callback=form.get("StatusCallback"), media_urls=media,
                                 messaging_service_sid=service)
        with self.store.lock:
            return Response.json(message_json(message), 201)

    def list_messages(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        to, from_ = request.address("To"), request.address("From")
        with self.store.lock:
            found = [m for m in self.store.messages.values() if m.account_sid == account.sid
                     and (not to or bare_address(m.to) == bare_address(to))
                     and (not from_ or bare_address(m.from_) == bare_address(from_))]
            found.sort(key=lambda m: m.created, reverse=True)
            items = [message_json(m) for m in found]
        uri = f"{account_uri(account.sid)}/Messages.json"
        return Response.json(page("messages", items, uri, page_size(request)))

    def get_message(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            message = self.store.messages.get(request.params["Sid"])
            if message is None or message.account_sid != account.sid:
                raise not_found(request.path)
            return Response.json(message_json(message))
