"""Recordings made by <Record> and <Dial record>: resources, audio, and their callbacks."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import tempfile
import time
from pathlib import Path

from sim.context import Sim, call_params
from sim.ids import new_sid, rfc2822
from sim.model import Call, Recording

SAMPLE_RATE = 8000
MAX_AUDIO_SECONDS = 10
TONE_HZ = 440.0
TRANSCRIPTION_SECONDS = 2.0  # simulated time before Twilio posts a transcript


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
        # Transcription is asynchronous at Twilio: its callback comes after the call
        # has moved on (the <Record> action has been answered).
        sim.spawn(f"transcribe-{recording.sid[:10]}", _transcribe_later, sim, call,
                  recording, url, transcribe_url)


def _transcribe_later(sim: Sim, call: Call, recording: Recording, url: str,
                      transcribe_url: str) -> None:
    time.sleep(sim.clock.real(TRANSCRIPTION_SECONDS))
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


def tone_wav(seconds: int) -> bytes:
    """A valid 8 kHz, 8-bit mono WAV: a 440 Hz tone, pulsing once a second (capped)."""
    frames = SAMPLE_RATE * max(1, min(seconds, MAX_AUDIO_SECONDS))
    samples = bytes(
        128 + (int(100 * math.sin(2 * math.pi * TONE_HZ * i / SAMPLE_RATE))
               if (i % SAMPLE_RATE) < SAMPLE_RATE * 0.7 else 0)
        for i in range(frames))
    header = b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE, 1, 8)
    return header + b"data" + struct.pack("<I", frames) + samples


def speech_wav(text: str) -> bytes | None:
    """The words spoken, as espeak-ng says them (None where it is not installed)."""
    espeak = shutil.which("espeak-ng")
    if not espeak or not text.strip():
        return None
    with tempfile.TemporaryDirectory(prefix="sim-rec-") as tmp:
        out = Path(tmp) / "speech.wav"
        try:
            subprocess.run([espeak, "-w", str(out), text[:500]], check=True, timeout=10,
                           capture_output=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.read_bytes() if out.exists() else None


def recording_audio(recording: Recording) -> bytes:
    """What the caller left: their words spoken by espeak-ng where installed, otherwise
    a tone of the recording's length. Always a real WAV."""
    return speech_wav(recording.transcription) or tone_wav(recording.duration)
