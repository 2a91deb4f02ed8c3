"""The languages a greeting can be spoken in, shared by every engine."""

from audio.tts.errors import SpeechError

# The languages prompts/ carries greeting texts for.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "en", "de", "fr")


def require_supported(language: str) -> str:
    if language not in SUPPORTED_LANGUAGES:
        raise SpeechError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}, got {language!r}")
    return language
