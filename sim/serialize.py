"""REST resources as Twilio's API writes them (the fields twilio.rest reads)."""

from __future__ import annotations

from typing import Any

from sim.context import API_VERSION, Sim
from sim.ids import rfc2822
from sim.model import (
    Account,
    Call,
    Conference,
    Message,
    Participant,
    PhoneNumber,
    Queue,
    Recording,
)
from sim.numbers import friendly
from sim.recordings import recording_url
from sim.segments import num_segments

ROOT = f"/{API_VERSION}"


def account_uri(sid: str) -> str:
    return f"{ROOT}/Accounts/{sid}"


def page(key: str, items: list[dict[str, Any]], uri: str, page_size: int = 50) -> dict[str, Any]:
    return {
        key: items[:page_size], "uri": uri, "first_page_uri": uri, "next_page_uri": None,
        "previous_page_uri": None, "page": 0, "page_size": page_size, "start": 0,
        "end": max(0, min(len(items), page_size) - 1),
    }


def account_json(account: Account) -> dict[str, Any]:
    uri = account_uri(account.sid)
    return {
        "sid": account.sid, "auth_token": account.auth_token,
        "friendly_name": account.friendly_name, "owner_account_sid": account.owner_sid or
        account.sid, "status": "active", "type": "Full", "date_created": rfc2822(account.created),
        "date_updated": rfc2822(account.created), "uri": f"{uri}.json",
        "subresource_uris": {name: f"{uri}/{name}.json" for name in (
            "calls", "conferences", "incoming_phone_numbers", "messages", "queues",
            "recordings", "available_phone_numbers")},
    }


def number_json(number: PhoneNumber) -> dict[str, Any]:
    return {
        "sid": number.sid, "account_sid": number.account_sid,
        "friendly_name": number.friendly_name, "phone_number": number.phone_number,
        "voice_url": number.voice_url, "voice_method": number.voice_method,
        "voice_fallback_url": number.voice_fallback_url,
        "voice_fallback_method": number.voice_fallback_method,
        "voice_caller_id_lookup": False, "voice_application_sid": "",
        "sms_url": number.sms_url, "sms_method": number.sms_method, "sms_fallback_url": "",
        "sms_fallback_method": "POST", "sms_application_sid": "",
        "status_callback": number.status_callback,
        "status_callback_method": number.status_callback_method,
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "address_requirements": "none", "beta": False, "origin": "twilio", "status": "in-use",
        "api_version": API_VERSION, "trunk_sid": None, "emergency_status": "Inactive",
        "emergency_address_sid": None, "address_sid": None, "identity_sid": None,
        "bundle_sid": None, "date_created": rfc2822(number.created),
        "date_updated": rfc2822(number.created),
        "uri": f"{account_uri(number.account_sid)}/IncomingPhoneNumbers/{number.sid}.json",
        "subresource_uris": {},
    }


def available_json(number: str, country: str) -> dict[str, Any]:
    return {
        "friendly_name": friendly(number), "phone_number": number, "lata": None,
        "locality": None, "rate_center": None, "latitude": None, "longitude": None,
        "region": None, "postal_code": None, "iso_country": country.upper(),
        "address_requirements": "none", "beta": False,
        "capabilities": {"voice": True, "SMS": True, "MMS": True, "fax": False},
    }


def call_json(sim: Sim, call: Call) -> dict[str, Any]:
    uri = f"{account_uri(call.account_sid)}/Calls/{call.sid}"
    duration = None
    if call.ended:
        duration = str(round(sim.clock.elapsed(call.answered_mono, call.ended_mono))
                       if call.answered_mono is not None else 0)
    return {
        "sid": call.sid, "account_sid": call.account_sid, "parent_call_sid": call.parent_sid,
        "to": call.to, "to_formatted": friendly(call.to), "from": call.from_,
        "from_formatted": friendly(call.from_), "phone_number_sid": call.phone_number_sid,
        "status": call.status, "direction": call.direction,
        "start_time": rfc2822(call.start_time) if call.start_time else None,
        "end_time": rfc2822(call.end_time) if call.end_time else None, "duration": duration,
        "price": None, "price_unit": "USD", "answered_by": None, "api_version": API_VERSION,
        "forwarded_from": call.forwarded_from or None, "group_sid": None,
        "caller_name": call.caller_name or None, "queue_time": "0", "trunk_sid": None,
        "annotation": None, "date_created": rfc2822(call.created),
        "date_updated": rfc2822(call.end_time or call.start_time or call.created),
        "uri": f"{uri}.json",
        "subresource_uris": {name: f"{uri}/{name}.json" for name in (
            "notifications", "recordings", "payments", "events", "siprec", "streams")},
    }


