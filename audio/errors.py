"""The error tree of the audio package: every refusal says, in one line, what to do instead.

Each refusal also carries a code and the values its words need, so a page in another language can say the same
in its own words (ivr.web.admin.problem_words) without reading the English line.
"""

from enum import StrEnum


class AudioCode(StrEnum):
    FAILED = "audio_failed"  # anything not more precisely known (a speech engine's failure, a missing file)
    TOO_LARGE = "audio_too_large"
    UNREADABLE = "audio_unreadable"
    EMPTY = "audio_empty"
    PLAYLIST = "audio_playlist"
    NOT_AUDIO = "audio_not_audio"
    UNDECODABLE = "audio_undecodable"
    DECODE_TIMEOUT = "audio_decode_timeout"
    NO_AUDIO = "audio_no_audio"
    SAMPLE_RATE = "audio_sample_rate"
    INVALID_SAMPLES = "audio_invalid_samples"
    TOO_LONG = "audio_too_long"
    TOO_SHORT = "audio_too_short"
    SILENT = "audio_silent"
    LITTLE_LEFT = "audio_little_left"
    TOO_QUIET = "audio_too_quiet"
    NOT_A_VOICE = "audio_not_a_voice"
    TARGET_OUT_OF_RANGE = "audio_target_out_of_range"
    TOOL_MISSING = "audio_tool_missing"
    NOT_A_MEDIA_ID = "audio_not_a_media_id"
    MEDIA_UNREADABLE = "audio_media_unreadable"
    # Warnings about a recording that is kept (NormalizationReport.warning_codes).
    CLIPPED = "audio_clipped"
    NOISY = "audio_noisy"
    LONG_FOR_KIND = "audio_long_for_kind"
    # Why a speech engine gave no speech (audio.tts.errors.SpeechError), and what rendering a text then did.
    SPEECH_FAILED = "speech_failed"
    SPEECH_UNREACHABLE = "speech_unreachable"
    SPEECH_ENGINE_MISSING = "speech_engine_missing"
    SPEECH_NO_ENGINE = "speech_no_engine"  # values: text, reasons (the failed engines' codes, space-separated)
    SPEECH_FELL_BACK = "speech_fell_back"  # values: text, engine, reason (its code), used (the engine that spoke)


class AudioError(Exception):
    """An audio input or operation refused, with a one-line reason that says what to do."""

    default_code = AudioCode.FAILED

    def __init__(self, message: str, code: AudioCode | None = None, **values: str | int | float) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.values = values


class RefusedAudio(AudioError):
    """Input that is not audio we accept: wrong format, unreadable, silent, too short or too long."""


class AudioToolFailed(AudioError):
    """ffmpeg itself failed or was missing: not the user's file, the machine's set-up."""


class InvalidTarget(AudioError):
    """A loudness target outside what a telephone greeting can meet: the caller's mistake, not the file's."""
