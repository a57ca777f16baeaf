"""Conferences: <Dial><Conference> and REST participants.

A conference starts when a participant with startConferenceOnEnter joins; until then its
participants hear the waitUrl. It ends when a participant with endConferenceOnExit leaves,
when the last one leaves, or by REST. Participants can be muted, held, coached and removed.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from sim.clock import PLAY_SECONDS
from sim.context import Sim
from sim.enqueue import DEFAULT_HOLD_MUSIC
from sim.flow import Aborted, AppError, CallEnded, Redirected
from sim.ids import rfc2822
from sim.model import Call, Conference, Fetch, Participant
from sim.twiml import Document, attr, attr_bool, attr_method, resolve

if TYPE_CHECKING:
    from sim.runner import CallRunner

EVENT_GROUPS = {
    "conference-start": "start", "conference-end": "end", "participant-join": "join",
    "participant-leave": "leave", "participant-mute": "mute", "participant-unmute": "mute",
    "participant-hold": "hold", "participant-unhold": "hold", "participant-modify": "modify",
    "announcement-end": "announcement", "announcement-fail": "announcement",
}
DEFAULT_EVENTS = frozenset({"start", "end", "join", "leave"})
LEAVE_REASONS = {"hangup": "participant_hung_up", "removed": "participant_was_removed",
                 "redirected": "participant_updated_via_api", "left": "participant_left",
                 "conference-ended": "conference_ended_via_api"}


def noun_options(noun: ET.Element, base_url: str) -> dict[str, Any]:
    wait_url = noun.get("waitUrl")
    callback = attr(noun, "statusCallback")
    return {
        "muted": attr_bool(noun, "muted", False),
        "beep": attr(noun, "beep", "true"),
        "start_on_enter": attr_bool(noun, "startConferenceOnEnter", True),
        "end_on_exit": attr_bool(noun, "endConferenceOnExit", False),
        "wait_url": None if wait_url is None else (resolve(base_url, wait_url.strip())
                                                   if wait_url.strip() else ""),
        "wait_method": attr_method(noun, "waitMethod"),
        "coach": attr(noun, "coach") or None,
        "label": attr(noun, "participantLabel"),
        "status_callback": resolve(base_url, callback) if callback else "",
        "status_callback_method": attr_method(noun, "statusCallbackMethod"),
        "status_callback_events": frozenset(attr(noun, "statusCallbackEvent").replace(
            ",", " ").split()) or DEFAULT_EVENTS,
    }


def dial_conference(r: CallRunner, el: ET.Element, doc: Document, name: str,
                    noun: ET.Element) -> Fetch | None:
    action = resolve(doc.url, attr(el, "action")) if attr(el, "action") else ""
    method = attr_method(el)
    r.sim.event(r.call, "dial", conference=name)
    params = {"DialCallStatus": "answered"}
    try:
        stay(r, None, name, noun_options(noun, doc.url))
    except CallEnded:
        if action:
            r.notify_only(Fetch(action, method, params))
        raise
    return Fetch(action, method, params) if action else None


def run_participant(runner: CallRunner) -> None:
    """A leg created by REST Participants: join once answered, hang up on leaving."""
    call = runner.call
    try:
        stay(runner, call.conference_sid, None, call.participant_opts)
        runner.hangup("conference-left")
    except Redirected as redirect:
        runner.sim.event(call, "redirect", url=redirect.fetch.url or None)
        runner.run_program(redirect.fetch)


def stay(r: CallRunner, conference_sid: str | None, name: str | None,
         opts: dict[str, Any]) -> None:
    """Join, then stay until removed, the conference ends, a hangup or a redirect."""
    sim, call = r.sim, r.call
    conf, started = _join(sim, call, conference_sid, name, opts)
    if started:
        send_event(sim, conf, "conference-start", call)
    send_event(sim, conf, "participant-join", call)
    reason = "left"
    try:
        while True:
            with sim.store.lock:
                if conf.status == "completed" or not present(conf, call.sid):
                    reason = "removed" if conf.status != "completed" else "conference-ended"
                    break
                waiting = conf.status == "init"
                me = conf.participants[call.sid]
            if waiting:
                _wait_for_start(r, conf, opts)
            elif me.hold:
                _on_hold(r, conf, me)
            else:
                _talk(r, conf, me)
    except CallEnded:
        leave(sim, conf, call, "hangup")
        raise
    except Redirected:
        leave(sim, conf, call, "redirected")
        raise
    leave(sim, conf, call, reason)


def _join(sim: Sim, call: Call, conference_sid: str | None, name: str | None,
          opts: dict[str, Any]) -> tuple[Conference, bool]:
    with sim.store.lock:
        conf = sim.store.conferences.get(conference_sid or "")
        if conf is None or conf.status == "completed":
            conf = sim.store.get_or_create_conference(call.account_sid,
                                                      name or (conf.friendly_name if conf else ""))
        me = Participant(call_sid=call.sid, muted=bool(opts.get("muted")),
                         start_on_enter=bool(opts.get("start_on_enter", True)),
                         end_on_exit=bool(opts.get("end_on_exit")),
                         beep=str(opts.get("beep", "true")), label=str(opts.get("label") or ""),
                         coaching=bool(opts.get("coaching") or opts.get("coach")),
                         call_sid_to_coach=opts.get("coach") or opts.get("call_sid_to_coach"))
        conf.participants[call.sid] = me
        call.conference_sid = conf.sid
        if not conf.status_callback and opts.get("status_callback"):
            conf.status_callback = str(opts["status_callback"])
            conf.status_callback_method = str(opts.get("status_callback_method") or "POST")
            conf.status_callback_events = frozenset(
                opts.get("status_callback_events") or DEFAULT_EVENTS)
        started = me.start_on_enter and conf.status == "init"
        if started:
            conf.status = "in-progress"
        if me.beep in ("true", "onEnter"):
            for sid in conf.participants:
                if sid != call.sid:
                    sim.event(sim.store.calls[sid], "beep")
        sim.event(call, "conference", name=conf.friendly_name, event="join",
                  conference_sid=conf.sid, muted=me.muted or None)
        sim.store.notify()
    return conf, started


def _wait_for_start(r: CallRunner, conf: Conference, opts: dict[str, Any]) -> None:
    """Before the conference starts, the participant hears the waitUrl (hold music)."""
    me = r.call.sid
    r.abort_when = lambda: conf.status != "init" or not present(conf, me)
    try:
        wait_url = opts.get("wait_url")
        if wait_url is None:
            r.sim.event(r.call, "play", url=DEFAULT_HOLD_MUSIC)
            r.wait(PLAY_SECONDS)
        elif not wait_url:
            r.forever(lambda: False)
        else:
            try:
                r.run_loop(Fetch(str(wait_url), str(opts.get("wait_method") or "POST")), "hold")
            except AppError as exc:
                r.error(exc)
                r.forever(lambda: False)
            r.wait(1.0)
    except Aborted:
        pass
    finally:
        r.abort_when = None


def _talk(r: CallRunner, conf: Conference, me: Participant) -> None:
    """In the conference, talking, until held, removed or it ends."""
    sid = r.call.sid
    r.forever(lambda: conf.status != "in-progress" or me.hold or not present(conf, sid))


def _on_hold(r: CallRunner, conf: Conference, me: Participant) -> None:
    """A held participant hears the HoldUrl (audio, or TwiML of Say/Play/Pause/Redirect,
    requested again when it runs out) or Twilio's default hold music, until resumed."""
    sid = r.call.sid
    r.abort_when = lambda: not me.hold or conf.status == "completed" or not present(conf, sid)
    try:
        if me.hold_url:
            try:
                r.run_loop(Fetch(me.hold_url, me.hold_method or "GET"), "hold")
            except AppError as exc:
                r.error(exc)
                r.forever(lambda: False)
            r.wait(1.0)
        else:
            r.sim.event(r.call, "play", url=DEFAULT_HOLD_MUSIC)
            r.wait(PLAY_SECONDS)
    except Aborted:
        pass
    finally:
        r.abort_when = None


