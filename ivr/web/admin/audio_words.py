"""Why a recording was refused, or what to know about one that was kept, in the page's language.

The audio steps explain themselves in English for the CLI ("the recording is longer than 5 minutes; ...").
Someone uploading a greeting needs the same reason in their own language at the upload field: too long, too
short, silent, too quiet, not audio, not readable, too large. A reason this table does not know yet still gets
a sentence in the page's language, never English.
"""

import re

from audio.targets import MAX_DURATION_S, MAX_UPLOAD_BYTES
from ivr.web.admin.i18n import Words
from ivr.web.admin.problems import Reword, first_rewording

# (pattern over the audio step's English message, the words to show instead); the first that matches wins.
_REFUSALS: list[tuple[str, Reword]] = [
    (
        r"longer than",
        lambda w, m: (
            w.gettext("The recording is longer than %(minutes)s minutes: upload a shorter one.")
            % {"minutes": f"{MAX_DURATION_S / 60:.0f}"}
        ),
    ),
    (
        r"larger than",
        lambda w, m: (
            w.gettext("The file is larger than %(mb)s MB: upload a shorter recording.")
            % {"mb": MAX_UPLOAD_BYTES // 2**20}
        ),
    ),
    (r"it must be at least", lambda w, m: w.gettext("The recording is too short: record a longer greeting.")),
    (
        r"left after silence",
        lambda w, m: w.gettext(
            "Once the silence is cut, almost no sound is left: the recording is too short or too quiet. "
            "Record it again, closer to the microphone."
        ),
    ),
    (
        r"is silent",
        lambda w, m: w.gettext("The recording is silent: check the microphone and record again."),
    ),
    (
        r"too little sound|cannot be brought to|cannot be kept under",
        lambda w, m: w.gettext(
            "The recording is too quiet or holds no voice (only silence, a click or a hum): record it again."
        ),
    ),
    (r"file is empty", lambda w, m: w.gettext("The file is empty: choose the recording itself.")),
    (
        r"playlist or script|not an audio format",
        lambda w, m: w.gettext("This is not a sound file: export the recording as WAV, MP3, M4A, OGG, FLAC or WebM."),
    ),
    (
        r"cannot be decoded|no audio came out|sample rate|invalid samples",
        lambda w, m: w.gettext("This sound file cannot be read (damaged or an unusual kind): export it again as MP3."),
    ),
]

_WARNINGS: list[tuple[str, Reword]] = [
    (
        r"clipped",
        lambda w, m: w.gettext("The recording is distorted (too loud when recorded): record again a little quieter."),
    ),
    (
        r"noisy",
        lambda w, m: w.gettext("The recording is noisy: record in a quieter room, closer to the microphone."),
    ),
]

_COMPILED_REFUSALS = [(re.compile(pattern), say) for pattern, say in _REFUSALS]
_COMPILED_WARNINGS = [(re.compile(pattern), say) for pattern, say in _WARNINGS]


def refusal(words: Words, message: str) -> str:
    found = first_rewording(_COMPILED_REFUSALS, words, message)
    return found or words.gettext(
        "This file could not be made telephone-ready: use a recording of speech (WAV, MP3, M4A, OGG, FLAC or WebM)."
    )


def warning(words: Words, message: str) -> str | None:
    """The warning in the page's language, or None for one this table does not know."""
    return first_rewording(_COMPILED_WARNINGS, words, message)
