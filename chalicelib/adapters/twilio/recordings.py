"""Fetch a recording's audio from Twilio with the tenant's credentials.

Twilio's RecordingUrl without an extension serves the WAV (``.mp3`` for MP3); the
request authenticates with the (sub)account's SID and auth token (HTTP Basic). Only
Twilio's API host (or the configured ``TWILIO_API_BASE``, the simulator) is fetched, so a
stored URL can never make Hotline read another host.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from chalicelib.config import Settings
from chalicelib.domain.errors import Forbidden, NotFound, Unavailable

TWILIO_HOSTS = ("api.twilio.com",)
MAX_BYTES = 20 * 1024 * 1024


class TwilioRecordings:
    def __init__(self, settings: Settings,
                 credentials: Callable[[str], tuple[str, str]]) -> None:
        self.settings = settings
        self.credentials = credentials
        base = urlsplit(settings.twilio_api_base or "")
        self.hosts = {*TWILIO_HOSTS, *([base.netloc] if base.netloc else [])}

    def fetch(self, tenant_id: str, url: str) -> tuple[bytes, str]:
        """(audio bytes, content type)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc not in self.hosts:
            raise Forbidden("that recording is not on Twilio")
        sid, token = self.credentials(tenant_id)
        if f"/Accounts/{sid}/" not in parts.path:
            raise Forbidden("that recording belongs to another account")
        auth = base64.b64encode(f"{sid}:{token}".encode()).decode()
        request = urllib.request.Request(url, headers={"Authorization": f"Basic {auth}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                data = response.read(MAX_BYTES + 1)
                content_type = response.headers.get("Content-Type") or "audio/x-wav"
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise NotFound("the recording is gone") from exc
            raise Unavailable(f"Twilio answered {exc.code} for the recording") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise Unavailable(f"could not fetch the recording: {exc}") from exc
        if len(data) > MAX_BYTES:
            raise Unavailable("the recording is too large to serve")
        return data, content_type.split(";")[0].strip()
