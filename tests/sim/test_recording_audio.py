"""<Record> leaves real audio: the RecordingUrl serves a WAV that is not silence, and the
transcription comes after the Record action, as Twilio's asynchronous transcription does."""

from __future__ import annotations

import io
import wave

import requests

from sim.client import SimClient
from sim.model import Recording
from sim.recordings import recording_audio, tone_wav
from tests.sim.fake_app import FakeApp

CALLER = "+14155550199"


def test_a_recording_is_a_wav_with_sound_of_its_length() -> None:
    # given a 3-second recording with no words (so no espeak-ng speech)
    recording = Recording(sid="RE1", account_sid="AC1", call_sid="CA1", duration=3,
                          source="RecordVerb", transcription="")
    # when its audio is made
    audio = recording_audio(recording)
    # then it is a WAV of 3 s at 8 kHz whose samples are not all silence
    with wave.open(io.BytesIO(audio)) as wav:
        assert wav.getframerate() == 8000 and wav.getnchannels() == 1
        assert wav.getnframes() == 3 * 8000
        frames = wav.readframes(wav.getnframes())
    assert max(frames) - min(frames) > 100
    assert audio == tone_wav(3)


def test_the_transcription_arrives_after_the_record_action(
        phone: SimClient, app: FakeApp, number: str) -> None:
    # given a number whose TwiML records with a transcribeCallback
    app.routes["/voice"] = ('<Response><Record action="/recorded" finishOnKey="#" '
                            'transcribe="true" transcribeCallback="/transcribed"/></Response>')
    app.routes["/recorded"] = "<Response><Say>Thanks.</Say></Response>"
    # when the caller speaks and presses #
    sid = phone.call(CALLER, number)
    phone.say(sid, "My filter is broken.")
    phone.press(sid, "#")
    [recorded] = app.wait_for("/recorded")
    # then the audio is served as a WAV
    audio = requests.get(recorded.params["RecordingUrl"], timeout=5)
    assert audio.status_code == 200
    assert audio.headers["Content-Type"] == "audio/x-wav" and audio.content[:4] == b"RIFF"
    # and the transcript comes later, naming the call and the recording
    [transcribed] = app.wait_for("/transcribed")
    assert transcribed.params["TranscriptionText"] == "My filter is broken."
    assert transcribed.params["CallSid"] == sid
    assert transcribed.params["RecordingSid"] == recorded.params["RecordingSid"]
    assert app.hits.index(transcribed) > app.hits.index(recorded)
