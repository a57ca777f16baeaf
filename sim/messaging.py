"""SMS and WhatsApp: messages into a number's SmsUrl (with <Message> replies), messages out
through REST, and their status callbacks."""

from __future__ import annotations

import logging
import time
import xml.etree.ElementTree as ET

from sim.context import API_VERSION, Sim, country_of
from sim.ids import new_sid
from sim.model import Fetch, Message, PhoneNumber
from sim.segments import num_segments
from sim.store import bare_address
from sim.twiml import TwimlError, attr, attr_method, parse, resolve, strip_ns, text_of

log = logging.getLogger("sim.messaging")

MAX_REDIRECTS = 10
DELIVERY_SECONDS = 0.5  # simulated time from queued to sent, and from sent to delivered


def receive(sim: Sim, from_: str, to: str, body: str,
            media_urls: list[str] | None = None) -> Message:
    """Someone texts a number in the sim. LookupError if no account owns that number."""
    with sim.store.lock:
        number = sim.store.number_for(to)
        if number is None:
            raise LookupError(to)
        message = Message(sid=new_sid("SM"), account_sid=number.account_sid, from_=from_,
                          to=to, body=body, direction="inbound", status="received",
                          media_urls=list(media_urls or []))
        sim.store.messages[message.sid] = message
        sim.store.notify()
    sim.spawn(f"sms-{message.sid[:10]}", _deliver_inbound, sim, message, number)
    return message


def _inbound_params(message: Message) -> dict[str, str]:
    params = {
        "MessageSid": message.sid, "SmsSid": message.sid, "SmsMessageSid": message.sid,
        "AccountSid": message.account_sid, "From": message.from_, "To": message.to,
        "Body": message.body, "NumMedia": str(len(message.media_urls)),
        "NumSegments": str(num_segments(message.body)),
        "SmsStatus": "received", "ApiVersion": API_VERSION,
        "FromCountry": country_of(message.from_), "ToCountry": country_of(message.to),
        "FromCity": "", "FromState": "", "FromZip": "", "ToCity": "", "ToState": "", "ToZip": "",
    }
    for i, url in enumerate(message.media_urls):
        params[f"MediaUrl{i}"] = url
        params[f"MediaContentType{i}"] = "image/jpeg"
    if message.from_.startswith("whatsapp:"):
        params["WaId"] = bare_address(message.from_).lstrip("+")
        params["ProfileName"] = ""
    return params


def _deliver_inbound(sim: Sim, message: Message, number: PhoneNumber) -> None:
    if not number.sms_url:
        return
    token = sim.token_for(number.account_sid)
    fetch: Fetch | None = Fetch(number.sms_url, number.sms_method or "POST")
    hops = 0
    while fetch is not None and hops < MAX_REDIRECTS:
        hops += 1
        result = sim.hooks.request(fetch.url, fetch.method, _inbound_params(message), token)
        if not result.ok:
            _fail(sim, message, result.error_code or 11200,
                  f"HTTP retrieval failure: {result.error}")
            return
        if not result.body.strip():
            return  # an empty answer means: no reply
        try:
            doc = parse(result.body, fetch.url, result.content_type)
        except TwimlError as exc:
            _fail(sim, message, 12100, f"Document parse failure: {exc}")
            return
        fetch = None
        for el in list(doc.root) if doc.root is not None else []:
            tag = strip_ns(el.tag)
            if tag == "Message":
                _reply(sim, message, el, doc.url)
            elif tag == "Redirect":
                fetch = Fetch(resolve(doc.url, text_of(el)), attr_method(el))
                break
            else:
                _fail(sim, message, 12200, f"unknown messaging verb <{tag}>")


def _fail(sim: Sim, message: Message, code: int, text: str) -> None:
    log.info("message %s: error %s %s", message.sid, code, text)
    with sim.store.lock:
        message.error_code = code
        message.error_message = text
        sim.store.notify()


def _reply(sim: Sim, inbound: Message, el: ET.Element, base_url: str) -> None:
    body_el = el.find("Body")
    body = text_of(body_el) if body_el is not None else text_of(el)
    media = [text_of(m) for m in el.findall("Media")]
    callback = attr(el, "statusCallback")
    reply = Message(sid=new_sid("SM"), account_sid=inbound.account_sid,
                    from_=attr(el, "from") or inbound.to, to=attr(el, "to") or inbound.from_,
                    body=body, direction="outbound-reply", status="queued", media_urls=media,
                    status_callback=resolve(base_url, callback) if callback else "")
    with sim.store.lock:
        sim.store.messages[reply.sid] = reply
        sim.store.notify()
    _progress(sim, reply, deliver_to_sim=False)


def send(sim: Sim, account_sid: str, from_: str, to: str, body: str, *,
         status_callback: str = "", media_urls: list[str] | None = None,
         messaging_service_sid: str | None = None) -> Message:
    """REST Messages.json: the message goes out; a number in the sim receives it."""
    message = Message(sid=new_sid("SM"), account_sid=account_sid, from_=from_, to=to, body=body,
                      direction="outbound-api", status="queued",
                      media_urls=list(media_urls or []), status_callback=status_callback,
                      messaging_service_sid=messaging_service_sid)
    with sim.store.lock:
        sim.store.messages[message.sid] = message
        sim.store.notify()
    sim.spawn(f"sms-{message.sid[:10]}", _progress, sim, message, True)
    return message


def _progress(sim: Sim, message: Message, deliver_to_sim: bool) -> None:
    """queued -> sent -> delivered, with a status callback at each step after queued."""
    for status in ("sent", "delivered"):
        time.sleep(sim.clock.real(DELIVERY_SECONDS))
        with sim.store.lock:
            message.status = status
            message.updated = time.time()
            if status == "sent":
                message.sent = message.updated
            sim.store.notify()
        _status_callback(sim, message)
    if deliver_to_sim:
        with sim.store.lock:
            local = sim.store.number_for(message.to) is not None
        if local:
            receive(sim, message.from_, message.to, message.body, message.media_urls)


def _status_callback(sim: Sim, message: Message) -> None:
    if not message.status_callback:
        return
    params = {
        "MessageSid": message.sid, "SmsSid": message.sid, "MessageStatus": message.status,
        "SmsStatus": message.status, "AccountSid": message.account_sid,
        "From": message.from_, "To": message.to, "ApiVersion": API_VERSION,
    }
    if message.messaging_service_sid:
        params["MessagingServiceSid"] = message.messaging_service_sid
    sim.hooks.send_later(message.sid, message.status_callback, "POST", params,
                         sim.token_for(message.account_sid))
