"""Why speech could not be made; every message names the engine and what to do about it."""

from dataclasses import dataclass

from audio.errors import AudioCode, AudioError


class SpeechError(AudioError):
    """Text could not be turned into speech (a refused request, or an engine that failed with a reason)."""

    default_code = AudioCode.SPEECH_FAILED


@dataclass(frozen=True)
class EngineFailure:
    """One engine that was tried and gave no speech: its name, why (an AudioCode) and the English reason."""

    engine: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.engine}: {self.message}"


class NoSpeechEngineWorked(SpeechError):
    """Every configured engine failed; `failures` holds one per engine, in the configured order."""

    default_code = AudioCode.SPEECH_NO_ENGINE

    def __init__(self, language: str, failures: tuple[EngineFailure, ...]) -> None:
        self.language = language
        self.failures = failures
        reasons = "; ".join(map(str, failures))
        super().__init__(
            f"no speech engine could render the text ({reasons}); "
            f"the call flow keeps using <Say> in '{language}' until one of them works again",
            reasons=" ".join(failure.code for failure in failures),
        )
