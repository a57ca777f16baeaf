"""Remote parties: outside numbers that answer by themselves with TwiML a test configured,
e.g. a supplier's IVR an agent dials and keys digits into.

`POST /sim/remote-parties {"phone_number", "twiml", "replies"?}` makes calls to that number
(from any account: a `<Dial><Number>`, a REST call or participant) ring and answer as a call
to a number of the sim does: the sim requests `/sim/remote-parties/{number}/twiml` for the
far side's TwiML. A `<Gather>` there without an `action` posts back to the same URL, which
answers `replies[Digits]` (or `replies[SpeechResult]`) when there is one, and the configured
TwiML again otherwise. The far side's leg is a call of its own (`GET /sim/calls?to=NUMBER
&direction=inbound`), so its transcript shows what it heard (`gather-end` with the digits).
"""

from __future__ import annotations

from urllib.parse import unquote

from sim.context import Sim
from sim.http import Request, Response, Router
from sim.ids import new_sid
from sim.legs import E164
from sim.model import RemoteParty
from sim.twiml import TwimlError, parse


def _error(status: int, text: str) -> Response:
    return Response.json({"error": text, "message": text}, status)


class RemotePartiesApi:
    def __init__(self, sim: Sim) -> None:
        self.sim = sim
        self.store = sim.store

    def register(self, router: Router) -> None:
        router.add("POST", "/sim/remote-parties", self.create)
        router.add("GET", "/sim/remote-parties", self.list)
        router.add("DELETE", "/sim/remote-parties/{number}", self.delete)
        router.add("GET", "/sim/remote-parties/{number}/twiml", self.twiml)
        router.add("POST", "/sim/remote-parties/{number}/twiml", self.twiml)

    def create(self, request: Request) -> Response:
        data = request.json()
        number = str(data.get("phone_number", "")).strip()
        twiml = str(data.get("twiml", "")).strip()
        replies = {str(k): str(v) for k, v in dict(data.get("replies") or {}).items()}
        if not E164.match(number):
            return _error(400, "'phone_number' must be E.164, e.g. +14155550100")
        for where, text in (("twiml", twiml), *((f"replies.{k}", v) for k, v in replies.items())):
            try:
                parse(text, "")
            except TwimlError as exc:
                return _error(400, f"'{where}' is not TwiML: {exc}")
        with self.store.lock:
            if self.store.number_for(number) is not None:
                return _error(409, f"{number} belongs to an account of the simulator")
            party = RemoteParty(sid=new_sid("PN"), phone_number=number, twiml=twiml,
                                replies=replies)
            self.store.remote_parties[number] = party
        return Response.json({"phone_number": number, "twiml": twiml, "replies": replies}, 201)

    def list(self, request: Request) -> Response:
        with self.store.lock:
            return Response.json([{"phone_number": p.phone_number, "twiml": p.twiml,
                                   "replies": dict(p.replies)}
                                  for p in self.store.remote_parties.values()])

    def delete(self, request: Request) -> Response:
        with self.store.lock:
            party = self.store.remote_parties.pop(unquote(request.params["number"]), None)
        return Response.empty() if party is not None else _error(404, "no such remote party")

    def twiml(self, request: Request) -> Response:
        """The far side's TwiML: a reply to what its <Gather> got, or its first document."""
        with self.store.lock:
            party = self.store.remote_parties.get(unquote(request.params["number"]))
        if party is None:
            return Response(200, b"<Response><Hangup/></Response>", "text/xml")
        form = request.form()
        heard = (form.get("Digits") or form.get("SpeechResult") or [""])[0]
        body = party.replies.get(heard, party.twiml) if heard else party.twiml
        return Response(200, body.encode("utf-8"), "text/xml")
