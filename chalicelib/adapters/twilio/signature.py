"""X-Twilio-Signature validation with the twilio library's RequestValidator."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import urlencode


def candidate_urls(public_base_url: str, path: str,
                   query: Sequence[tuple[str, str]]) -> list[str]:
    """The URLs Twilio may have signed for this request.

    Twilio signs the exact URL it requested: the public base (stage prefix included) plus
    the path and query. API Gateway hands us the query parsed, so we try it in the order
    received and in sorted order (Hotline's own callback URLs are built sorted).
    """
    base = public_base_url.rstrip("/") + "/" + path.lstrip("/")
    if not query:
        return [base]
    received = base + "?" + urlencode(list(query))
    ordered = base + "?" + urlencode(sorted(query))
    return [received] if received == ordered else [received, ordered]


def is_valid(urls: Sequence[str], params: Mapping[str, str], signature: str,
             auth_token: str) -> bool:
    """True if ``signature`` matches any candidate URL. RequestValidator itself also
    tries each URL with and without the default port (the :443 / :80 case)."""
    if not signature:
        return False
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(auth_token)
    return any(validator.validate(url, dict(params), signature) for url in urls)
