"""Phone numbers: E.164 normalisation and masking for logs."""

from __future__ import annotations

from chalicelib.domain.errors import InvalidInput

CLIENT_PREFIX = "client:"
WHATSAPP_PREFIX = "whatsapp:"


def to_e164(raw: str, default_region: str = "US") -> str:
    """Normalise a phone number to E.164, or raise InvalidInput.

    ``client:`` identities and ``whatsapp:`` addresses keep their prefix.
    """
    import phonenumbers

    text = (raw or "").strip()
    if text.startswith(CLIENT_PREFIX):
        if len(text) == len(CLIENT_PREFIX):
            raise InvalidInput("a client address needs an identity", path="phone")
        return text
    prefix = ""
    if text.startswith(WHATSAPP_PREFIX):
        prefix, text = WHATSAPP_PREFIX, text[len(WHATSAPP_PREFIX):]
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(f"{mask(raw)} is not a phone number", path="phone") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput(f"{mask(raw)} is not a possible phone number", path="phone")
    return prefix + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mask(number: str | None) -> str:
    """Keep the last 4 digits, for logs: '+15551234567' -> '+*******4567'."""
    if not number:
        return ""
    if number.startswith(CLIENT_PREFIX):
        return number
    visible = 4
    head = number[:1] if number[:1] == "+" else ""
    body = number[len(head):]
    if len(body) <= visible:
        return head + "*" * len(body)
    return head + "*" * (len(body) - visible) + body[-visible:]
