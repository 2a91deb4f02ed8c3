"""espeak-ng, the offline engine: robotic but always there, because it runs on this machine."""

import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from audio.errors import AudioCode
from audio.tts.errors import SpeechError
from audio.tts.languages import require_supported

# Voice names from `espeak-ng --voices` (espeak-ng 1.51); British English and metropolitan French
# match the callers of Dutch, German and French businesses better than the other variants.
ESPEAK_VOICES: Mapping[str, str] = {"nl": "nl", "en": "en-gb", "de": "de", "fr": "fr-fr"}


class EspeakEngine:
    name = "espeak"

    def __init__(self, *, timeout_s: float, executable: str = "espeak-ng") -> None:
        self.timeout_s = timeout_s
        self.executable = executable

    def voice(self, language: str) -> str:
        return ESPEAK_VOICES[require_supported(language)]

    def synthesize(self, text: str, language: str) -> bytes:
        voice = self.voice(language)
        with tempfile.TemporaryDirectory(prefix="greetline-espeak-") as directory:
            wav_path = Path(directory) / "speech.wav"
            # The text goes in on stdin, never as an argument: a greeting starting with "-" is not an option.
            # -w rather than --stdout: espeak-ng cannot seek a pipe and leaves the WAV sizes at 0x7fffffff.
            command = [self.executable, "-v", voice, "-b", "1", "--stdin", "-w", str(wav_path)]
            try:
                result = subprocess.run(
                    command, input=text.encode("utf-8"), capture_output=True, timeout=self.timeout_s, check=False
                )
            except FileNotFoundError as error:
                raise SpeechError(
                    f"{self.executable!r} is not installed (apt-get install espeak-ng)", AudioCode.SPEECH_ENGINE_MISSING
                ) from error
            except subprocess.TimeoutExpired as error:
                raise SpeechError(f"espeak-ng did not finish within {self.timeout_s:g} s") from error
            if result.returncode != 0:
                reason = result.stderr.decode("utf-8", "replace").strip() or f"exit status {result.returncode}"
                raise SpeechError(f"espeak-ng failed with voice {voice!r}: {reason}")
            try:
                return wav_path.read_bytes()
            except FileNotFoundError as error:
                raise SpeechError(f"espeak-ng exited cleanly but wrote no audio with voice {voice!r}") from error
