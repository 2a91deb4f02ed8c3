"""The remote engine: any OpenAI-compatible `POST /audio/transcriptions` (a self-hosted faster-whisper server, or a
cloud provider). The caller's voice leaves this machine for that server: the README says so where it is set up.

OpenAI's API reference, "Create transcription": multipart form with `file` and `model`; `response_format=
verbose_json` answers `text`, `language` (OpenAI names it, "dutch"; faster-whisper servers give the code, "nl")
and `segments` with each one's `avg_logprob`.
"""

import io
import math
import wave
from typing import Any

import numpy as np

from audio.transcribe.model import TranscriberError, Transcript
from audio.transcribe.samples import RATE_HZ, Samples

# Language names as OpenAI's Whisper answers them (openai/whisper tokenizer.py, LANGUAGES), for ours.
LANGUAGE_NAMES = {"dutch": "nl", "german": "de", "french": "fr", "english": "en"}


class RemoteWhisper:
    """`base_url`: the API's base, e.g. https://api.openai.com/v1 (posts go to base_url/audio/transcriptions)."""

    def __init__(self, base_url: str, api_key: str | None, model: str, timeout_s: float) -> None:
        self._endpoint = base_url.rstrip("/") + "/audio/transcriptions"
        self._api_key = api_key
        self._model = model
        self._timeout_s = timeout_s

    def transcribe(self, samples: Samples, languages: tuple[str, ...], cut_short: bool) -> Transcript:
        wav = _wav_bytes(samples)
        answer = self._ask(wav, None)
        language = _language_code(answer)
        if language not in languages:  # not one we write in: ask again in the business's language
            language = languages[0]
            answer = self._ask(wav, language)
        text = str(answer.get("text", "")).strip()
        return Transcript(text, language, _confidence(answer.get("segments")), cut_short)

    def _ask(self, wav: bytes, language: str | None) -> dict[str, Any]:
        import httpx

        data = {"model": self._model, "response_format": "verbose_json"}
        if language is not None:
            data["language"] = language
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            response = httpx.post(
                self._endpoint,
                data=data,
                files={"file": ("voicemail.wav", wav, "audio/wav")},
                headers=headers,
                timeout=self._timeout_s,
            )
        except httpx.HTTPError as error:
            raise TranscriberError(f"the transcription server at {self._endpoint} did not answer: {error}") from error
        if response.status_code != 200:
            raise TranscriberError(
                f"the transcription server at {self._endpoint} answered {response.status_code}: {response.text[:200]}"
            )
        try:
            found = response.json()
        except ValueError as error:
            raise TranscriberError(f"the transcription server at {self._endpoint} answered no JSON") from error
        if not isinstance(found, dict):
            raise TranscriberError(f"the transcription server at {self._endpoint} answered no JSON object")
        return found


def _wav_bytes(samples: Samples) -> bytes:
    """16-bit PCM WAV at 16 kHz: what every Whisper server reads, and a third of the bytes of float samples."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def _language_code(answer: dict[str, Any]) -> str:
    said = str(answer.get("language") or "").strip().lower()
    return LANGUAGE_NAMES.get(said, said)


def _confidence(segments: object) -> float | None:
    if not isinstance(segments, list):
        return None
    found = [s["avg_logprob"] for s in segments if isinstance(s, dict) and isinstance(s.get("avg_logprob"), float)]
    return sum(math.exp(value) for value in found) / len(found) if found else None
