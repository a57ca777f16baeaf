"""REST: accounts (subaccounts), available phone numbers, and incoming phone numbers."""

from __future__ import annotations

from sim.context import Sim
from sim.http import Request, Response, Router
from sim.ids import new_sid, new_token
from sim.model import Account, PhoneNumber
from sim.numbers import available_numbers, friendly, is_valid
from sim.rest_common import ACCOUNT, API, Form, RestError, authenticate, not_found, page_size, rest
from sim.serialize import account_json, account_uri, available_json, number_json, page

NUMBER_FIELDS = {
    "VoiceUrl": "voice_url", "VoiceMethod": "voice_method",
    "VoiceFallbackUrl": "voice_fallback_url", "VoiceFallbackMethod": "voice_fallback_method",
    "SmsUrl": "sms_url", "SmsMethod": "sms_method", "StatusCallback": "status_callback",
    "StatusCallbackMethod": "status_callback_method", "FriendlyName": "friendly_name",
}


class AccountsApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", API + "/Accounts.json", rest(self.create_account))
        router.add("GET", API + "/Accounts.json", rest(self.list_accounts))
        router.add("GET", ACCOUNT + ".json", rest(self.get_account))
        router.add("POST", ACCOUNT + ".json", rest(self.update_account))
        for kind in ("Local", "Mobile", "TollFree"):
            router.add("GET", ACCOUNT + "/AvailablePhoneNumbers/{Country}/" + kind + ".json",
                       rest(self.search_numbers))
        for suffix in ("", "/Local", "/Mobile", "/TollFree"):
            router.add("POST", ACCOUNT + "/IncomingPhoneNumbers" + suffix + ".json",
                       rest(self.buy_number))
            router.add("GET", ACCOUNT + "/IncomingPhoneNumbers" + suffix + ".json",
                       rest(self.list_numbers))
        router.add("GET", ACCOUNT + "/IncomingPhoneNumbers/{Sid}.json", rest(self.get_number))
        router.add("POST", ACCOUNT + "/IncomingPhoneNumbers/{Sid}.json",
                   rest(self.update_number))
        router.add("DELETE", ACCOUNT + "/IncomingPhoneNumbers/{Sid}.json",
                   rest(self.release_number))

    # -- accounts ----------------------------------------------------------------------------
    def create_account(self, request: Request) -> Response:
        parent = authenticate(self.sim, request)
        form = Form(request)
        account = Account(sid=new_sid("AC"), auth_token=new_token(),
                          friendly_name=form.get("FriendlyName") or "SubAccount Created",
                          owner_sid=parent.sid)
        with self.store.lock:
            self.store.accounts[account.sid] = account
        self.store.save()
        return Response.json(account_json(account), 201)

    def list_accounts(self, request: Request) -> Response:
        caller = authenticate(self.sim, request)
        name = request.arg("FriendlyName")
        with self.store.lock:
            found = [a for a in self.store.accounts.values()
                     if (a.sid == caller.sid or a.owner_sid == caller.sid)
                     and (not name or a.friendly_name == name)]
            items = [account_json(a) for a in found]
        return Response.json(page("accounts", items, API + "/Accounts.json", page_size(request)))

    def get_account(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        return Response.json(account_json(account))

    def update_account(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        with self.store.lock:
            if form.has("FriendlyName"):
                account.friendly_name = form.get("FriendlyName")
        self.store.save()
        return Response.json(account_json(account))

    # -- numbers ---------------------------------------------------------------------------
    def search_numbers(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        country = request.params["Country"]
        kind = request.path.rsplit("/", 1)[-1].removesuffix(".json")
        numbers = available_numbers(self.store, country, kind,
                                    area_code=request.arg("AreaCode"),
                                    contains=request.arg("Contains"),
                                    limit=min(page_size(request), 30))
        uri = f"{account_uri(account.sid)}/AvailablePhoneNumbers/{country}/{kind}.json"
        return Response.json({"available_phone_numbers": [available_json(n, country)
                                                          for n in numbers], "uri": uri})

    def buy_number(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        wanted = form.get("PhoneNumber").strip()
        if not wanted and form.get("AreaCode"):
            offers = available_numbers(self.store, "US", area_code=form.get("AreaCode"),
                                       limit=1)
            if not offers:
                raise RestError(400, 21452, "No phone numbers found in that area code")
            wanted = offers[0]
        if not wanted:
            raise RestError(400, 21421, "PhoneNumber or AreaCode is required")
        if not is_valid(wanted):
            raise RestError(400, 21421, f"PhoneNumber {wanted} is invalid")
        number = PhoneNumber(sid=new_sid("PN"), account_sid=account.sid, phone_number=wanted,
                             friendly_name=friendly(wanted))
        self._apply(number, form)
        with self.store.lock:
            if self.store.number_for(wanted) is not None:
                raise RestError(400, 21422, f"PhoneNumber {wanted} is not available")
            self.store.numbers[number.sid] = number
        self.store.save()
        return Response.json(number_json(number), 201)

    def list_numbers(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        wanted, name = request.address("PhoneNumber"), request.arg("FriendlyName")
        with self.store.lock:
            items = [number_json(n) for n in self.store.account_numbers(account.sid)
                     if (not wanted or n.phone_number == wanted)
                     and (not name or n.friendly_name == name)]
        uri = f"{account_uri(account.sid)}/IncomingPhoneNumbers.json"
        return Response.json(page("incoming_phone_numbers", items, uri, page_size(request)))

    def _owned(self, request: Request) -> PhoneNumber:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            number = self.store.numbers.get(request.params["Sid"])
        if number is None or number.account_sid != account.sid:
            raise not_found(request.path)
        return number

    def get_number(self, request: Request) -> Response:
        return Response.json(number_json(self._owned(request)))

    def update_number(self, request: Request) -> Response:
        number = self._owned(request)
        form = Form(request)
        with self.store.lock:
            self._apply(number, form)
            if form.get("AccountSid"):  # transfer between a parent and its subaccounts
                target = self.store.accounts.get(form.get("AccountSid"))
                if target is None:
                    raise RestError(400, 20008, "AccountSid is not an account of yours")
                number.account_sid = target.sid
        self.store.save()
        return Response.json(number_json(number))

    def release_number(self, request: Request) -> Response:
        number = self._owned(request)
        with self.store.lock:
            self.store.numbers.pop(number.sid, None)
        self.store.save()
        return Response.empty()

    @staticmethod
    def _apply(number: PhoneNumber, form: Form) -> None:
        for param, name in NUMBER_FIELDS.items():
            if form.has(param):
                value = form.get(param)
                setattr(number, name, value.upper() if name.endswith("method") else value)
