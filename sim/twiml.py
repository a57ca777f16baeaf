"""Reading TwiML documents: parsing and attribute values, with Twilio's defaults."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin

VOICE_VERBS = frozenset({
    "Say", "Play", "Pause", "Gather", "Record", "Enqueue", "Leave", "Dial", "Redirect",
    "Hangup", "Reject", "Connect", "Start", "Stop", "Refer", "Pay", "Prompt", "Sms", "Echo",
})
APP_ERROR_TEXT = "We are sorry, an application error has occurred. Goodbye."


class TwimlError(Exception):
    """A document Twilio could not use (error 12100, document parse failure)."""


@dataclass
class Document:
    url: str  # the URL it came from, against which relative URLs resolve
    root: ET.Element | None  # <Response>, or None for an audio file
    audio_url: str | None = None


def parse(text: str, url: str, content_type: str = "") -> Document:
    """Parse a webhook's answer. Audio content is played; anything else must be TwiML."""
    kind = content_type.split(";")[0].strip().lower()
    if kind.startswith("audio/"):
        return Document(url=url, root=None, audio_url=url)
    if not text.strip():
        raise TwimlError("empty response body")
    try:
        root = ET.fromstring(text.strip().encode("utf-8"))
    except ET.ParseError as exc:
        raise TwimlError(f"XML parse error: {exc}") from exc
    if strip_ns(root.tag) != "Response":
        raise TwimlError(f"root element is <{strip_ns(root.tag)}>, not <Response>")
    return Document(url=url, root=root)


def strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(el: ET.Element) -> str:
    return (el.text or "").strip()


def attr(el: ET.Element, name: str, default: str = "") -> str:
    value = el.get(name)
    return default if value is None else value.strip()


def attr_int(el: ET.Element, name: str, default: int) -> int:
    raw = el.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(float(raw.strip()))
    except ValueError:
        return default


def attr_bool(el: ET.Element, name: str, default: bool) -> bool:
    raw = el.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() in ("true", "1", "yes")


def attr_method(el: ET.Element, name: str = "method", default: str = "POST") -> str:
    value = attr(el, name, default).upper()
    return value if value in ("GET", "POST") else default


def resolve(base: str, url: str) -> str:
    """Relative URLs in TwiML resolve against the URL of the document that holds them."""
    return urljoin(base, url) if url else base


def loop_count(el: ET.Element) -> int:
    """Say/Play `loop`: default 1; 0 means until something interrupts."""
    return max(0, attr_int(el, "loop", 1))