def present(conf: Conference, call_sid: str) -> bool:
    me = conf.participants.get(call_sid)
    return me is not None and me.status != "removed"


def pending_invites(sim: Sim, conf: Conference) -> list[Call]:
    """REST participants of this conference whose legs are still ringing (lock held)."""
    return [c for c in sim.store.calls.values()
            if c.role == "participant" and c.conference_sid == conf.sid and not c.ended
            and c.sid not in conf.participants]


def leave(sim: Sim, conf: Conference, call: Call, reason: str) -> None:
    with sim.store.lock:
        me = conf.participants.pop(call.sid, None)
        call.conference_sid = None
        if me is None:
            sim.event(call, "conference", name=conf.friendly_name, event="leave", reason=reason)
            return
        ending = None
        if conf.status != "completed":
            if me.end_on_exit and conf.status == "in-progress":
                ending = "participant-with-end-conference-on-exit-left"
            elif not conf.participants and not pending_invites(sim, conf):
                ending = "last-participant-left"
        sim.event(call, "conference", name=conf.friendly_name, event="leave", reason=reason)
        if conf.status == "in-progress" and me.beep in ("true", "onExit") and me.beep_on_exit:
            for sid in conf.participants:
                sim.event(sim.store.calls[sid], "beep")
        sim.store.notify()
    send_event(sim, conf, "participant-leave", call, participant=me,
               extra={"ReasonParticipantLeft": LEAVE_REASONS.get(reason, reason),
                      "ParticipantCallStatus": call.status})
    if ending:
        end_conference(sim, conf, ending, call.sid)


