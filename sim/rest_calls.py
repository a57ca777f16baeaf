"""REST: calls (create, fetch, list, update/redirect/hang up), queues and their members,
and recordings."""

from __future__ import annotations

import re

from sim import legs
from sim.context import Sim
from sim.http import Request, Response, Router
from sim.ids import new_sid
from sim.model import Call, Fetch, Queue
from sim.recordings import recording_audio
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
from sim.serialize import (
    account_uri,
    call_json,
    member_json,
    page,
    queue_json,
    recording_json,
)

SEND_DIGITS = re.compile(r"^[0-9#*wW]{1,32}$")


class CallsApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", ACCOUNT + "/Calls.json", rest(self.create_call))
        router.add("GET", ACCOUNT + "/Calls.json", rest(self.list_calls))
        router.add("GET", ACCOUNT + "/Calls/{Sid}.json", rest(self.get_call))
        router.add("POST", ACCOUNT + "/Calls/{Sid}.json", rest(self.update_call))
        router.add("GET", ACCOUNT + "/Queues.json", rest(self.list_queues))
        router.add("POST", ACCOUNT + "/Queues.json", rest(self.create_queue))
        router.add("GET", ACCOUNT + "/Queues/{Sid}.json", rest(self.get_queue))
        router.add("POST", ACCOUNT + "/Queues/{Sid}.json", rest(self.update_queue))
        router.add("GET", ACCOUNT + "/Queues/{Sid}/Members.json", rest(self.list_members))
        router.add("GET", ACCOUNT + "/Queues/{Sid}/Members/{CallSid}.json",
                   rest(self.get_member))
        router.add("POST", ACCOUNT + "/Queues/{Sid}/Members/{CallSid}.json",
                   rest(self.dequeue_member))
        router.add("GET", ACCOUNT + "/Recordings.json", rest(self.list_recordings))
        router.add("GET", ACCOUNT + "/Recordings/{Sid}.json", rest(self.get_recording))
        for suffix in (".wav", ".mp3", ""):
            router.add("GET", ACCOUNT + "/Recordings/{Sid}" + suffix, self.recording_media)

    # -- calls -----------------------------------------------------------------------------
    def create_call(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        to = form.required("To", 21201)
        from_ = form.required("From", 21213)
        url, twiml = form.get("Url"), form.get("Twiml")
        if not url and not twiml:
            raise RestError(400, 21205, "Url parameter is required.")
        check_caller_id(self.sim, account, from_)
        if legs.endpoint_of(self.sim, to) == "invalid":
            raise RestError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        digits = form.get("SendDigits")
        if digits and not SEND_DIGITS.match(digits):
            raise RestError(400, 21200, "SendDigits may hold only 0-9, #, *, w and W")
        callback = form.get("StatusCallback")
        events = frozenset(form.all("StatusCallbackEvent") or ["completed"])
        call = legs.start_outbound(
            self.sim, account_sid=account.sid, from_=from_, to=to, direction="outbound-api",
            program=Fetch(url, (form.get("Method") or "POST").upper(), twiml=twiml or None),
            ring_timeout=form.number("Timeout", 60.0), status_callback=callback,
            status_callback_method=(form.get("StatusCallbackMethod") or "POST").upper(),
            status_callback_events=events,
        )
        with self.store.lock:
            call.send_digits = digits
            if form.get("FallbackUrl"):
                call.fallback = Fetch(form.get("FallbackUrl"),
                                      (form.get("FallbackMethod") or "POST").upper())
            return Response.json(call_json(self.sim, call), 201)

    def _call(self, request: Request) -> Call:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            call = self.store.calls.get(request.params["Sid"])
        if call is None or call.account_sid != account.sid:
            raise not_found(request.path)
        return call

    def list_calls(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        filters = {"to": request.address("To"), "from_": request.address("From"),
                   "status": request.arg("Status"), "parent_sid": request.arg("ParentCallSid")}
        with self.store.lock:
            found = [c for c in self.store.calls.values() if c.account_sid == account.sid
                     and all(not v or getattr(c, k) == v for k, v in filters.items())]
            found.sort(key=lambda c: c.created, reverse=True)
            items = [call_json(self.sim, c) for c in found]
        return Response.json(page("calls", items, f"{account_uri(account.sid)}/Calls.json",
                                  page_size(request)))

    def get_call(self, request: Request) -> Response:
        call = self._call(request)
        with self.store.lock:
            return Response.json(call_json(self.sim, call))

    def update_call(self, request: Request) -> Response:
        """Status=completed|canceled ends the call; Url or Twiml redirect it, out of whatever
        it is doing (a queue, a dial, a gather), as Twilio does."""
        call = self._call(request)
        form = Form(request)
        status = form.get("Status")
        if status == "canceled":
            with self.store.lock:
                ringing = not call.answered and not call.ended
            if ringing:
                legs.end_call(self.sim, call, "canceled", "api")
        elif status == "completed":
            legs.hangup(self.sim, call.sid, "api")
        elif status:
            raise RestError(400, 21218, f"Invalid Status {status}")
        if form.get("Url") or form.get("Twiml"):
            with self.store.lock:
                ended = call.ended
            if ended:
                raise RestError(400, 21220, "Call is not in-progress. Cannot redirect.")
            legs.redirect(self.sim, call, Fetch(form.get("Url"),
                                                (form.get("Method") or "POST").upper(),
                                                twiml=form.get("Twiml") or None))
        with self.store.lock:
            return Response.json(call_json(self.sim, call))

    # -- queues ----------------------------------------------------------------------------
    def _queue(self, request: Request) -> Queue:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            queue = self.store.queues.get(request.params["Sid"])
        if queue is None or queue.account_sid != account.sid:
            raise not_found(request.path)
        return queue

    def list_queues(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            items = [queue_json(self.sim, q) for q in self.store.queues.values()
                     if q.account_sid == account.sid]
        return Response.json(page("queues", items, f"{account_uri(account.sid)}/Queues.json",
                                  page_size(request)))

    def create_queue(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        form = Form(request)
        name = form.required("FriendlyName", 20001)
        with self.store.lock:
            if self.store.queue_named(account.sid, name) is not None:
                raise RestError(400, 22003, f"A queue named {name} already exists")
            queue = Queue(sid=new_sid("QU"), account_sid=account.sid, friendly_name=name,
                          max_size=int(form.number("MaxSize", 1000)))
            self.store.queues[queue.sid] = queue
            return Response.json(queue_json(self.sim, queue), 201)

    def get_queue(self, request: Request) -> Response:
        queue = self._queue(request)
        with self.store.lock:
            return Response.json(queue_json(self.sim, queue))

    def update_queue(self, request: Request) -> Response:
        queue = self._queue(request)
        form = Form(request)
        with self.store.lock:
            if form.has("MaxSize"):
                queue.max_size = int(form.number("MaxSize", queue.max_size))
            if form.has("FriendlyName"):
                queue.friendly_name = form.get("FriendlyName")
            return Response.json(queue_json(self.sim, queue))

    def list_members(self, request: Request) -> Response:
        queue = self._queue(request)
        with self.store.lock:
            items = [member_json(self.sim, queue, self.store.calls[s]) for s in queue.members]
        uri = f"{account_uri(queue.account_sid)}/Queues/{queue.sid}/Members.json"
        return Response.json(page("queue_members", items, uri, page_size(request)))

    def _member(self, request: Request) -> tuple[Queue, Call]:
        queue = self._queue(request)
        wanted = request.params["CallSid"]
        with self.store.lock:
            sid = queue.members[0] if wanted == "Front" and queue.members else wanted
            call = self.store.calls.get(sid)
            if call is None or sid not in queue.members:
                raise not_found(request.path)
            return queue, call

    def get_member(self, request: Request) -> Response:
        queue, call = self._member(request)
        with self.store.lock:
            return Response.json(member_json(self.sim, queue, call))

    def dequeue_member(self, request: Request) -> Response:
        """Dequeue by REST: the member leaves the queue for Url (QueueResult=redirected)."""
        queue, call = self._member(request)
        form = Form(request)
        url = form.required("Url", 21205)
        with self.store.lock:
            body = member_json(self.sim, queue, call)
        legs.redirect(self.sim, call, Fetch(url, (form.get("Method") or "POST").upper()))
        return Response.json(body)

    # -- recordings ------------------------------------------------------------------------
    def list_recordings(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        call_sid = request.arg("CallSid")
        with self.store.lock:
            items = [recording_json(self.sim, r) for r in self.store.recordings.values()
                     if r.account_sid == account.sid and (not call_sid or r.call_sid == call_sid)]
        uri = f"{account_uri(account.sid)}/Recordings.json"
        return Response.json(page("recordings", items, uri, page_size(request)))

    def get_recording(self, request: Request) -> Response:
        account = authenticate(self.sim, request, request.params["AccountSid"])
        with self.store.lock:
            recording = self.store.recordings.get(request.params["Sid"])
            if recording is None or recording.account_sid != account.sid:
                raise not_found(request.path)
            return Response.json(recording_json(self.sim, recording))

    def recording_media(self, request: Request) -> Response:
        """The audio (a WAV), public as Twilio serves it by default (sim/recordings.py)."""
        with self.store.lock:
            recording = self.store.recordings.get(request.params["Sid"])
        if recording is None or recording.account_sid != request.params["AccountSid"]:
            return not_found(request.path).response()
        return Response(200, recording_audio(recording), "audio/x-wav")

