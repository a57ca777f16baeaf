"""REST: API keys (SK…) and TwiML Apps (AP…), what a Voice access token is built from.

`POST Keys.json` answers the new key with its `secret` (shown this once, as on Twilio);
`GET Keys.json`, `GET/POST/DELETE Keys/{Sid}.json` never show it. An API key's SID and
secret authenticate REST requests for its account, as Twilio allows.
`Applications.json` creates and lists TwiML Apps (`FriendlyName` filters the list);
`Applications/{Sid}.json` fetches, updates and deletes one.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from sim.context import API_VERSION, Sim
from sim.http import Request, Response, Router
from sim.ids import new_sid, rfc2822
from sim.model import ApiKey, Application
from sim.rest_common import ACCOUNT, Form, authenticate, not_found, page_size, rest
from sim.serialize import account_uri, page

APP_FIELDS = {
    "FriendlyName": "friendly_name", "VoiceUrl": "voice_url", "VoiceMethod": "voice_method",
    "VoiceFallbackUrl": "voice_fallback_url", "VoiceFallbackMethod": "voice_fallback_method",
    "StatusCallback": "status_callback", "StatusCallbackMethod": "status_callback_method",
    "SmsUrl": "sms_url", "SmsMethod": "sms_method",
}
METHOD_FIELDS = {"voice_method", "voice_fallback_method", "status_callback_method",
                 "sms_method"}


def key_json(key: ApiKey, *, with_secret: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sid": key.sid, "friendly_name": key.friendly_name,
        "date_created": rfc2822(key.created), "date_updated": rfc2822(key.created),
    }
    if with_secret:
        body["secret"] = key.secret
    return body


def application_json(app: Application) -> dict[str, Any]:
    return {
        "sid": app.sid, "account_sid": app.account_sid, "friendly_name": app.friendly_name,
        "api_version": API_VERSION, "voice_url": app.voice_url,
        "voice_method": app.voice_method, "voice_fallback_url": app.voice_fallback_url or None,
        "voice_fallback_method": app.voice_fallback_method,
        "voice_caller_id_lookup": False, "status_callback": app.status_callback or None,
        "status_callback_method": app.status_callback_method, "sms_url": app.sms_url or None,
        "sms_method": app.sms_method, "sms_fallback_url": None, "sms_fallback_method": "POST",
        "sms_status_callback": None, "message_status_callback": None,
        "public_application_connect_enabled": True,
        "date_created": rfc2822(app.created), "date_updated": rfc2822(app.updated),
        "uri": f"{account_uri(app.account_sid)}/Applications/{app.sid}.json",
    }


class KeysApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", ACCOUNT + "/Keys.json", rest(self.create_key))
        router.add("GET", ACCOUNT + "/Keys.json", rest(self.list_keys))
        router.add("GET", ACCOUNT + "/Keys/{Sid}.json", rest(self.get_key))
        router.add("POST", ACCOUNT + "/Keys/{Sid}.json", rest(self.update_key))
        router.add("DELETE", ACCOUNT + "/Keys/{Sid}.json", rest(self.delete_key))
        router.add("POST", ACCOUNT + "/Applications.json", rest(self.create_app))
        router.add("GET", ACCOUNT + "/Applications.json", rest(self.list_apps))
        router.add("GET", ACCOUNT + "/Applications/{Sid}.json", rest(self.get_app))
        router.add("POST", ACCOUNT + "/Applications/{Sid}.json", rest(self.update_app))
        router.add("DELETE", ACCOUNT + "/Applications/{Sid}.json", rest(self.delete_app))

    # -- API keys --------------------------------------------------------------------------
    def create_key(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        key = ApiKey(sid=new_sid("SK"), account_sid=account.sid,
                     secret=secrets.token_urlsafe(24)[:32],
                     friendly_name=form.get("FriendlyName") or "")
        with self.store.lock:
            self.store.keys[key.sid] = key
        self.store.save()
        return Response.json(key_json(key, with_secret=True), 201)

    def list_keys(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            found = sorted((k for k in self.store.keys.values() if k.account_sid == account.sid),
                           key=lambda k: k.created, reverse=True)
            items = [key_json(k) for k in found]
        return Response.json(page("keys", items, f"{account_uri(account.sid)}/Keys.json",
                                  page_size(request)))

    def _key(self, request: Request) -> ApiKey:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            key = self.store.keys.get(request.params["Sid"])
        if key is None or key.account_sid != account.sid:
            raise not_found(request.path)
        return key

    def get_key(self, request: Request) -> Response:
        return Response.json(key_json(self._key(request)))

    def update_key(self, request: Request) -> Response:
        key = self._key(request)
        form = Form(request)
        with self.store.lock:
            if form.has("FriendlyName"):
                key.friendly_name = form.get("FriendlyName")
        self.store.save()
        return Response.json(key_json(key))

    def delete_key(self, request: Request) -> Response:
        key = self._key(request)
        with self.store.lock:
            self.store.keys.pop(key.sid, None)
        self.store.save()
        return Response.empty()

    # -- TwiML Apps ------------------------------------------------------------------------
    def create_app(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        app = Application(sid=new_sid("AP"), account_sid=account.sid, friendly_name="")
        self._apply(app, Form(request))
        with self.store.lock:
            self.store.applications[app.sid] = app
        self.store.save()
        return Response.json(application_json(app), 201)

    @staticmethod
    def _apply(app: Application, form: Form) -> None:
        for param, attribute in APP_FIELDS.items():
            if form.has(param):
                value = form.get(param)
                setattr(app, attribute, (value.upper() or "POST")
                        if attribute in METHOD_FIELDS else value)
        app.updated = time.time()

    def list_apps(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        name = request.arg("FriendlyName")
        with self.store.lock:
            found = sorted((a for a in self.store.applications.values()
                            if a.account_sid == account.sid
                            and (not name or a.friendly_name == name)),
                           key=lambda a: a.created)
            items = [application_json(a) for a in found]
        uri = f"{account_uri(account.sid)}/Applications.json"
        return Response.json(page("applications", items, uri, page_size(request)))

    def _app(self, request: Request) -> Application:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            app = self.store.applications.get(request.params["Sid"])
        if app is None or app.account_sid != account.sid:
            raise not_found(request.path)
        return app

    def get_app(self, request: Request) -> Response:
        return Response.json(application_json(self._app(request)))

    def update_app(self, request: Request) -> Response:
        app = self._app(request)
        with self.store.lock:
            self._apply(app, Form(request))
        self.store.save()
        return Response.json(application_json(app))

    def delete_app(self, request: Request) -> Response:
        app = self._app(request)
        with self.store.lock:
            self.store.applications.pop(app.sid, None)
        self.store.save()
        return Response.empty()