def end_conference(sim: Sim, conf: Conference, reason: str, by: str | None = None) -> None:
    with sim.store.lock:
        if conf.status == "completed":
            return
        conf.status = "completed"
        conf.reason_ended = reason
        conf.call_sid_ending = by
        sim.store.notify()
    send_event(sim, conf, "conference-end", None)


def update_participant(sim: Sim, conf: Conference, call: Call, changes: dict[str, Any]) -> None:
    """REST: Hold, Muted, Coaching… on a participant; the leg hears and logs the change."""
    events = []
    with sim.store.lock:
        me = conf.participants.get(call.sid)
        if me is None:
            return
        if "hold_url" in changes:
            me.hold_url = str(changes["hold_url"] or "")
        if "hold_method" in changes:
            me.hold_method = str(changes["hold_method"] or "GET")
        if "beep_on_exit" in changes:
            me.beep_on_exit = bool(changes["beep_on_exit"])
        if "hold" in changes and changes["hold"] != me.hold:
            me.hold = bool(changes["hold"])
            events.append("participant-hold" if me.hold else "participant-unhold")
            sim.event(call, "hold" if me.hold else "unhold",
                      url=(me.hold_url or DEFAULT_HOLD_MUSIC) if me.hold else None)
        if "muted" in changes and changes["muted"] != me.muted:
            me.muted = bool(changes["muted"])
            events.append("participant-mute" if me.muted else "participant-unmute")
            sim.event(call, "mute" if me.muted else "unmute")
        for key in ("coaching", "call_sid_to_coach", "end_on_exit"):
            if key in changes and changes[key] != getattr(me, key):
                setattr(me, key, changes[key])
                events.append("participant-modify")
        if events:
            conf.updated = time.time()
        sim.store.notify()
    for event in dict.fromkeys(events):
        send_event(sim, conf, event, call)


def send_event(sim: Sim, conf: Conference, event: str, call: Call | None,
               participant: Participant | None = None,
               extra: dict[str, str] | None = None) -> None:
    with sim.store.lock:
        if not conf.status_callback or EVENT_GROUPS[event] not in conf.status_callback_events:
            return
        params = {
            "ConferenceSid": conf.sid, "FriendlyName": conf.friendly_name,
            "AccountSid": conf.account_sid, "StatusCallbackEvent": event,
            "Timestamp": rfc2822(), "SequenceNumber": str(conf.callback_seq),
        }
        conf.callback_seq += 1
        me = participant or (conf.participants.get(call.sid) if call else None)
        if call is not None:
            params["CallSid"] = call.sid
        if me is not None:
            params.update({
                "Muted": str(me.muted).lower(), "Hold": str(me.hold).lower(),
                "Coaching": str(me.coaching).lower(),
                "EndConferenceOnExit": str(me.end_on_exit).lower(),
                "StartConferenceOnEnter": str(me.start_on_enter).lower(),
            })
            if me.label:
                params["ParticipantLabel"] = me.label
        params.update(extra or {})
        if event == "conference-end":
            params["ReasonConferenceEnded"] = conf.reason_ended or ""
            if conf.call_sid_ending:
                params["CallSidEndingConference"] = conf.call_sid_ending
        url, method = conf.status_callback, conf.status_callback_method
        token = sim.store.accounts[conf.account_sid].auth_token
    sim.hooks.send_later(conf.sid, url, method, params, token)
