"""Recordings made by <Record> and <Dial record>: resources, audio, and their callbacks."""

from __future__ import annotations

import struct

from sim.context import Sim, call_params
from sim.ids import new_sid, rfc2822
from sim.model import Call, Recording

SAMPLE_RATE = 8000
MAX_AUDIO_SECONDS = 10


def recording_url(sim: Sim, recording: Recording) -> str:
    """Where Twilio serves it: the RecordingUrl has no extension (.wav, .mp3 and .json work)."""
    return (f"{sim.base_url}/2010-04-01/Accounts/{recording.account_sid}"
            f"/Recordings/{recording.sid}")


def create_recording(sim: Sim, call: Call, duration: int, source: str,
                     transcription: str = "") -> Recording:
    recording = Recording(sid=new_sid("RE"), account_sid=call.account_sid, call_sid=call.sid,
                          duration=duration, source=source, transcription=transcription)
    with sim.store.lock:
        sim.store.recordings[recording.sid] = recording
    return recording


def send_recording_callbacks(sim: Sim, call: Call, recording: Recording, *,
                             status_url: str = "", status_method: str = "POST",
                             events: frozenset[str] = frozenset({"completed"}),
                             transcribe_url: str = "") -> None:
    url = recording_url(sim, recording)
    if status_url and "completed" in events:
        params = {
            "AccountSid": call.account_sid, "CallSid": call.sid,
            "RecordingSid": recording.sid, "RecordingUrl": url,
            "RecordingStatus": "completed", "RecordingDuration": str(recording.duration),
            "RecordingChannels": "1", "RecordingStartTime": rfc2822(recording.created),
            "RecordingSource": recording.source, "ErrorCode": "0",
        }
        sim.call_callback(call, status_url, status_method, params)
    if transcribe_url:
        with sim.store.lock:
            params = call_params(call)
        params.update({
            "TranscriptionSid": new_sid("TR"), "TranscriptionText": recording.transcription,
            "TranscriptionStatus": "completed" if recording.transcription else "failed",
            "TranscriptionType": "fast", "RecordingSid": recording.sid, "RecordingUrl": url,
            "TranscriptionUrl": f"{sim.base_url}/2010-04-01/Accounts/{call.account_sid}"
                                f"/Transcriptions/{recording.sid}",
        })
        sim.call_callback(call, transcribe_url, "POST", params)


def silent_wav(seconds: int) -> bytes:
    """A valid 8 kHz, 8-bit mono WAV of silence (capped at a few seconds)."""
    frames = SAMPLE_RATE * max(1, min(seconds, MAX_AUDIO_SECONDS))
    header = b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE, 1, 8)
    return header + b"data" + struct.pack("<I", frames) + b"\x80" * frames
