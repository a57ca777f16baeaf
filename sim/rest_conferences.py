"""REST: conferences and their participants (add by calling out, hold, mute, remove)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from sim import legs
from sim.announce import announce
from sim.conference import end_conference, pending_invites, update_participant
from sim.context import Sim
from sim.http import Request, Response, Router
from sim.model import Account, Call, Conference
from sim.rest_common import (
    ACCOUNT,
    Form,
    RestError,
    authenticate,
    check_caller_id,
    not_found,
    page_size,
    rest,
)
from sim.serialize import account_uri, conference_json, page, participant_json

CONFERENCE = ACCOUNT + "/Conferences/{Conference}"


class ConferencesApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("GET", ACCOUNT + "/Conferences.json", rest(self.list_conferences))
        router.add("GET", CONFERENCE + ".json", rest(self.get_conference))
        router.add("POST", CONFERENCE + ".json", rest(self.update_conference))
        router.add("GET", CONFERENCE + "/Participants.json", rest(self.list_participants))
        router.add("POST", CONFERENCE + "/Participants.json", rest(self.add_participant))
        router.add("GET", CONFERENCE + "/Participants/{CallSid}.json",
                   rest(self.get_participant))
        router.add("POST", CONFERENCE + "/Participants/{CallSid}.json",
                   rest(self.update_participant))
        router.add("DELETE", CONFERENCE + "/Participants/{CallSid}.json",
                   rest(self.remove_participant))

    def _conference(self, request: Request, create: bool = False) -> tuple[Account, Conference]:
        """By SID, or (as Twilio allows when adding participants) by friendly name."""
        account = authenticate(self.sim, request, request.params["AccountSid"])
        key = request.params["Conference"]
        with self.store.lock:
            conf = self.store.conferences.get(key)
            if conf is None and not key.startswith("CF"):
                conf = self.store.live_conference(account.sid, key)
                if conf is None and create:
                    conf = self.store.get_or_create_conference(account.sid, key)
        if conf is None or conf.account_sid != account.sid:
            raise not_found(request.path)
        return account, conf

    def list_conferences(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        name, status = request.arg("FriendlyName"), request.arg("Status")
        with self.store.lock:
            found = [c for c in self.store.conferences.values() if c.account_sid == account.sid
                     and (not name or c.friendly_name == name)
                     and (not status or c.status == status)]
            found.sort(key=lambda c: c.created, reverse=True)
            items = [conference_json(c) for c in found]
        uri = f"{account_uri(account.sid)}/Conferences.json"
        return Response.json(page("conferences", items, uri, page_size(request)))

    def get_conference(self, request: Request) -> Response:
        _, conf = self._conference(request)
        with self.store.lock:
            return Response.json(conference_json(conf))

    def update_conference(self, request: Request) -> Response:
        """`Status=completed` ends it; `AnnounceUrl` plays TwiML to every participant."""
        _, conf = self._conference(request)
        form = Form(request)
        status = form.get("Status")
        if status and status != "completed":
            raise RestError(400, 20001, f"Invalid Status {status}: only 'completed'")
        if form.get("AnnounceUrl"):
            if conf.status != "in-progress":
                raise RestError(400, 20001, "AnnounceUrl needs a conference in progress")
            announce(self.sim, conf, form.get("AnnounceUrl"),
                     (form.get("AnnounceMethod") or "POST").upper())
        if status == "completed":
            end_conference(self.sim, conf, "conference-ended-via-api")
        with self.store.lock:
            return Response.json(conference_json(conf))

    def list_participants(self, request: Request) -> Response:
        """Current participants (and REST ones still ringing); `Muted`, `Hold`, `Coaching`
        filter the list as on Twilio."""
        _, conf = self._conference(request)
        wanted = {key: request.arg(param).lower() == "true" for param, key in
                  (("Muted", "muted"), ("Hold", "hold"), ("Coaching", "coaching"))
                  if request.arg(param)}
        with self.store.lock:
            calls = [self.store.calls[s] for s in conf.participants]
            calls += pending_invites(self.sim, conf)
            items = [participant_json(conf, c, conf.participants.get(c.sid)) for c in calls]
        items = [i for i in items if all(i[k] == v for k, v in wanted.items())]
        uri = f"{account_uri(conf.account_sid)}/Conferences/{conf.sid}/Participants.json"
        return Response.json(page("participants", items, uri, page_size(request)))

    def add_participant(self, request: Request) -> Response:
        """Call To and, once it answers, put it in the conference (created if need be)."""
        account, conf = self._conference(request, create=True)
        form = Form(request)
        to = form.required("To", 21201)
        from_ = form.required("From", 21213)
        check_caller_id(self.sim, account, from_)
        if legs.endpoint_of(self.sim, to) == "invalid":
            raise RestError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        self._check_coach(conf, form.flag("Coaching"), form.get("CallSidToCoach"))
        callback = form.get("StatusCallback")
        call = legs.start_outbound(
            self.sim, account_sid=account.sid, from_=from_, to=to, direction="outbound-api",
            role="participant", ring_timeout=form.number("Timeout", 60.0),
            status_callback=callback,
            status_callback_method=(form.get("StatusCallbackMethod") or "POST").upper(),
            status_callback_events=frozenset(form.all("StatusCallbackEvent") or ["completed"]),
            conference_sid=conf.sid, participant_opts=self._options(form),
        )
        with self.store.lock:
            return Response.json(participant_json(conf, call, None), 201)

    @staticmethod
    def _options(form: Form) -> dict[str, Any]:
        wait_url = form.get("WaitUrl") if form.has("WaitUrl") else None
        return {
            "muted": form.flag("Muted"), "beep": form.get("Beep") or "true",
            "start_on_enter": form.flag("StartConferenceOnEnter", True),
            "end_on_exit": form.flag("EndConferenceOnExit"), "coaching": form.flag("Coaching"),
            "call_sid_to_coach": form.get("CallSidToCoach") or None,
            "label": form.get("Label"), "wait_url": wait_url,
            "wait_method": (form.get("WaitMethod") or "POST").upper(),
            "early_media": form.flag("EarlyMedia", True),
            "status_callback": form.get("ConferenceStatusCallback"),
            "status_callback_method": (form.get("ConferenceStatusCallbackMethod")
                                       or "POST").upper(),
            "status_callback_events": frozenset(form.all("ConferenceStatusCallbackEvent")),
        }

    def _check_coach(self, conf: Conference, coaching: bool, call_sid_to_coach: str) -> None:
        """Coaching needs the CallSid of a participant of this conference to coach."""
        if not coaching:
            return
        if not call_sid_to_coach:
            raise RestError(400, 20001, "CallSidToCoach is required when Coaching is true")
        with self.store.lock:
            known = call_sid_to_coach in conf.participants
        if not known:
            raise RestError(400, 20001, f"CallSidToCoach {call_sid_to_coach} is not a "
                                        "participant of this conference")

    def _participant(self, request: Request) -> tuple[Conference, Call]:
        """By CallSid, or by the participant's label (URL-encoded), as Twilio allows."""
        _, conf = self._conference(request)
        key = unquote(request.params["CallSid"])
        with self.store.lock:
            call = self.store.calls.get(key)
            if call is None:
                labelled = [s for s, p in conf.participants.items() if p.label == key]
                labelled += [c.sid for c in pending_invites(self.sim, conf)
                             if c.participant_opts.get("label") == key]
                call = self.store.calls.get(labelled[0]) if labelled else None
            known = call is not None and (call.sid in conf.participants
                                          or call in pending_invites(self.sim, conf))
        if call is None or not known:
            raise not_found(request.path)
        return conf, call

    def get_participant(self, request: Request) -> Response:
        conf, call = self._participant(request)
        with self.store.lock:
            return Response.json(participant_json(conf, call, conf.participants.get(call.sid)))

    def update_participant(self, request: Request) -> Response:
        conf, call = self._participant(request)
        form = Form(request)
        changes: dict[str, Any] = {}
        for param, key in (("Hold", "hold"), ("Muted", "muted"), ("Coaching", "coaching"),
                           ("EndConferenceOnExit", "end_on_exit"),
                           ("BeepOnExit", "beep_on_exit")):
            if form.has(param):
                changes[key] = form.flag(param)
        if form.has("CallSidToCoach"):
            changes["call_sid_to_coach"] = form.get("CallSidToCoach") or None
        if form.has("HoldUrl"):
            changes["hold_url"] = form.get("HoldUrl")
        if form.has("HoldMethod"):
            changes["hold_method"] = (form.get("HoldMethod") or "GET").upper()
        if changes.get("coaching"):
            with self.store.lock:
                me = conf.participants.get(call.sid)
                to_coach = changes.get("call_sid_to_coach") or (me.call_sid_to_coach
                                                                if me else None)
            self._check_coach(conf, True, to_coach or "")
        update_participant(self.sim, conf, call, changes)
        if form.get("AnnounceUrl"):
            announce(self.sim, conf, form.get("AnnounceUrl"),
                     (form.get("AnnounceMethod") or "POST").upper(), call.sid)
        with self.store.lock:
            return Response.json(participant_json(conf, call, conf.participants.get(call.sid)))

    def remove_participant(self, request: Request) -> Response:
        conf, call = self._participant(request)
        with self.store.lock:
            me = conf.participants.get(call.sid)
            if me is not None:
                me.status = "removed"
                self.store.notify()
        if me is None:
            legs.hangup(self.sim, call.sid, "api")  # still ringing: stop calling it
        return Response.empty()