def message_json(message: Message) -> dict[str, Any]:
    return {
        "sid": message.sid, "account_sid": message.account_sid, "to": message.to,
        "from": message.from_, "body": message.body, "status": message.status,
        "direction": message.direction, "num_segments": str(num_segments(message.body)),
        "num_media": str(len(message.media_urls)), "api_version": API_VERSION,
        "messaging_service_sid": message.messaging_service_sid, "price": None,
        "price_unit": "USD", "error_code": message.error_code,
        "error_message": message.error_message, "date_created": rfc2822(message.created),
        "date_updated": rfc2822(message.updated),
        "date_sent": rfc2822(message.sent) if message.sent else None,
        "uri": f"{account_uri(message.account_sid)}/Messages/{message.sid}.json",
        "subresource_uris": {"media": f"{account_uri(message.account_sid)}/Messages/"
                                      f"{message.sid}/Media.json"},
    }


def conference_json(conf: Conference) -> dict[str, Any]:
    uri = f"{account_uri(conf.account_sid)}/Conferences/{conf.sid}"
    return {
        "sid": conf.sid, "account_sid": conf.account_sid, "friendly_name": conf.friendly_name,
        "status": conf.status, "region": "us1", "api_version": API_VERSION,
        "reason_conference_ended": conf.reason_ended,
        "call_sid_ending_conference": conf.call_sid_ending,
        "date_created": rfc2822(conf.created), "date_updated": rfc2822(conf.updated),
        "uri": f"{uri}.json",
        "subresource_uris": {"participants": f"{uri}/Participants.json",
                             "recordings": f"{uri}/Recordings.json"},
    }


def participant_json(conf: Conference, call: Call, me: Participant | None) -> dict[str, Any]:
    if me is not None:
        status = "connected"
    elif call.ended:
        status = "complete" if call.answered else "failed"
    else:
        status = "ringing" if call.status == "ringing" else "queued"
    opts = call.participant_opts
    return {
        "account_sid": conf.account_sid, "call_sid": call.sid, "conference_sid": conf.sid,
        "label": (me.label if me else opts.get("label")) or None,
        "muted": me.muted if me else bool(opts.get("muted")),
        "hold": me.hold if me else False,
        "coaching": me.coaching if me else bool(opts.get("coaching")),
        "call_sid_to_coach": me.call_sid_to_coach if me else opts.get("call_sid_to_coach"),
        "start_conference_on_enter": me.start_on_enter if me else
        bool(opts.get("start_on_enter", True)),
        "end_conference_on_exit": me.end_on_exit if me else bool(opts.get("end_on_exit")),
        "status": status, "queue_time": "0", "date_created": rfc2822(call.created),
        "date_updated": rfc2822(call.created),
        "uri": f"{account_uri(conf.account_sid)}/Conferences/{conf.sid}/Participants/"
               f"{call.sid}.json",
    }


def queue_json(sim: Sim, queue: Queue) -> dict[str, Any]:
    waits = [sim.clock.elapsed(c.enqueued_mono) for s in queue.members
             if (c := sim.store.calls.get(s)) is not None and c.enqueued_mono is not None]
    return {
        "sid": queue.sid, "account_sid": queue.account_sid,
        "friendly_name": queue.friendly_name, "current_size": len(queue.members),
        "max_size": queue.max_size,
        "average_wait_time": round(sum(waits) / len(waits)) if waits else 0,
        "date_created": rfc2822(queue.created), "date_updated": rfc2822(queue.created),
        "uri": f"{account_uri(queue.account_sid)}/Queues/{queue.sid}.json",
    }


def member_json(sim: Sim, queue: Queue, call: Call) -> dict[str, Any]:
    return {
        "call_sid": call.sid, "queue_sid": queue.sid,
        "position": queue.members.index(call.sid) + 1 if call.sid in queue.members else 0,
        "wait_time": round(sim.clock.elapsed(call.enqueued_mono)) if call.enqueued_mono else 0,
        "date_enqueued": rfc2822(call.created),
        "uri": f"{account_uri(queue.account_sid)}/Queues/{queue.sid}/Members/{call.sid}.json",
    }


def recording_json(sim: Sim, recording: Recording) -> dict[str, Any]:
    return {
        "sid": recording.sid, "account_sid": recording.account_sid,
        "call_sid": recording.call_sid, "conference_sid": recording.conference_sid,
        "duration": str(recording.duration), "channels": 1, "status": "completed",
        "source": recording.source, "api_version": API_VERSION, "price": None,
        "price_unit": "USD", "date_created": rfc2822(recording.created),
        "date_updated": rfc2822(recording.created), "start_time": rfc2822(recording.created),
        "media_url": recording_url(sim, recording),
        "uri": f"{account_uri(recording.account_sid)}/Recordings/{recording.sid}.json",
    }
