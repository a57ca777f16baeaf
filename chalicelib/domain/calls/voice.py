"""What a tenant's browser agents need for Twilio's Voice SDK."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VoiceCredentials:
    """An API key (its secret signs access tokens) and the TwiML App outgoing calls run."""

    api_key_sid: str
    api_key_secret: str = field(repr=False)
    twiml_app_sid: str

    def doc(self) -> dict[str, str]:
        return {"api_key_sid": self.api_key_sid, "api_key_secret": self.api_key_secret,
                "twiml_app_sid": self.twiml_app_sid}


def voice_credentials_from(doc: object) -> VoiceCredentials | None:
    if not isinstance(doc, dict) or not doc.get("api_key_sid"):
        return None
    return VoiceCredentials(str(doc["api_key_sid"]), str(doc.get("api_key_secret") or ""),
                            str(doc.get("twiml_app_sid") or ""))
