"""Why speech could not be made; every message names the engine and what to do about it."""

from audio.errors import AudioError


class SpeechError(AudioError):
    """Text could not be turned into speech (a refused request, or an engine that failed with a reason)."""


class NoSpeechEngineWorked(SpeechError):
    """Every configured engine failed; `failures` holds one line per engine, in the configured order."""

    def __init__(self, language: str, failures: tuple[str, ...]) -> None:
        self.language = language
        self.failures = failures
        reasons = "; ".join(failures)
        super().__init__(
            f"no speech engine could render the text ({reasons}); "
            f"the call flow keeps using <Say> in '{language}' until one of them works again"
        )
