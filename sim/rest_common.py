"""What every REST handler shares: Basic auth against the sim's accounts, Twilio's error
shape, and reading form parameters."""

from __future__ import annotations

import hmac

from sim.context import Sim
from sim.http import Handler, Request, Response
from sim.model import Account

API = "/2010-04-01"
ACCOUNT = API + "/Accounts/{AccountSid}"


class RestError(Exception):
    """A Twilio REST error: HTTP status, Twilio error code, message."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> Response:
        return Response.json({
            "code": self.code, "message": self.message, "status": self.status,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
        }, self.status)


def not_found(what: str) -> RestError:
    return RestError(404, 20404, f"The requested resource {what} was not found")


def authenticate(sim: Sim, request: Request, account_sid: str | None = None) -> Account:
    """The account in the path, if the Basic credentials (account SID and auth token, or
    API key SID and secret) are its own or its parent's."""
    credentials = request.basic_auth()
    if credentials is None:
        raise RestError(401, 20003, "Authenticate")
    user, password = credentials
    with sim.store.lock:
        key = sim.store.keys.get(user) if user.startswith("SK") else None
        if key is not None:  # an API key's SID and secret act for its account
            caller = sim.store.accounts.get(key.account_sid)
            secret = key.secret
        else:
            caller = sim.store.accounts.get(user)
            secret = caller.auth_token if caller else ""
        if caller is None or not hmac.compare_digest(secret, password):
            raise RestError(401, 20003, "Authenticate")
        if account_sid is None:
            return caller
        target = sim.store.accounts.get(account_sid)
        if target is None or (target.sid != caller.sid and target.owner_sid != caller.sid):
            raise RestError(404, 20404, f"The requested resource /2010-04-01/Accounts/"
                                        f"{account_sid} was not found")
        return target


class Form:
    """Form fields of a REST request (Twilio's names, e.g. StatusCallbackEvent repeated)."""

    def __init__(self, request: Request) -> None:
        self.values = request.form()

    def get(self, name: str, default: str = "") -> str:
        values = self.values.get(name)
        return values[0] if values else default

    def has(self, name: str) -> bool:
        return name in self.values

    def all(self, name: str) -> list[str]:
        out: list[str] = []
        for value in self.values.get(name, []):
            out.extend(value.replace(",", " ").split())
        return out

    def flag(self, name: str, default: bool = False) -> bool:
        if not self.has(name):
            return default
        return self.get(name).strip().lower() in ("true", "1", "yes")

    def number(self, name: str, default: float) -> float:
        try:
            return float(self.get(name)) if self.get(name) else default
        except ValueError as exc:
            raise RestError(400, 21200, f"Invalid {name}") from exc

    def required(self, name: str, code: int) -> str:
        value = self.get(name).strip()
        if not value:
            raise RestError(400, code, f"Required parameter {name} missing.")
        return value


def check_caller_id(sim: Sim, account: Account, from_: str) -> None:
    """A call's From must be a number of this account, one of its verified caller IDs, or a
    client identity, as on Twilio; else 21210."""
    if from_.startswith("client:"):
        return
    with sim.store.lock:
        number = sim.store.number_for(from_)
        verified = from_ in sim.store.caller_ids.get(account.sid, set())
    if not verified and (number is None or number.account_sid != account.sid):
        raise RestError(400, 21210, f"The source phone number provided, {from_}, is not "
                                    "yet verified for your account.")


def page_size(request: Request) -> int:
    try:
        return max(1, min(1000, int(request.arg("PageSize", "50"))))
    except ValueError:
        return 50


def rest(handler: Handler) -> Handler:
    """Turn RestError into Twilio's JSON error answer."""

    def wrapped(request: Request) -> Response:
        try:
            return handler(request)
        except RestError as exc:
            return exc.response()

    return wrapped
